"""Staff time that became free, noted by ``app.commands`` as it happens (a cancellation, a
move, an absence withdrawn, new bookable moments): the only time whose moments are offered
to those who wait (``app.earlier.offers``)."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from app.earlier.models import FreedTime


def note(
    session: Session, spans: Iterable[tuple[int, datetime, datetime]], *, now: datetime
) -> None:
    """Record (staff id, start, end) spans freed at ``now``; past ones are left out."""
    for staff_id, starts_at, ends_at in spans:
        if ends_at > now:
            session.add(
                FreedTime(staff_id=staff_id, starts_at=starts_at, ends_at=ends_at, freed_at=now)
            )
    session.flush()
