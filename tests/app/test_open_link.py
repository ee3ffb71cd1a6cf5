"""The short-lived signed link that opens an appointment page (sent again by the phone
menu): it works for a day, for its own booking, on the citizen pages only."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.logs import redact
from app.open_link import LIFETIME, issue
from scheduling.enums import BookingStatus
from scheduling.models import Booking
from tests.api_calls import book_by_api
from tests.factories import NOW


@pytest.fixture
def booked(app, client, officer, session):
    with freeze_time(NOW):
        reference = book_by_api(client, officer)["reference"]
    return session.scalars(select(Booking).where(Booking.reference == reference)).one()


def _link(app, booking, at=NOW):
    with freeze_time(at):
        return issue(booking, secret=app.config["BLAUWLIJN"].secret_key, now=datetime.now(UTC))


def test_the_link_opens_the_page_for_a_day_only(app, client, booked):
    link = _link(app, booked)
    with freeze_time(NOW) as frozen:
        page = client.get(f"/appointment/{link}")
        assert page.status_code == 200
        assert booked.reference in page.get_data(as_text=True)
        assert client.get(f"/appointment/{link}/move").status_code == 200
        frozen.tick(LIFETIME - timedelta(seconds=1))
        assert client.get(f"/appointment/{link}").status_code == 200
        frozen.tick(timedelta(seconds=2))
        assert client.get(f"/appointment/{link}").status_code == 404
        assert client.get(f"/appointment/{link}/move").status_code == 404


@freeze_time(NOW)
def test_a_changed_link_opens_nothing(app, client, booked):
    link = _link(app, booked)
    for forged in (link[:-1] + ("A" if link[-1] != "A" else "B"), link[:-2], link + "x"):
        assert client.get(f"/appointment/{forged}").status_code == 404


@freeze_time(NOW)
def test_a_link_signed_with_another_secret_opens_nothing(client, booked):
    link = issue(booked, secret="another zone's secret key", now=datetime.now(UTC))
    assert client.get(f"/appointment/{link}").status_code == 404


@freeze_time(NOW)
def test_the_link_cancels_on_the_page_but_not_through_the_api(app, client, session, booked):
    link = _link(app, booked)
    assert client.get(f"/api/v1/bookings/{link}").status_code == 404
    page = client.get(f"/appointment/{link}/cancel")
    csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post(f"/appointment/{link}/cancel", data={"csrf_token": csrf, "reason": ""})
    session.expire_all()
    assert session.scalars(select(Booking.status)).one() is BookingStatus.CANCELLED


def test_the_link_is_kept_out_of_the_logs(app, booked):
    link = _link(app, booked)
    assert redact(f"GET /appointment/{link}/move HTTP/1.1") == (
        "GET /appointment/[token]/move HTTP/1.1"
    )
