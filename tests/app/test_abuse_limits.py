"""No channel books or texts without limit: rate limits keyed on who acts, the per-number SMS
cap across all channels, and idempotent replays only to the actor who made the booking."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.notify.outbox import enqueue
from app.notify.sender import SMS_CAPS, send_due
from app.ratelimit import LIMITS
from scheduling.enums import MessageKind, OutboxStatus
from scheduling.models import Booking
from tests.api_calls import OFFICE, assistance_body, booking_body, count_rows, problem
from tests.app.sms_recorder import Recorder
from tests.factories import NOW, make_api_officer, make_bailiff


@pytest.fixture
def officer(session):
    return make_api_officer(session)


MOMENTS = [f"2026-12-02T{h}:{m}:00+01:00" for h in ("09", "10", "11") for m in ("00", "30")]


@freeze_time(NOW)
def test_the_api_books_at_most_five_times_an_hour_for_one_number(client, officer, session):
    for start in MOMENTS[:5]:
        assert (
            client.post("/api/v1/bookings", json=booking_body(officer, start=start)).status_code
            == 201
        )
    sixth = client.post("/api/v1/bookings", json=booking_body(officer, start=MOMENTS[5]))
    problem(sixth, 429)
    assert count_rows(session, Booking) == 5


@freeze_time(NOW)
def test_the_api_limits_bookings_per_address_and_bailiffs_per_token(
    client, officer, bailiff_service, session, monkeypatch
):
    monkeypatch.setitem(LIMITS, "booking-ip", 3)  # 20 in production: fewer moments needed
    for n, start in enumerate(MOMENTS[:3]):
        body = booking_body(officer, start=start) | {
            "citizen": {"name": "Jan", "phone": f"+3247013{n:04d}"}
        }
        assert client.post("/api/v1/bookings", json=body).status_code == 201
    other_number = {"citizen": {"name": "An", "phone": "+32470139999"}}
    problem(
        client.post(
            "/api/v1/bookings", json=booking_body(officer, start=MOMENTS[3]) | other_number
        ),
        429,
    )
    # A bailiff office behind the same address counts on its own token instead.
    assert (
        client.post(
            "/api/v1/assistance/bookings", json=assistance_body(), headers=OFFICE
        ).status_code
        == 201
    )


@freeze_time(NOW)
def test_citizen_changes_through_the_api_are_limited_per_address(client, officer, session):
    token = client.post("/api/v1/bookings", json=booking_body(officer)).get_json()["manage_token"]
    moves = [m for m in MOMENTS if m != MOMENTS[2]] * 5
    answers = [
        client.post(f"/api/v1/bookings/{token}/reschedule", json={"start": start}).status_code
        for start in moves[:21]
    ]
    assert answers[:20] == [200] * 20
    assert answers[20] == 429


@freeze_time(NOW)
def test_a_replay_needs_the_same_office(client, officer, bailiff_service, session):
    make_bailiff(session, token="other-office-token")
    session.commit()
    key = {"Idempotency-Key": "order-7"}
    route = "/api/v1/assistance/bookings"
    first = client.post(route, json=assistance_body(), headers={**key, **OFFICE})
    assert first.status_code == 201
    # The same key and body without the token, with a wrong one, or with another office's:
    # no replay, nothing of the first office's booking.
    anonymous = client.post(route, json=assistance_body(), headers=key)
    problem(anonymous, 403, "Authorization")
    wrong = client.post(
        route, json=assistance_body(), headers={**key, "Authorization": "Bearer nope"}
    )
    problem(wrong, 401)
    other = client.post(
        route,
        json=assistance_body(),
        headers={**key, "Authorization": "Bearer other-office-token"},
    )
    problem(other, 409, "start")  # its own try: the moment is taken
    for answer in (anonymous, wrong, other):
        assert first.get_json()["reference"] not in answer.get_data(as_text=True)
    again = client.post(route, json=assistance_body(), headers={**key, **OFFICE})
    assert again.get_json() == first.get_json()
    assert count_rows(session, Booking) == 1


def _queue(session, n: int, *, kind=MessageKind.CONFIRMATION, to="+32470123456") -> None:
    now = datetime.fromisoformat(NOW)
    for i in range(n):
        enqueue(
            session,
            key=f"test:{kind}:{i}",
            recipient=to,
            body="Uw afspraak",
            language="nl",
            kind=kind,
            booking_id=None,
            due_at=now,
            now=now,
        )
    session.commit()


def _send(app) -> None:
    send_due(
        app.extensions["db_sessionmaker"],
        Recorder(),
        clock=lambda: datetime.now(UTC),
        lease=timedelta(minutes=5),
    )


def _statuses(session) -> list[OutboxStatus]:
    session.expire_all()
    return [m.status for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


@freeze_time(NOW)
def test_one_number_gets_at_most_the_hourly_cap_of_sms(app, session):
    (_hour, hourly), _day = SMS_CAPS
    _queue(session, hourly + 3)
    _send(app)
    statuses = _statuses(session)
    assert statuses.count(OutboxStatus.SENT) == hourly
    assert statuses.count(OutboxStatus.FINAL) == 3
    capped = session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.FINAL)
    ).first()
    assert capped.last_error_code == "capped"  # shown on the undelivered-messages page


def test_and_the_daily_cap_over_the_day(app, session):
    (_hour, hourly), (_day, daily) = SMS_CAPS
    start = datetime.fromisoformat(NOW)
    for hour in range(4):
        with freeze_time(start + timedelta(hours=hour, minutes=1)):
            now = datetime.now(UTC)
            for i in range(hourly):
                enqueue(
                    session,
                    key=f"day:{hour}:{i}",
                    recipient="+32470123456",
                    body="x",
                    language="nl",
                    kind=MessageKind.REMINDER,
                    booking_id=None,
                    due_at=now,
                    now=now,
                )
            session.commit()
            _send(app)
    assert _statuses(session).count(OutboxStatus.SENT) == daily


@freeze_time(NOW)
@pytest.mark.parametrize("kind", [MessageKind.CANCELLED_BY_CITIZEN])
def test_staff_notices_are_not_capped(app, session, kind):
    _queue(session, SMS_CAPS[0][1] + 2, kind=kind, to="+32470999999")
    _send(app)
    assert set(_statuses(session)) == {OutboxStatus.SENT}
