"""Speaking the /api/v1 booking contract from a test client: the request for the officer's
Wednesday hours (the ``officer`` fixtures), booking through it, and reading a problem answer."""

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


def assistance_body(officer: Staff) -> dict[str, Any]:
    """A bailiff-assistance request on the Thursday the ``bailiff_service`` team works."""
    return booking_body(
        officer, service="deurwaarder", location="on_site", start="2026-12-03T08:00:00+01:00"
    )


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
