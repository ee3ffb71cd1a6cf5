"""Which call-takers can take a call now; the blue number queues callers only then."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.enums import PresenceStatus
from scheduling.models import CallTakerPresence, Staff


def any_available(session: Session) -> bool:
    """Whether at least one active call-taker is signed in and available."""
    return (
        session.scalar(
            select(CallTakerPresence.staff_id)
            .join(Staff, Staff.id == CallTakerPresence.staff_id)
            .where(CallTakerPresence.status == PresenceStatus.AVAILABLE, Staff.active)
            .limit(1)
        )
        is not None
    )


def set_status(session: Session, staff_id: int, status: PresenceStatus, now: datetime) -> None:
    """Record a call-taker's status (from their console)."""
    row = session.get(CallTakerPresence, staff_id)
    if row is None:
        session.add(CallTakerPresence(staff_id=staff_id, status=status, updated_at=now))
    else:
        row.status, row.updated_at = status, now
    session.flush()
