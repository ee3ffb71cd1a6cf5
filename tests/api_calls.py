"""Speaking the /api/v1 booking contract from a test client: the request for the officer's
Wednesday hours (the ``officer`` fixtures), booking through it, a bailiff office's request for
assistance on the ``bailiff_service`` team's Thursday, and reading a problem answer."""

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from scheduling.models import Staff
from tests.factories import ADDRESS


def booking_body(officer: Staff, **kw: Any) -> dict[str, Any]:
    """A valid booking request: Wednesday 2 December 2026, 10:00 at the office; ``kw`` overrides."""
    return {
        "service": "wijkagent",
        "start": "2026-12-02T10:00:00+01:00",
        "staff_id": officer.id,
        "location": "office",
        "citizen": {"name": "Jan Peeters", "phone": "0470 12 34 56"},
        "address": ADDRESS,
        **kw,
    }


def book_by_api(client: FlaskClient, officer: Staff, **kw: Any) -> dict[str, Any]:
    """Book ``booking_body(officer, **kw)`` through the API; the answer's JSON."""
    response = client.post("/api/v1/bookings", json=booking_body(officer, **kw))
    assert response.status_code == 201, response.get_data(as_text=True)
    answer: dict[str, Any] = response.get_json()
    return answer


OFFICE = {"Authorization": "Bearer real-token"}  # the ``bailiff_service`` office's token
NO_RISKS = {
    "known_aggression": False,
    "weapons": False,
    "dogs": False,
    "vulnerable_persons": False,
    "interpreter_needed": False,
}


def assistance_body(**kw: Any) -> dict[str, Any]:
    """A valid ``POST /api/v1/assistance/bookings``: Thursday 3 December 2026, 08:00, two
    officers for two hours at ADDRESS (kind ``eviction``: ``make_execution_kind``); ``kw``
    overrides."""
    return {
        "address": ADDRESS,
        "file_reference": "DW-2026-0042",
        "execution_kind": "eviction",
        "officers": 2,
        "duration_minutes": 120,
        "risks": NO_RISKS,
        "notes": "",
        "start": "2026-12-03T08:00:00+01:00",
        **kw,
    }


def problem(response: TestResponse, status: int, field: str | None = None) -> dict[str, Any]:
    """Assert ``response`` is a problem+json answer with ``status`` (naming ``field``); its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert body["status"] == status
    if field is not None:
        assert field in [e["field"] for e in body["errors"]]
    return body


def count_rows(session: Session, model: type[Any]) -> int:
    """How many rows of ``model`` there are (what a refused request did not write)."""
    return session.scalar(select(func.count()).select_from(model)) or 0
