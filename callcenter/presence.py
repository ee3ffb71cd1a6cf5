"""Which call-takers can take a call now; the blue number queues callers only then.

A status counts while the call-taker's console is open: its live-queue stream confirms it
every ``KEEP_ALIVE`` (``keep_alive``), so a console closed without signing out stops
counting after ``FRESH_FOR`` and callers get the menu instead of a queue nobody answers.
"""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from callcenter.models import CallTakerPresence, TakenCall
from scheduling.enums import PresenceStatus
from scheduling.models import Staff

KEEP_ALIVE = timedelta(seconds=30)
FRESH_FOR = timedelta(minutes=2)


def any_available(session: Session, now: datetime) -> bool:
    """Whether at least one active call-taker is available, with the console open."""
    return (
        session.scalar(
            select(CallTakerPresence.staff_id)
            .join(Staff, Staff.id == CallTakerPresence.staff_id)
            .where(
                CallTakerPresence.status == PresenceStatus.AVAILABLE,
                CallTakerPresence.updated_at >= now - FRESH_FOR,
                Staff.active,
            )
            .limit(1)
        )
        is not None
    )


def keep_alive(session: Session, staff_id: int, now: datetime) -> None:
    """The console is still open: its status (unless offline) holds on."""
    session.execute(
        update(CallTakerPresence)
        .where(
            CallTakerPresence.staff_id == staff_id,
            CallTakerPresence.status != PresenceStatus.OFFLINE,
        )
        .values(updated_at=now)
    )


def set_status(session: Session, staff_id: int, status: PresenceStatus, now: datetime) -> None:
    """Record a call-taker's status (from their console)."""
    row = session.get(CallTakerPresence, staff_id)
    if row is None:
        session.add(CallTakerPresence(staff_id=staff_id, status=status, updated_at=now))
    else:
        row.status, row.updated_at = status, now
    session.flush()


class ConsoleCallTakers:
    """The console's answer to the blue number's queue (``ivr.desk``)."""

    def any_available(self, session: Session, now: datetime) -> bool:
        return any_available(session, now)

    def taken_by(self, session: Session, call_id: int) -> int | None:
        taken = session.get(TakenCall, call_id)
        return None if taken is None else taken.staff_id
