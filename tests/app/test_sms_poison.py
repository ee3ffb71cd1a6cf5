"""A message that breaks its transport, or its worker, is given up with its reason and never
holds up the others."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.notify.sender import send_due
from app.notify.transports import Accepted
from scheduling.enums import MessageKind, OutboxStatus, Role
from scheduling.notices import MAX_ATTEMPTS
from tests.api_calls import book_by_api
from tests.app.sms_recorder import outbox_rows
from tests.factories import NOW
from tests.staff_login import sign_in_as

LEASE = timedelta(minutes=5)


class RaisesFor:
    """Raises for one recipient (as smtplib does for an address with a line break in it)."""

    def __init__(self, poison: str) -> None:
        self.poison, self.sent = poison, []

    def send(self, *, to, body):
        if to == self.poison:
            raise ValueError(f"bad recipient {to!r}")
        self.sent.append(to)
        return Accepted(f"SM{len(self.sent):032d}")


def _send(app, transport) -> int:
    return send_due(
        app.extensions["db_sessionmaker"], transport, clock=lambda: datetime.now(UTC), lease=LEASE
    )


@freeze_time(NOW)
def test_a_transport_that_raises_fails_that_message_only_and_is_capped(
    app, client, officer, session, caplog
):
    book_by_api(client, officer, citizen={"name": "Jan Peeters", "phone": "0470 12 34 56"})
    book_by_api(
        client,
        officer,
        start="2026-12-02T10:30:00+01:00",
        citizen={"name": "An Claes", "phone": "0470 65 43 21"},
    )
    transport = RaisesFor("+32470123456")

    assert _send(app, transport) == 2  # both confirmations tried in one run
    assert transport.sent == ["+32470654321"]
    poisoned = next(m for m in outbox_rows(session) if m.recipient == "+32470123456")
    assert poisoned.kind is MessageKind.CONFIRMATION
    assert (poisoned.status, poisoned.attempts) == (OutboxStatus.PENDING, 1)
    assert poisoned.last_error_code == "exception"
    assert "+32470123456" not in caplog.text  # only the exception's type is logged

    later = datetime.fromisoformat(NOW)
    for _ in range(MAX_ATTEMPTS):
        later += timedelta(hours=2)
        with freeze_time(later):
            _send(app, transport)
    session.expire_all()
    poisoned = session.get_one(OutboxMessage, poisoned.id)
    assert (poisoned.status, poisoned.attempts) == (OutboxStatus.FINAL, MAX_ATTEMPTS)
    assert poisoned.last_error_message == "the transport raised ValueError"


@freeze_time(NOW)
def test_a_message_whose_worker_dies_every_time_is_given_up_and_shown(
    app, client, officer, session
):
    book_by_api(client, officer)
    confirmation, reminder = outbox_rows(session)
    # Its worker claimed it MAX_ATTEMPTS times and died each time before recording anything.
    confirmation.status = OutboxStatus.SENDING
    confirmation.attempts = MAX_ATTEMPTS
    confirmation.next_attempt_at = datetime.fromisoformat(NOW) - timedelta(seconds=1)
    session.commit()
    transport = RaisesFor("nobody")

    assert _send(app, transport) == 0
    assert transport.sent == []
    session.expire_all()
    confirmation = session.get_one(OutboxMessage, confirmation.id)
    assert confirmation.status is OutboxStatus.FINAL
    assert confirmation.last_error_code == "abandoned"
    assert session.get_one(OutboxMessage, reminder.id).status is OutboxStatus.PENDING

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(client, session, Role.SUPERVISOR)
    page = client.get("/staff/admin/messages").get_data(as_text=True)
    assert "the sender stopped during every attempt" in page


def test_claimed_rows_under_the_cap_are_taken_again_after_their_lease(
    app, client, officer, session
):
    with freeze_time(NOW):
        book_by_api(client, officer)
        confirmation = session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.CONFIRMATION)
        ).one()
        confirmation.status = OutboxStatus.SENDING
        confirmation.attempts = 1
        confirmation.next_attempt_at = datetime.fromisoformat(NOW) + LEASE
        session.commit()
    transport = RaisesFor("nobody")
    with freeze_time(datetime.fromisoformat(NOW) + LEASE + timedelta(seconds=1)):
        assert _send(app, transport) == 1
    assert transport.sent == ["+32470123456"]
