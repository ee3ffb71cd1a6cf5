"""The figures of the information-led overview, as pure queries: no Flask, ``now`` and the
zone passed in. Each block is one aggregate query (the database counts, Python only shapes
the result), over the indexes of ``reports``: ``created_at`` bounds every period (on
PostgreSQL it covers the columns these queries read, so they never visit the table: migration
0017), ``(status, due_at)`` finds the open questions past their date.

Sensitive reports are counted, never placed: in the weekly table they are one row per
phenomenon for the whole zone (no municipality), and they are left out of the streets with
most reports. Nothing here opens a case, so nothing is written to the access log.
"""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from statistics import median
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.reports.due import is_working_day
from app.reports.enums import FINISHED, CategoryKind, ReportStatus
from app.reports.models import Report, ReportCategory
from scheduling.hours import Hours
from scheduling.zone_time import local_to_utc

WEEKS = 12
# The statuses of a case still being worked on: listed rather than "not finished", so the
# (status, due_at) index is read as a few ranges.
OPEN = tuple(status for status in ReportStatus if status not in FINISHED)
STREET_DAYS = 30
TOP_STREETS = 10


@dataclass(frozen=True)
class Weeks:
    """The last ``WEEKS`` ISO weeks up to this one, as the zone's local Mondays."""

    mondays: tuple[date, ...]
    bounds: tuple[datetime, ...]  # UTC: each Monday's start, then the Monday after the last

    @property
    def labels(self) -> list[str]:
        return [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in self.mondays]


def weeks_until(now: datetime, zone: ZoneInfo, count: int = WEEKS) -> Weeks:
    today = now.astimezone(zone).date()
    this_monday = today - timedelta(days=today.weekday())
    mondays = tuple(this_monday - timedelta(weeks=count - 1 - n) for n in range(count))
    edges = (*mondays, this_monday + timedelta(weeks=1))
    return Weeks(mondays, tuple(local_to_utc(d, time(0), zone) for d in edges))


@dataclass(frozen=True)
class WeeklyRow:
    category_code: str
    category_names: dict[str, str]
    sensitive: bool
    municipality: str | None  # None: sensitive (the whole zone), or no place given
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


def weekly_counts(session: Session, weeks: Weeks) -> list[WeeklyRow]:
    """Reports and questions received per category × municipality × week: one query over
    ``reports`` alone (the covering index on created_at answers it without the table), and
    the categories — a handful of rows — read beside it."""
    bounds = weeks.bounds
    week = case(
        *((Report.created_at < edge, n) for n, edge in enumerate(bounds[1:-1])),
        else_=len(bounds) - 2,
    ).label("week")
    rows = session.execute(
        select(Report.category_id, Report.municipality, week, func.count())
        .where(Report.created_at >= bounds[0], Report.created_at < bounds[-1])
        .group_by(Report.category_id, Report.municipality, week)
    )
    categories = {c.id: c for c in session.scalars(select(ReportCategory))}
    table: dict[tuple[str, str | None], WeeklyRow] = {}
    for category_id, place, index, count in rows:
        category = categories[category_id]
        if category.sensitive:
            place = None  # counted for the whole zone, never placed
        key = (category.code, place)
        if key not in table:
            table[key] = WeeklyRow(
                category.code, dict(category.names), category.sensitive, place, [0] * WEEKS
            )
        table[key].counts[int(index)] += int(count)
    return sorted(
        table.values(),
        key=lambda r: (r.sensitive, r.category_code, r.municipality is None, r.municipality or ""),
    )


def per_week(rows: Sequence[WeeklyRow], key: str) -> dict[str, list[int]]:
    """The weekly counts summed by ``key`` ("category_code" or "municipality"), for the
    trend charts (sensitive reports only by category)."""
    sums: dict[str, list[int]] = {}
    for row in rows:
        name = getattr(row, key)
        if name is None:
            continue
        counts = sums.setdefault(name, [0] * len(row.counts))
        for n, value in enumerate(row.counts):
            counts[n] += value
    return sums


@dataclass(frozen=True)
class StreetCount:
    street: str
    postcode: str | None
    municipality: str | None
    count: int


def top_streets(session: Session, *, now: datetime, days: int = STREET_DAYS) -> list[StreetCount]:
    """The streets with most reports received in the last ``days`` days (never a sensitive
    report's street)."""
    since = now - timedelta(days=days)
    count = func.count().label("n")
    rows = session.execute(
        select(Report.street_name, Report.postcode, Report.municipality, count)
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .where(
            Report.created_at >= since,
            Report.street_name.is_not(None),
            ReportCategory.sensitive.is_(False),
        )
        .group_by(Report.street_name, Report.postcode, Report.municipality)
        .order_by(count.desc(), Report.street_name)
        .limit(TOP_STREETS)
    )
    return [StreetCount(s, p, m, int(n)) for s, p, m, n in rows]


