"""A landline gets no SMS: nothing is handed to Twilio, the confirmation and reminder are let
go (the citizen was told on the check page), and a notice that must arrive — a cancellation by
staff — becomes a call-back for the call-takers."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from app import commands
from app.notify.models import CallbackTask, OutboxMessage
from app.notify.sender import send_due
from app.notify.transports import Accepted
from app.worker import notify_events
from callcenter.statistics import period_figures
from scheduling.enums import MessageKind, OutboxStatus
from scheduling.models import Booking
from scheduling.trail import Actor
from tests.api_calls import book_by_api
from tests.app.sms_recorder import outbox_rows
from tests.factories import NOW

LANDLINE = "054 31 35 01"


class Recording:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, *, to, body):
        self.sent.append(to)
        return Accepted(f"SM{len(self.sent):032d}")


def _send(app, transport) -> int:
    return send_due(
        app.extensions["db_sessionmaker"],
        transport,
        clock=lambda: datetime.now(UTC),
        lease=timedelta(minutes=5),
    )


@freeze_time(NOW)
def test_no_sms_goes_to_a_landline_and_a_cancellation_becomes_a_call_back(
    app, client, officer, session
):
    book_by_api(client, officer, citizen={"name": "Jan Peeters", "phone": LANDLINE})
    book_by_api(
        client,
        officer,
        start="2026-12-02T10:30:00+01:00",
        citizen={"name": "An Claes", "phone": "0470 65 43 21"},
    )
    transport = Recording()
    assert _send(app, transport) == 2  # the two confirmations (the reminders are due later)
    assert transport.sent == ["+32470654321"]  # the landline never reached Twilio
    [confirmation] = [
        m
        for m in outbox_rows(session)
        if m.recipient == "+3254313501" and m.kind.value == "confirmation"
    ]
    assert (confirmation.status, confirmation.last_error_code) == (OutboxStatus.FINAL, "landline")
    assert session.scalars(select(CallbackTask)).all() == []  # the citizen knew: no call needed

    booking = session.scalars(select(Booking).where(Booking.citizen_phone == "+3254313501")).one()
    commands.cancel(session, booking, actor=Actor.staff(officer.id), now=datetime.now(UTC))
    session.commit()
    notify_events(app)
    _send(app, transport)
    assert transport.sent == ["+32470654321"]
    [task] = session.scalars(select(CallbackTask)).all()
    assert task.booking_id == booking.id
    assert "landline" in task.reason
    notice = session.get(OutboxMessage, task.outbox_id)
    assert notice.kind is MessageKind.CANCELLED_BY_STAFF
    # Nothing failed: the supervisor's failed-SMS count stays at zero.
    day = datetime.now(UTC).date()
    (figures,), _total = period_figures(
        session, first=day, last=day, zone=app.config["BLAUWLIJN"].zone
    )
    assert figures.sms_failed == 0
