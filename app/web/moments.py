"""A week of free moments for the moment picker, grouped by day."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby

from sqlalchemy.orm import Session

from app import current, round_marks
from app.i18n import local
from scheduling.eligibility import Staffing
from scheduling.enums import LocationKind
from scheduling.models import Service
from scheduling.slots import Slot, find_slots

MAX_WEEKS_AHEAD = 13


@dataclass(frozen=True)
class Day:
    day: date
    slots: list[Slot]


@dataclass(frozen=True)
class Week:
    offset: int
    first: date
    last: date
    days: list[Day]
    has_previous: bool
    has_next: bool
    # Moments on the officer's round (near a visit in the same village), listed above the
    # week, each with the village it is in.
    on_round: list[Slot] = field(default_factory=list)
    marks: dict[Slot, str] = field(default_factory=dict)

    def mark(self, slot: Slot) -> str:
        """ "Your wijkagent is in Gooik that morning" for a moment on the round."""
        return round_marks.in_village(slot.start, self.marks[slot], current.zone())

    @property
    def empty(self) -> bool:
        return not any(d.slots for d in self.days)


def week_of_moments(
    session: Session,
    *,
    service: Service,
    staffing: Staffing,
    location: LocationKind,
    week: int,
    now: datetime,
    until: datetime | None = None,
) -> Week:
    """Seven days from today (``week`` = 0) or ``week`` weeks later, one moment per start time."""
    week = max(0, min(week, MAX_WEEKS_AHEAD))
    first = local(now).date() + timedelta(weeks=week)
    last = first + timedelta(days=6)
    slots = find_slots(
        session,
        service=service,
        staff_ids=staffing,
        first_day=first,
        last_day=last,
        now=now,
        zone=current.zone(),
        location=location,
        covers=staffing.covers,
        place=staffing.place,
    )
    if until is not None:
        slots = [s for s in slots if s.start <= until]
    # For a team, several people may be free at once: the citizen picks a time, not a person.
    # One per start, one on the round where there is one.
    unique = [
        min(group, key=lambda s: not s.near) for _, group in groupby(slots, key=lambda s: s.start)
    ]
    by_day = {d: list(g) for d, g in groupby(unique, key=lambda s: local(s.start).date())}
    days = [
        Day(first + timedelta(days=i), by_day.get(first + timedelta(days=i), [])) for i in range(7)
    ]
    marks = round_marks.villages(session, unique, place=staffing.place)
    return Week(
        week,
        first,
        last,
        days,
        has_previous=week > 0,
        has_next=week < MAX_WEEKS_AHEAD,
        on_round=round_marks.on_round(marks, unique),
        marks=marks,
    )


def first_week_with_moments(
    session: Session,
    *,
    service: Service,
    staffing: Staffing,
    location: LocationKind,
    now: datetime,
    until: datetime | None = None,
) -> int:
    """The offset of the first week with a free moment, 0 when none has one: the picker opens
    there, since an empty first week reads as "nothing is free" (an invitation that starts
    next week, an officer on leave)."""
    first = local(now).date()
    slots = find_slots(
        session,
        service=service,
        staff_ids=staffing,
        first_day=first,
        last_day=first + timedelta(weeks=MAX_WEEKS_AHEAD, days=6),
        now=now,
        zone=current.zone(),
        location=location,
        covers=staffing.covers,
        place=staffing.place,
    )
    starts = [s.start for s in slots if until is None or s.start <= until]
    return (local(min(starts)).date() - first).days // 7 if starts else 0
