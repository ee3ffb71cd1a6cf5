"""How big a request may be: bodies are refused (413) before they are read, request lines and
headers are bounded by gunicorn, and every limit is the documented one."""

import io
import json
import re
import runpy
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

import pytest
from freezegun import freeze_time

from app.api.openapi import document
from app.limits import (
    GALOP_MAX_BODY_BYTES,
    MAX_BODY_BYTES,
    MAX_HEADER_BYTES,
    MAX_HEADERS,
    MAX_REQUEST_LINE_BYTES,
)
from app.staff.moments_form import MAX_ROWS, TABLES
from scheduling.enums import Role
from tests.staff_login import csrf_of, sign_in_as

ROOT = Path(__file__).resolve().parents[2]
GALOP_KEY = "limits-test-galop-key-0123456789"
TOO_LARGE = 5 * 1024 * 1024


class Body(io.RawIOBase):
    """A body of ``size`` bytes made up as it is read, that counts what was read."""

    def __init__(self, size: int, fill: bytes = b"a") -> None:
        self.size, self.fill, self.position, self.read_bytes = size, fill, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client measures the body by seeking to its end
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[
            whence
        ] + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = self.fill * n
        self.position += n
        self.read_bytes += n
        return n


def _post(client, path, size, content_type, **headers):
    body = Body(size)
    answer = client.post(path, input_stream=body, content_type=content_type, headers=headers)
    return answer, body.read_bytes


def test_a_large_api_body_is_a_413_problem_without_being_read(client):
    answer, read = _post(client, "/api/v1/bookings", TOO_LARGE, "application/json")
    assert answer.status_code == 413
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["status"] == 413
    assert read <= MAX_BODY_BYTES


@pytest.mark.parametrize(
    "path", ["/book/details", "/appointment/" + "x" * 32 + "/cancel", "/staff/login"]
)
def test_a_large_form_gets_the_calm_413_page_without_being_read(client, path):
    answer, read = _post(client, f"{path}?lang=fr", 200 * 1024, "application/x-www-form-urlencoded")
    assert answer.status_code == 413
    assert "<h1>Ce que vous avez envoyé est trop long</h1>" in answer.get_data(as_text=True)
    assert read <= MAX_BODY_BYTES


def test_a_large_twilio_webhook_is_refused_without_being_read(app, client):
    config = app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = replace(config, twilio_auth_token="twilio-test-token")
    try:  # the signature check reads the form
        answer, read = _post(client, "/ivr/voice", 200 * 1024, "application/x-www-form-urlencoded")
    finally:
        app.config["BLAUWLIJN"] = config
    assert answer.status_code == 413
    assert read <= MAX_BODY_BYTES


@pytest.fixture
def galop_key(app):
    original = app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = replace(original, galop_api_key=GALOP_KEY)
    yield
    app.config["BLAUWLIJN"] = original


def test_the_galop_push_takes_a_zones_year_but_not_more(client, galop_key):
    auth = {"Authorization": f"Bearer {GALOP_KEY}"}
    # A few thousand absences at once (half a megabyte): read and judged, not refused.
    year = {
        "absences": [
            {
                "absence_id": f"GALOP-ABS-{n:08d}",
                "personnel_number": "NO-SUCH-MEMBER",
                "start": "2027-01-04T08:00:00+01:00",
                "end": "2027-01-04T17:00:00+01:00",
                "kind": "leave",
            }
            for n in range(3_000)
        ]
    }
    answer = client.post("/api/v1/galop/absences", json=year, headers=auth)
    assert len(json.dumps(year)) > MAX_BODY_BYTES
    assert answer.status_code == 422  # nobody of that number: the rows were read
    too_large, read = _post(
        client, "/api/v1/galop/absences", GALOP_MAX_BODY_BYTES + 1, "application/json", **auth
    )
    assert too_large.status_code == 413
    assert too_large.mimetype == "application/problem+json"
    assert read <= GALOP_MAX_BODY_BYTES


@freeze_time("2027-03-22T08:00:00Z")
def test_the_largest_staff_form_fits_well_under_the_limit(client, session):
    """The bookable-moments form is the largest a person fills: every row of every table,
    every field at the length the page keeps (20 characters)."""
    sign_in_as(client, session, Role.DISTRICT_OFFICER)
    fields = {
        f"{table}-{i}-{name}": "x" * 20
        for table, names in TABLES.items()
        for i in range(100, 100 + MAX_ROWS)
        for name in (*names, "remove")
    }
    data = {
        "csrf_token": csrf_of(client, "/staff/moments"),
        "action": "preview",
        "from_day": "x" * 20,
        **fields,
    }
    assert len(urlencode(data)) < MAX_BODY_BYTES / 2
    assert client.post("/staff/moments", data=data).status_code == 200


def _worst_length(parameter: dict) -> int:
    """The longest a query parameter's value gets in a URL the document allows: text as
    4-byte characters, each percent-encoded (12 characters)."""
    schema = parameter["schema"]
    if "enum" in schema:
        return max(len(v) for v in schema["enum"])
    if schema.get("format") == "date":
        return len("2026-12-31")
    if schema.get("type") == "integer":
        return len(str(schema["maximum"]))
    if "maxLength" in schema:
        return 12 * schema["maxLength"]
    bounded = re.fullmatch(r"\^\[[\w-]+\]\{(?:\d+,)?(\d+)\}\$", schema.get("pattern", ""))
    assert bounded, f"{parameter['name']} has no bound: a URL could outgrow the request line"
    return int(bounded[1])


def test_every_request_the_api_document_allows_fits_gunicorns_request_line():
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            query = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            line = (
                f"{method.upper()} /api/v1{path.replace('{token}', 'x' * 100)}?"
                + "&".join(f"{p['name']}={'x' * _worst_length(p)}" for p in query)
                + " HTTP/1.1"
            )
            assert len(line) <= MAX_REQUEST_LINE_BYTES, (path, len(line))


def test_gunicorn_runs_with_the_documented_limits():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["limit_request_line"] == MAX_REQUEST_LINE_BYTES
    assert settings["limit_request_fields"] == MAX_HEADERS
    assert settings["limit_request_field_size"] == MAX_HEADER_BYTES
    described = document()["info"]["description"]
    for limit in (
        MAX_REQUEST_LINE_BYTES,
        MAX_HEADERS,
        MAX_HEADER_BYTES,
        MAX_BODY_BYTES,
        GALOP_MAX_BODY_BYTES,
    ):
        assert f"{limit:,}".replace(",", " ") in described
    readme = (ROOT / "README.md").read_text()
    assert f"{MAX_BODY_BYTES // 1024} KiB" in readme
    assert f"{GALOP_MAX_BODY_BYTES // 1024 // 1024} MiB" in readme