@dataclass(frozen=True)
class AnswerFigures:
    answered: int  # questions answered that came in during the period
    on_time: int  # ... of them by their promised date
    median_working_hours: float | None
    open_overdue: int  # open questions past their date now
    durations: list[float] = field(default_factory=list, repr=False)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.answered) if self.answered else None


def answer_figures(
    session: Session, weeks: Weeks, *, now: datetime, hours: Hours, zone: ZoneInfo
) -> AnswerFigures:
    """How fast the questions that came in during ``weeks`` were answered: the median
    working time (the zone's answer hours, app.reports.due) and the share answered by the
    promised date; and how many open questions are past their date now."""
    # Instants as POSIX seconds straight from the database: thousands of rows, and a
    # datetime each would cost more than the working-time arithmetic itself.
    answered = session.execute(
        select(
            func.extract("epoch", Report.created_at),
            func.extract("epoch", Report.closed_at),
            Report.closed_at <= Report.due_at,
        ).where(
            Report.created_at >= weeks.bounds[0],
            Report.created_at < weeks.bounds[-1],
            Report.category_id.in_(
                select(ReportCategory.id).where(ReportCategory.kind == CategoryKind.QUESTION)
            ),
            Report.status == ReportStatus.ANSWERED,
        )
    ).all()
    overdue = session.scalar(
        select(func.count()).select_from(Report).where(Report.status.in_(OPEN), Report.due_at < now)
    )
    clock = WorkingClock(weeks.bounds[0], max(now, weeks.bounds[-1]), hours, zone)
    durations = [
        clock.seconds_between(float(created), float(closed)) / 3600
        for created, closed, _ in answered
        if closed is not None
    ]
    return AnswerFigures(
        answered=len(answered),
        on_time=sum(1 for *_, in_time in answered if in_time),
        median_working_hours=round(median(durations), 1) if durations else None,
        open_overdue=int(overdue or 0),
        durations=durations,
    )


class WorkingClock:
    """The zone's working seconds between two instants of a period, read off a running
    total per local day: two look-ups per question instead of a walk over its days (the
    overview reads thousands). Instants are kept as POSIX seconds: plain numbers compare and
    subtract faster than datetimes."""

    def __init__(self, start: datetime, end: datetime, hours: Hours, zone: ZoneInfo) -> None:
        day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
        self.starts: list[float] = []  # each local day's first instant
        self.windows: list[tuple[tuple[float, float], ...]] = []
        self.before: list[float] = []  # working seconds from the first day up to each day
        total = 0.0
        while day <= last + timedelta(days=1):
            self.starts.append(local_to_utc(day, time(0), zone).timestamp())
            windows = tuple(
                (opens.timestamp(), closes.timestamp())
                for opens, closes in _working_windows(day, hours, zone)
            )
            self.windows.append(windows)
            self.before.append(total)
            total += sum(closes - opens for opens, closes in windows)
            day += timedelta(days=1)

    def _at(self, instant: float) -> float:
        index = min(max(bisect_right(self.starts, instant) - 1, 0), len(self.starts) - 1)
        done = 0.0
        for opens, closes in self.windows[index]:
            if instant > opens:
                done += min(instant, closes) - opens
        return self.before[index] + done

    def between(self, start: datetime, end: datetime) -> float:
        return self.seconds_between(start.timestamp(), end.timestamp())

    def seconds_between(self, start: float, end: float) -> float:
        """As ``between``, for POSIX seconds."""
        return max(self._at(end) - self._at(start), 0.0)


def working_seconds(start: datetime, end: datetime, hours: Hours, zone: ZoneInfo) -> float:
    """The seconds of the zone's working hours between ``start`` and ``end`` (weekends,
    public holidays and closing days do not count)."""
    if end <= start:
        return 0.0
    return WorkingClock(start, end, hours, zone).between(start, end)


@lru_cache(maxsize=2048)
def _working_windows(
    day: date, hours: Hours, zone: ZoneInfo
) -> tuple[tuple[datetime, datetime], ...]:
    """A day's working windows as UTC instants (none on a day off): computed once per day,
    as thousands of answered questions cover the same few weeks."""
    if not is_working_day(day, hours):
        return ()
    return tuple(
        (local_to_utc(day, opens, zone), local_to_utc(day, closes, zone, end=True))
        for weekday, opens, closes in hours.windows
        if weekday == day.weekday()
    )
