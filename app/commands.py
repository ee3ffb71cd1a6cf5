"""The one way a channel changes a booking: book, cancel, move, close.

Web pages, the API, the phone menu, SMS replies, the console and the staff pages call these,
never the engine's functions alone. Each command is all-or-nothing (the engine runs its
writes in a SAVEPOINT) and leaves, in the caller's transaction, everything the people
concerned must hear: a booking queues its confirmation and reminder at once (the SMS carries
the manage link, which exists only now); a cancellation or a move writes the domain event
that the worker turns into the other side's SMS (``app.notify.outbox.handle_event``).
The caller owns the transaction and commits once.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from app.config import Config
from app.notify.outbox import queue_booked
from scheduling import booking as engine
from scheduling.booking import Booked, BookingRequest
from scheduling.enums import BookingStatus
from scheduling.models import Booking
from scheduling.trail import Actor


def book(
    session: Session,
    request: BookingRequest,
    *,
    actor: Actor,
    now: datetime,
    config: Config,
    bailiff_account_id: int | None = None,
) -> Booked:
    """Book a free moment and queue its confirmation and reminder, or raise a
    SchedulingError with nothing written."""
    booked = engine.book(
        session,
        request=request,
        actor=actor,
        now=now,
        zone=config.zone,
        bailiff_account_id=bailiff_account_id,
    )
    queue_booked(session, booked, config=config, now=now)
    return booked


def cancel(
    session: Session,
    booking: Booking,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
    details: dict[str, str] | None = None,
) -> Booking:
    """Cancel (idempotent); the other side is told through the domain event."""
    return engine.cancel(
        session, booking=booking, actor=actor, now=now, reason=reason, details=details
    )


def move(
    session: Session,
    booking: Booking,
    *,
    start: datetime,
    actor: Actor,
    now: datetime,
    config: Config,
    staff_id: int | None = None,
    reason: str | None = None,
) -> Booking:
    """Move to another free moment, or raise with the booking as it was; the citizen is told
    through the domain event."""
    return engine.reschedule(
        session,
        booking=booking,
        start=start,
        actor=actor,
        now=now,
        zone=config.zone,
        staff_id=staff_id,
        reason=reason,
    )


def close(
    session: Session, booking: Booking, *, outcome: BookingStatus, actor: Actor, now: datetime
) -> Booking:
    """Mark an appointment done or no-show (nobody is told)."""
    return engine.close(session, booking=booking, outcome=outcome, actor=actor, now=now)
