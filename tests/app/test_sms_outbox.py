"""Booking changes become the right SMS for the right person; the sender sends each once."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import delete, select
from twilio.request_validator import RequestValidator

from app.notify.models import CallbackTask, OutboxMessage
from app.notify.sender import record, send_due
from app.worker import notify_events
from scheduling.booking import booking_by_token, cancel
from scheduling.enums import CallbackStatus, EventKind, MessageKind, OutboxStatus
from scheduling.models import DomainEvent
from scheduling.notices import SendError
from scheduling.trail import Actor
from tests.api_calls import book_by_api
from tests.app.sms_recorder import FakeTransport, outbox_rows
from tests.factories import NOW


@freeze_time(NOW)
def test_api_booking_queues_confirmation_with_link_and_reminder(client, officer, session):
    answer = book_by_api(client, officer, language="fr")
    confirmation, reminder = outbox_rows(session)
    assert confirmation.kind is MessageKind.CONFIRMATION
    assert confirmation.recipient == "+32470123456"
    assert confirmation.language == "fr"
    assert f"/appointment/{answer['manage_token']}" in confirmation.body
    assert "mercredi 02/12" in confirmation.body
    assert "10:00" in confirmation.body
    assert "Wijkpost Bever" in confirmation.body
    assert "Votre eID." in confirmation.body
    assert confirmation.due_at == datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert reminder.kind is MessageKind.REMINDER
    assert reminder.due_at == datetime(2026, 12, 1, 9, tzinfo=UTC)  # 24 h before
    booked = session.scalar(select(DomainEvent).where(DomainEvent.kind == EventKind.BOOKED))
    assert booked.handled_at is not None  # the worker will not confirm it a second time


# Both databases: the idempotency key holds by INSERT … ON CONFLICT, each in its own dialect.
@pytest.mark.both_databases
@freeze_time(NOW)
def test_web_and_worker_paths_share_one_confirmation(app, client, officer, session):
    book_by_api(client, officer)
    session.execute(DomainEvent.__table__.update().values(handled_at=None))
    session.commit()
    notify_events(app)
    kinds = [m.kind for m in outbox_rows(session)]
    assert kinds.count(MessageKind.CONFIRMATION) == 1


def test_an_appointment_already_past_gets_no_confirmation(app, client, officer, session):
    with freeze_time(NOW):
        book_by_api(client, officer)
    session.execute(delete(OutboxMessage))
    session.execute(DomainEvent.__table__.update().values(handled_at=None))
    session.commit()
    with freeze_time("2026-12-03T08:00:00Z"):  # the day after it (seeded or imported late)
        notify_events(app)
    assert outbox_rows(session) == []


@freeze_time(NOW)
def test_citizen_cancellation_tells_the_staff_member_and_drops_the_reminder(
    app, client, officer, session
):
    token = book_by_api(client, officer)["manage_token"]
    assert client.post(f"/api/v1/bookings/{token}/cancel", json={}).status_code == 200
    assert notify_events(app) == 1
    assert notify_events(app) == 0  # handled once
    rows = {m.kind: m for m in outbox_rows(session)}
    assert rows[MessageKind.REMINDER].status is OutboxStatus.FINAL
    notice = rows[MessageKind.CANCELLED_BY_CITIZEN]
    assert notice.recipient == "+32470999999"
    assert "Jan Peeters" in notice.body


@freeze_time(NOW)
def test_staff_cancellation_reaches_the_citizen_with_reason(app, client, officer, session):
    token = book_by_api(client, officer, language="en")["manage_token"]
    booking = booking_by_token(session, token)
    cancel(
        session,
        booking=booking,
        actor=Actor.staff(officer.id),
        now=datetime.now(UTC),
        reason="Officer ill",
    )
    session.commit()
    notify_events(app)
    notice = next(m for m in outbox_rows(session) if m.kind is MessageKind.CANCELLED_BY_STAFF)
    assert notice.recipient == "+32470123456"
    assert "Officer ill" in notice.body
    assert "http://127.0.0.1:5000/?lang=en" in notice.body


@freeze_time(NOW)
def test_a_move_sends_the_change_and_a_new_reminder(app, client, officer, session):
    token = book_by_api(client, officer, language="en")["manage_token"]
    moved = client.post(
        f"/api/v1/bookings/{token}/reschedule", json={"start": "2026-12-02T11:00:00+01:00"}
    )
    assert moved.status_code == 200
    notify_events(app)
    rows = outbox_rows(session)
    change = next(m for m in rows if m.kind is MessageKind.CHANGED)
    assert "11:00" in change.body
    assert "Inspecteur Wouters" in change.body
    reminders = [m for m in rows if m.kind is MessageKind.REMINDER]
    assert [r.status for r in reminders] == [OutboxStatus.FINAL, OutboxStatus.PENDING]


def _sessions(app):
    return app.extensions["db_sessionmaker"]


# Both databases: the sender claims rows by FOR UPDATE SKIP LOCKED on PostgreSQL, serialised
# writers on SQLite.
@pytest.mark.both_databases
@freeze_time(NOW)
def test_sender_sends_due_once_and_retries_with_backoff(app, client, officer, session):
    book_by_api(client, officer)
    transport = FakeTransport(SendError("500", "server error", retryable=True))
    clock = lambda: datetime.now(UTC)  # noqa: E731
    assert send_due(_sessions(app), transport, clock=clock, lease=timedelta(minutes=5)) == 1
    confirmation, reminder = outbox_rows(session)
    assert confirmation.status is OutboxStatus.PENDING
    assert confirmation.attempts == 1
    assert confirmation.next_attempt_at == datetime.now(UTC) + timedelta(seconds=30)
    assert reminder.status is OutboxStatus.PENDING
    assert reminder.attempts == 0
    with freeze_time("2026-12-01T08:00:31Z"):
        assert send_due(_sessions(app), transport, clock=clock, lease=timedelta(minutes=5)) == 1
        assert send_due(_sessions(app), transport, clock=clock, lease=timedelta(minutes=5)) == 0
    confirmation, _ = outbox_rows(session)
    assert confirmation.status is OutboxStatus.SENT
    assert confirmation.provider_sid
    assert len(transport.sent) == 2


@freeze_time(NOW)
def test_permanent_error_is_final_and_a_cancellation_becomes_a_callback(
    app, client, officer, session
):
    token = book_by_api(client, officer)["manage_token"]
    cancel(
        session,
        booking=booking_by_token(session, token),
        actor=Actor.staff(officer.id),
        now=datetime.now(UTC),
        reason="Ziek",
    )
    session.commit()
    notify_events(app)
    notice = next(m for m in outbox_rows(session) if m.kind is MessageKind.CANCELLED_BY_STAFF)
    with _sessions(app).begin() as s:
        s.get_one(OutboxMessage, notice.id).attempts = 1
        record(s, notice.id, SendError("21211", "invalid To", retryable=False), datetime.now(UTC))
    session.expire_all()
    assert session.get(OutboxMessage, notice.id).status is OutboxStatus.FINAL
    assert session.get(OutboxMessage, notice.id).last_error_code == "21211"
    task = session.scalars(select(CallbackTask)).one()
    assert task.booking_id == notice.booking_id
    assert task.status is CallbackStatus.OPEN


def _signed_post(client, form, token="secret-token"):
    url = "https://blauwlijn.example/sms/status"
    signature = RequestValidator(token).compute_signature(url, form)
    return client.post("/sms/status", data=form, headers={"X-Twilio-Signature": signature})


@freeze_time(NOW)
def test_status_callback_is_signed_and_records_delivery(signed_app, officer, session):
    client = signed_app.test_client()
    row = OutboxMessage(
        idempotency_key="changed:1:x",
        recipient="+32470123456",
        body="b",
        language="nl",
        kind=MessageKind.CHANGED,
        booking_id=None,
        due_at=datetime.now(UTC),
        next_attempt_at=datetime.now(UTC),
        status=OutboxStatus.SENT,
        provider_sid="SM" + "1" * 32,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.commit()
    form = {"MessageSid": row.provider_sid, "MessageStatus": "delivered"}
    assert _signed_post(client, form, token="wrong").status_code == 403
    assert client.post("/sms/status", data=form).status_code == 403
    answer = _signed_post(client, form)
    assert answer.status_code == 200
    assert answer.mimetype == "text/xml"
    session.expire_all()
    assert session.get(OutboxMessage, row.id).status is OutboxStatus.DELIVERED


@freeze_time(NOW)
def test_undelivered_change_becomes_one_callback_task(signed_app, client, officer, session):
    token = book_by_api(client, officer)["manage_token"]
    booking = booking_by_token(session, token)
    row = OutboxMessage(
        idempotency_key="changed:x",
        recipient="+32470123456",
        body="b",
        language="nl",
        kind=MessageKind.CHANGED,
        booking_id=booking.id,
        due_at=datetime.now(UTC),
        next_attempt_at=datetime.now(UTC),
        status=OutboxStatus.SENT,
        provider_sid="SM" + "2" * 32,
        created_at=datetime.now(UTC),
    )
    session.add(row)
    session.commit()
    signed = signed_app.test_client()
    form = {"MessageSid": row.provider_sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert _signed_post(signed, form).status_code == 200
    assert _signed_post(signed, form).status_code == 200  # a replay adds nothing
    session.expire_all()
    assert session.get(OutboxMessage, row.id).status is OutboxStatus.FAILED
    tasks = session.scalars(select(CallbackTask)).all()
    assert [(t.booking_id, t.outbox_id) for t in tasks] == [(booking.id, row.id)]
