"""What the console shows about a caller, found by their number: appointments to come and
past, earlier calls and call-back tasks."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.notify.models import CallbackTask
from ivr.models import Call
from scheduling.enums import BookingStatus
from scheduling.models import Booking

EARLIER_LIMIT = 10


@dataclass(frozen=True)
class CallerRecord:
    number: str | None
    name: str | None
    upcoming: list[Booking]
    past: list[Booking]
    earlier_calls: list[Call]
    callbacks: list[CallbackTask]


def caller_record(session: Session, *, call: Call, now: datetime) -> CallerRecord:
    number = call.caller
    if number is None:  # a withheld number: nothing to match on
        return CallerRecord(None, None, [], [], [], [])
    bookings = list(
        session.scalars(
            select(Booking).where(Booking.citizen_phone == number).order_by(Booking.start_at)
        )
    )
    upcoming = [b for b in bookings if b.start_at >= now and b.status == BookingStatus.CONFIRMED]
    past = [b for b in reversed(bookings) if b not in upcoming][:EARLIER_LIMIT]
    newest = max(bookings, key=lambda b: b.created_at, default=None)
    earlier = list(
        session.scalars(
            select(Call)
            .where(Call.caller == number, Call.id != call.id)
            .order_by(Call.started_at.desc())
            .limit(EARLIER_LIMIT)
        )
    )
    booking_ids = [b.id for b in bookings]
    callbacks = list(
        session.scalars(
            select(CallbackTask)
            .where(or_(CallbackTask.phone == number, CallbackTask.booking_id.in_(booking_ids)))
            .order_by(CallbackTask.created_at.desc())
            .limit(EARLIER_LIMIT)
        )
    )
    return CallerRecord(
        number=number,
        name=newest.citizen_name if newest is not None else None,
        upcoming=upcoming,
        past=past,
        earlier_calls=earlier,
        callbacks=callbacks,
    )
