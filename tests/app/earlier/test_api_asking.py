"""Asking for an earlier moment through the API: the ``earlier`` object of POST /bookings,
the booking's JSON saying what became of it, 422 problems naming ``earlier.location`` /
``earlier.not_before`` (nothing booked then), and the OpenAPI document describing both."""

from typing import Any

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.earlier.models import EarlierWish
from scheduling.enums import Channel
from scheduling.models import Booking, Staff
from tests.api_calls import book_by_api, booking_body, count_rows, problem
from tests.factories import NOW, make_api_officer

# NOW: Tuesday 1 December 2026; the booking: Wednesday 2 December, 10:00.


@pytest.fixture
def officer(session: Session) -> Staff:
    return make_api_officer(session)


@freeze_time(NOW)
def test_a_booking_with_earlier_shows_the_wish_and_without_shows_null(
    client: FlaskClient, officer: Staff, session: Session
) -> None:
    booked = book_by_api(client, officer, earlier={"location": "home", "not_before": "2026-12-01"})
    assert booked["earlier"] == {
        "status": "waiting",
        "location": "home",
        "not_before": "2026-12-01",
    }
    wish = session.scalars(select(EarlierWish)).one()
    assert wish.channel is Channel.API
    token = booked["manage_token"]
    assert client.get(f"/api/v1/bookings/{token}").get_json()["earlier"]["status"] == "waiting"
    cancelled = client.post(f"/api/v1/bookings/{token}/cancel", json={})
    assert cancelled.get_json()["earlier"]["status"] == "ended"

    plain = book_by_api(client, officer, start="2026-12-02T11:00:00+01:00")
    assert plain["earlier"] is None
    anywhere = book_by_api(client, officer, start="2026-12-02T11:30:00+01:00", earlier={})
    assert anywhere["earlier"] == {"status": "waiting", "location": None, "not_before": None}


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("earlier", "field"),
    [
        ({"location": "on_site"}, "earlier.location"),
        ({"location": 3}, "earlier.location"),
        ({"not_before": "morgen"}, "earlier.not_before"),
        ({"not_before": "2026-12-02"}, "earlier.not_before"),  # the appointment's own day
        ({"not_before": "2026-11-30"}, "earlier.not_before"),  # yesterday
        ({"when": "soon"}, "earlier.when"),
        ("yes", "earlier"),
    ],
)
def test_a_wrong_wish_is_a_422_naming_the_field_and_books_nothing(
    client: FlaskClient, officer: Staff, session: Session, earlier: Any, field: str
) -> None:
    answer = client.post("/api/v1/bookings", json=booking_body(officer, earlier=earlier))
    problem(answer, 422, field)
    assert count_rows(session, Booking) == 0
    assert count_rows(session, EarlierWish) == 0


@freeze_time(NOW)
def test_a_landline_cannot_ask_for_an_earlier_moment(
    client: FlaskClient, officer: Staff, session: Session
) -> None:
    citizen = {"name": "Jan Peeters", "phone": "054 31 35 01"}
    answer = client.post(
        "/api/v1/bookings", json=booking_body(officer, citizen=citizen, earlier={})
    )
    problem(answer, 422, "earlier")
    assert count_rows(session, Booking) == 0


def test_the_openapi_document_describes_earlier(client: FlaskClient) -> None:
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    asked = schemas["BookingIn"]["properties"]["earlier"]
    assert "EarlierIn" in str(asked)
    assert set(schemas["EarlierIn"]["properties"]) == {"location", "not_before"}
    assert "earlier" in schemas["BookingOut"]["properties"]
    assert set(schemas["EarlierOut"]["properties"]) == {"status", "location", "not_before"}
