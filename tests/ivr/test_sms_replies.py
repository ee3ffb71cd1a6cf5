"""Citizens' SMS answers: cancel, confirm, STOP/START, anything else kept; replays act once."""

from xml.etree import ElementTree

from freezegun import freeze_time
from sqlalchemy import select, update

from app.notify.models import InboundSms, OutboxMessage
from app.notify.outbox import opted_out
from scheduling.enums import BookingStatus, EventKind, OutboxStatus
from scheduling.models import AuditEntry, Booking, DomainEvent
from tests.api_calls import book_by_api
from tests.factories import NOW

CITIZEN = "+32470123456"


def _booked_and_told(client, officer, session, **kw):
    answer = book_by_api(client, officer, **kw)
    session.execute(update(OutboxMessage).values(status=OutboxStatus.SENT))
    session.commit()
    return answer


def _reply(client, body, sid="SM" + "a" * 32, sender="0470 12 34 56"):
    response = client.post("/sms/inbound", data={"From": sender, "Body": body, "MessageSid": sid})
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = ElementTree.fromstring(response.get_data())  # noqa: S314  # our own answer, in a test
    assert root.tag == "Response"
    (message,) = root.findall("Message")
    return message.text


@freeze_time(NOW)
def test_annuleer_cancels_the_last_messages_booking_once(client, officer, session):
    _booked_and_told(client, officer, session, language="en")
    text = _reply(client, " Annuleer ")
    assert "is cancelled" in text
    assert "02/12" in text
    assert "10:00" in text
    session.expire_all()
    assert session.scalars(select(Booking.status)).one() is BookingStatus.CANCELLED
    event = session.scalars(
        select(DomainEvent).where(DomainEvent.kind == EventKind.CANCELLED_BY_CITIZEN)
    ).one()
    assert event.payload["channel"] == "sms"
    assert _reply(client, "ANNULEER") == text  # a replayed webhook: same answer, no new row
    assert len(session.scalars(select(InboundSms)).all()) == 1


@freeze_time(NOW)
def test_ja_records_attendance(client, officer, session):
    _booked_and_told(client, officer, session)
    assert "02/12" in _reply(client, "ja")
    actions = session.scalars(select(AuditEntry.action)).all()
    assert "attendance_confirmed" in actions
    assert session.scalars(select(Booking.status)).one() is BookingStatus.CONFIRMED


@freeze_time(NOW)
def test_stop_and_start_switch_reminders(client, officer, session):
    _reply(client, "STOP", sid="SM" + "1" * 32)
    assert opted_out(session, CITIZEN)
    _booked_and_told(client, officer, session)
    kinds = [m.kind.value for m in session.scalars(select(OutboxMessage)).all()]
    assert kinds == ["confirmation"]  # no reminder after STOP
    _reply(client, "START", sid="SM" + "2" * 32)
    assert not opted_out(session, CITIZEN)


@freeze_time(NOW)
def test_anything_else_is_kept_and_answered_with_the_numbers(client, officer, session):
    text = _reply(client, "Mag mijn zoon mee komen?")
    assert "112" in text
    assert "101" in text
    assert "054 31 35 01" in text
    kept = session.scalars(select(InboundSms)).one()
    assert kept.action == "kept"
    assert kept.body == "Mag mijn zoon mee komen?"
    assert kept.sender == CITIZEN


@freeze_time(NOW)
def test_cancel_without_an_appointment_is_refused(client, officer, session):
    assert "no coming appointment" in _reply(client, "CANCEL")


def test_forged_inbound_is_403(signed_app, session):
    client = signed_app.test_client()
    form = {"From": CITIZEN, "Body": "CANCEL", "MessageSid": "SM" + "f" * 32}
    assert client.post("/sms/inbound", data=form).status_code == 403
    assert (
        client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": "x"}).status_code
        == 403
    )


@freeze_time(NOW)
def test_a_message_with_control_or_direction_characters_is_kept_without_them(
    client, officer, session
):
    _booked_and_told(client, officer, session, language="en")
    # NUL would make PostgreSQL refuse the row (and Twilio retry forever); an override would
    # turn the text around where a call-taker reads it. The message itself is kept.
    assert "call-taker" in _reply(client, "Kan ik\x00 verzetten?\u202e\r\nDank")
    (kept,) = session.scalars(select(InboundSms)).all()
    assert kept.body == "Kan ik verzetten?\r\nDank"
