"""Each day's round in one officer's agenda: the stops in order with their village and the
drive before each, back to the office, and the day's travel (``scheduling.rounds``)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app import current
from scheduling import rounds
from scheduling.models import Staff


@dataclass(frozen=True)
class RoundShown:
    stops: list[tuple[rounds.Stop, int]]  # each stop and its drive in whole minutes
    back: int
    total: int


def minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def rounds_of(session: Session, whose: Staff | None, days: list[date]) -> dict[date, RoundShown]:
    """The round of each day with appointments, for one person's agenda when the zone keeps
    travel times (without them, travel is the service's fixed buffer: no round to show)."""
    if whose is None or rounds.travel_table(session) is None:
        return {}
    shown = {}
    for day in days:
        found = rounds.day_round(session, staff_id=whose.id, day=day, zone=current.zone())
        if found.stops:
            shown[day] = RoundShown(
                [(stop, minutes(stop.travel)) for stop in found.stops],
                minutes(found.back),
                minutes(found.travel),
            )
    return shown
