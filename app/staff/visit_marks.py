"""Writing the marks an officer makes on the today page (done, no-show, a note): once per
mark id, whatever how often a phone that was offline sends it again. A done or no-show
closes the appointment through ``app.commands.close`` in the same savepoint, so a mark and
its close are kept together or not at all."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import commands
from app.staff.models import VisitMark
from scheduling.enums import BookingStatus, Channel
from scheduling.errors import SchedulingError
from scheduling.models import Booking
from scheduling.trail import Actor

NOTE_MAX = 500  # the column's width; a note is a reminder, not a report
KINDS = {"done": BookingStatus.DONE, "no_show": BookingStatus.NO_SHOW, "note": None}


class Outcome(Enum):
    RECORDED = "recorded"
    ALREADY = "already"  # this mark id was recorded before: nothing done twice
    CLOSED_BEFORE = "closed"  # the appointment was already cancelled, done or no-show
    NOT_STARTED = "not_started"  # done / no-show before the appointment began


@dataclass(frozen=True)
class Mark:
    mark_id: str
    kind: str  # a key of KINDS
    note: str
    marked_at: datetime  # the phone's clock, UTC


def record(
    session: Session, booking: Booking, mark: Mark, *, staff_id: int, now: datetime
) -> Outcome:
    """Keep ``mark`` on ``booking`` (locked by the caller), closing it for done / no-show.
    Flushes, never commits."""
    if session.get(VisitMark, mark.mark_id) is not None:
        return Outcome.ALREADY
    outcome = KINDS[mark.kind]
    if outcome is not None and booking.status is not BookingStatus.CONFIRMED:
        return Outcome.CLOSED_BEFORE
    try:
        with session.begin_nested():
            if outcome is not None:
                commands.close(
                    session,
                    booking,
                    outcome=outcome,
                    actor=Actor.staff(staff_id, Channel.STAFF),
                    now=now,
                )
            session.add(
                VisitMark(
                    mark_id=mark.mark_id,
                    booking_id=booking.id,
                    staff_id=staff_id,
                    kind=mark.kind,
                    note=mark.note,
                    marked_at=mark.marked_at,
                    received_at=now,
                )
            )
            session.flush()
    except IntegrityError:  # the same mark id, sent twice at once: the other one keeps it
        session.expire(booking)
        return Outcome.ALREADY
    except SchedulingError:  # only "not started" is left: status was checked above
        return Outcome.NOT_STARTED
    return Outcome.RECORDED
