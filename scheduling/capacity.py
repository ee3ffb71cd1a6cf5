"""The capacity rule for bailiff assistance: how many officers may be out on it at once.

The zone says, per weekday and time of day, how many officers bailiff assistance may take
(``AssistanceCapacityRule``), and which days it takes none (``AssistanceClosedDay``; public
holidays take none either). No rule covering a moment means no assistance then, so
assistance never drains the patrols by default.

How the database guarantees it, not just this code: the rule is counted out per quarter
hour into ``assistance_capacity`` rows (``sync``), each with a ``capacity`` and a ``used``
count and the CHECK ``used <= capacity``. Booking assistance for N officers adds N to
``used`` on every quarter hour its time touches (``claim``), after locking those rows in
order; a second booking racing for the last officers waits for the first's lock and then
violates the CHECK (or finds a quarter hour without a row, which means no capacity), so
whichever commits second is refused, whatever code wrote it. Cancelling gives the officers
back (``release``). The officers themselves are guarded as before: one reservation each,
with the exclusion constraint on ``reservations``.

A rule made stricter does not undo bookings already made: a quarter hour keeps ``capacity``
at what is used until those bookings free it (then it falls back to the rule's figure).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from scheduling.calendar import is_public_holiday
from scheduling.errors import SlotUnavailable
from scheduling.models import AssistanceCapacity, AssistanceCapacityRule, AssistanceClosedDay
from scheduling.zone_time import local_day_bounds, local_to_utc

SLICE = timedelta(minutes=15)
EPOCH = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))


@dataclass(frozen=True)
class RulePart:
    """One line of the capacity rule, in local wall time."""

    weekday: int  # Monday = 0
    starts: time
    ends: time
    officers: int

    @classmethod
    def of(cls, row: AssistanceCapacityRule) -> "RulePart":
        return cls(row.weekday, row.starts, row.ends, row.officers)


def slices_of(start: datetime, end: datetime) -> list[datetime]:
    """The quarter hours (their UTC starts) that the period [start, end) touches."""
    first = start - (start - EPOCH) % SLICE
    out = []
    at = first
    while at < end:
        out.append(at)
        at += SLICE
    return out


def rule_for_day(
    rule: Sequence[RulePart], closed: Iterable[date], day: date, zone: ZoneInfo
) -> dict[datetime, int]:
    """Officers the rule gives on each quarter hour of one local day (UTC starts).

    Quarter hours are counted in real time, so the day of a DST change has 92 or 100 of
    them; where two rule lines overlap, the larger figure counts (they are not added).
    """
    day_start, day_end = local_day_bounds(day, zone)
    out = dict.fromkeys(slices_of(day_start, day_end), 0)
    if day in set(closed) or is_public_holiday(day):
        return out
    for part in rule:
        if part.weekday != day.weekday():
            continue
        start = local_to_utc(day, part.starts, zone)
        end = local_to_utc(day, part.ends, zone, end=True)
        for s in slices_of(start, end):
            if s >= start and s + SLICE <= end and s in out:  # whole quarter hours only
                out[s] = max(out[s], part.officers)
    return out


@dataclass(frozen=True)
class Capacity:
    """Officers still free for assistance per quarter hour (missing: none)."""

    free: Mapping[datetime, int]

    def allows(self, start: datetime, end: datetime, officers: int) -> bool:
        return all(self.free.get(s, 0) >= officers for s in slices_of(start, end))


def load(
    session: Session, spans: Sequence[tuple[datetime, datetime]], *, officers: int = 1
) -> Capacity:
    """What is free in these periods, as the database counts it: only the quarter hours
    with room for ``officers`` (the others are as good as missing, and a search skips them)."""
    free = AssistanceCapacity.capacity - AssistanceCapacity.used
    rows = session.execute(
        select(AssistanceCapacity.slice_start, free).where(
            or_(
                *(
                    AssistanceCapacity.slice_start.between(start - SLICE, end)
                    for start, end in spans
                )
            ),
            free >= officers,
        )
    )
    return Capacity(dict(rows.tuples().all()))


def sync(session: Session, *, first_day: date, last_day: date, zone: ZoneInfo) -> int:
    """Count the current rule out into quarter hours for these local days (inclusive);
    returns how many rows changed. Run on every rule change and daily (the horizon moves)."""
    rule = [RulePart.of(r) for r in session.scalars(select(AssistanceCapacityRule))]
    closed = set(session.scalars(select(AssistanceClosedDay.day)))
    wanted: dict[datetime, int] = {}
    day = first_day
    while day <= last_day:
        wanted.update(rule_for_day(rule, closed, day, zone))
        day += timedelta(days=1)
    if not wanted:
        return 0
    existing = {
        row.slice_start: row
        for row in session.scalars(
            select(AssistanceCapacity)
            .where(
                AssistanceCapacity.slice_start >= min(wanted),
                AssistanceCapacity.slice_start <= max(wanted),
            )
            .order_by(AssistanceCapacity.slice_start)
            .with_for_update()
        )
    }
    changed = 0
    for at, officers in wanted.items():
        row = existing.get(at)
        if row is None:
            if officers:
                session.add(
                    AssistanceCapacity(
                        slice_start=at, rule_officers=officers, capacity=officers, used=0
                    )
                )
                changed += 1
        elif row.rule_officers != officers or row.capacity != max(officers, row.used):
            row.rule_officers = officers
            row.capacity = max(officers, row.used)
            changed += 1
    session.flush()
    return changed


def claim(session: Session, start: datetime, end: datetime, officers: int) -> None:
    """Take ``officers`` on every quarter hour of [start, end); the database refuses beyond
    the capacity (IntegrityError from the CHECK, which the caller's savepoint turns into
    "just taken"), and a quarter hour without a row has no capacity at all."""
    wanted = slices_of(start, end)
    locked = session.scalars(
        select(AssistanceCapacity.slice_start)
        .where(AssistanceCapacity.slice_start.in_(wanted))
        .order_by(AssistanceCapacity.slice_start)  # one lock order: no deadlock between two
        .with_for_update()
    ).all()
    if len(locked) != len(wanted):
        raise SlotUnavailable("No police capacity is left for assistance then.", field="start")
    session.execute(
        update(AssistanceCapacity)
        .where(AssistanceCapacity.slice_start.in_(wanted))
        .values(used=AssistanceCapacity.used + officers)
        .execution_options(synchronize_session=False)
    )
    session.flush()


def release(session: Session, start: datetime, end: datetime, officers: int) -> None:
    """Give the officers back; a quarter hour above a stricter rule falls back towards it."""
    left = AssistanceCapacity.used - officers
    rule = AssistanceCapacity.rule_officers
    session.execute(
        update(AssistanceCapacity)
        .where(AssistanceCapacity.slice_start.in_(slices_of(start, end)))
        .values(used=left, capacity=case((rule >= left, rule), else_=left))
        .execution_options(synchronize_session=False)
    )
    session.flush()
