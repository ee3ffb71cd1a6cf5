"""Signing out of the staff pages takes a call-taker out of the blue number's queue (the
console hears ``app.signals.staff_signed_out``; the staff pages do not import the console)."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from callcenter.models import CallTakerPresence
from callcenter.presence import set_status
from scheduling.enums import PresenceStatus


def signed_out(_sender: Any, *, session: Session, staff_id: int, now: datetime) -> None:
    """Offline, for a staff member who has a console status at all (the signal's receiver)."""
    row = session.get(CallTakerPresence, staff_id)
    if row is not None and row.status != PresenceStatus.OFFLINE:
        set_status(session, staff_id, PresenceStatus.OFFLINE, now)
