"""The callers waiting for a call-taker, read in one query (the live queue's every tick)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callcenter.models import TakenCall
from ivr.models import Call
from scheduling.models import Booking

QUEUED = "queued"  # the outcome the IVR gives a call while it waits in <Enqueue> (ivr.queue)


@dataclass(frozen=True)
class Waiting:
    call_id: int
    caller: str | None  # E.164; None when the number is withheld
    name: str | None  # the name of the caller's latest appointment, if any
    topic: str | None
    started_at: datetime

    def as_json(self, now: datetime) -> dict[str, Any]:
        return {
            "id": self.call_id,
            "caller": self.caller,
            "name": self.name,
            "topic": self.topic,
            "since": self.started_at.isoformat(),
            "waited": max(0, int((now - self.started_at).total_seconds())),
        }


def waiting_callers(session: Session) -> list[Waiting]:
    """Queued, not ended and not taken, longest waiting first; the name comes from the
    newest appointment booked with the caller's number (a correlated subquery: one query)."""
    name = (
        select(Booking.citizen_name)
        .where(Booking.citizen_phone == Call.caller)
        .order_by(Booking.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Call.id, Call.caller, name, Call.topic, Call.started_at)
        .outerjoin(TakenCall, TakenCall.call_id == Call.id)
        .where(Call.outcome == QUEUED, Call.ended_at.is_(None), TakenCall.call_id.is_(None))
        .order_by(Call.started_at, Call.id)
    )
    return [Waiting(*row) for row in rows]
