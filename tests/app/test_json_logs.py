"""LOG_FORMAT=json: one JSON line per request (route, status, duration, request id), nothing
personal in any field; the default stays text."""

import io
import json
import logging

import pytest

from app import create_app
from app.config import Config
from app.json_logs import JsonFormatter
from app.logs import install
from app.worker import configure_logging
from tests.factories import TEST_SECRET_KEY

# No database: /healthz and an unknown path answer without one.
NO_DATABASE = "postgresql://nobody@127.0.0.1:9/blauwlijn?connect_timeout=1"


@pytest.fixture
def written():
    """What the root logger's handlers write while the test runs; the root logger as it was
    afterwards (its handlers and their formats)."""
    root = logging.getLogger()
    level, scheduler_level = root.level, logging.getLogger("apscheduler").level
    before = [(handler, handler.formatter) for handler in root.handlers]
    stream = io.StringIO()
    ours = logging.StreamHandler(stream)
    root.addHandler(ours)
    yield stream
    for handler in list(root.handlers):
        if handler not in dict(before):
            root.removeHandler(handler)
    for handler, formatter in before:
        handler.setFormatter(formatter)
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(scheduler_level)


def _app(tmp_path, log_format: str):
    env = {"DATABASE_URL": NO_DATABASE, "SECRET_KEY": TEST_SECRET_KEY, "LOG_FORMAT": log_format}
    return create_app(Config.from_env(tmp_path, env=env))


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_one_json_line_per_request(tmp_path, written):
    client = _app(tmp_path, "json").test_client()
    answer = client.get("/healthz?lang=nl", headers={"X-Request-ID": "lb-123"})
    assert answer.headers["X-Request-ID"] == "lb-123"
    (line,) = [entry for entry in _lines(written) if entry["logger"] == "blauwlijn.access"]
    assert line["level"] == "INFO"
    assert (line["method"], line["route"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] >= 0
    assert line["request_id"] == "lb-123"
    assert line["message"] == "GET /healthz?lang=nl 200"
    assert line["time"].endswith("+00:00")


def test_phone_numbers_and_addresses_are_redacted(tmp_path, written):
    client = _app(tmp_path, "json").test_client()
    client.get("/healthz?phone=0470123456&street=Plaats")
    client.get("/+32470123456/griet@vandamme.example.be", headers={"X-Request-ID": "<script>"})
    lines = [entry for entry in _lines(written) if entry["logger"] == "blauwlijn.access"]
    assert [(line["route"], line["status"]) for line in lines] == [
        ("/healthz", 200),
        ("[unmatched]", 404),
    ]
    assert lines[1]["request_id"] != "<script>"
    text = written.getvalue()
    for personal in ("0470123456", "32470123456", "Plaats", "griet", "vandamme"):
        assert personal not in text
    assert "phone=[x]" in lines[0]["message"]


def test_the_worker_writes_json_at_info(tmp_path, written):
    _app(tmp_path, "json")  # `flask --app app worker` builds the app first
    configure_logging()
    logging.getLogger("app.worker").info("sent to %s", "+32470123456")
    (line,) = [entry for entry in _lines(written) if entry["logger"] == "app.worker"]
    assert (line["level"], line["message"]) == ("INFO", "sent to +32*******56")


def test_every_field_is_redacted():
    install()
    record = logging.getLogger("blauwlijn.test").makeRecord(
        "blauwlijn.test",
        logging.WARNING,
        __file__,
        1,
        "sent to %s",
        ("+32470123456",),
        None,
        extra={"route": "griet@vandamme.example.be", "request_id": "0470 12 34 56"},
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "sent to +32*******56"
    assert entry["route"] == "[e-mail]"
    assert "34" not in entry["request_id"]


def test_text_stays_the_default(tmp_path, written):
    client = _app(tmp_path, "text").test_client()
    client.get("/healthz")
    assert "blauwlijn.access" not in written.getvalue()
    assert "X-Request-ID" in client.get("/healthz").headers


def test_an_unknown_log_format_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        _app(tmp_path, "xml")
