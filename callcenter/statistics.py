"""The call centre's figures from the recorded calls: per day and for a period, offered,
answered, abandoned, service level (answered within 20 s and 60 s), average wait and
handling time; call-backs open and late; SMS that failed.

A call is *offered* when the IVR put it in the call-takers' queue (it has a topic),
*answered* when a call-taker took it (``console_calls``), *abandoned* when the caller hung
up while waiting. The wait runs from the start of the call to its taking (the menu's few
seconds included: Twilio does not report the moment of ``<Enqueue>``); handling from the
taking to the end of the call.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.notify.models import CallbackTask, OutboxMessage
from callcenter.models import TakenCall
from ivr.models import Call
from scheduling.enums import CallbackStatus

SERVICE_LEVELS = (20, 60)  # seconds
LATE_AFTER = timedelta(hours=24)  # a call-back still open after this is late
ABANDONED = "abandoned"


@dataclass
class Figures:
    """The figures of one day (or of the whole period: ``day`` None)."""

    day: date | None
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    within: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SERVICE_LEVELS, 0))
    waits: list[float] = field(default_factory=list)
    handling: list[float] = field(default_factory=list)
    sms_failed: int = 0

    def service_level(self, seconds: int) -> float | None:
        """% of the offered calls answered within ``seconds``; None without calls."""
        return round(100 * self.within[seconds] / self.offered, 1) if self.offered else None

    @property
    def average_wait(self) -> float | None:
        return round(sum(self.waits) / len(self.waits), 1) if self.waits else None

    @property
    def average_handling(self) -> float | None:
        return round(sum(self.handling) / len(self.handling), 1) if self.handling else None

    def add(self, other: "Figures") -> None:
        self.offered += other.offered
        self.answered += other.answered
        self.abandoned += other.abandoned
        for seconds in SERVICE_LEVELS:
            self.within[seconds] += other.within[seconds]
        self.waits += other.waits
        self.handling += other.handling
        self.sms_failed += other.sms_failed


@dataclass(frozen=True)
class Callbacks:
    open: int
    late: int


def _bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def period_figures(
    session: Session, *, first: date, last: date, zone: ZoneInfo
) -> tuple[list[Figures], Figures]:
    """Each day from ``first`` to ``last`` (local days, inclusive) and their total."""
    start, end = _bounds(first, last, zone)
    days: dict[date, Figures] = defaultdict(lambda: Figures(None))
    rows = session.execute(
        select(Call.started_at, Call.ended_at, Call.outcome, TakenCall.taken_at)
        .outerjoin(TakenCall, TakenCall.call_id == Call.id)
        .where(Call.topic.is_not(None), Call.started_at >= start, Call.started_at < end)
    )
    for started, ended, outcome, taken in rows:
        figures = days[started.astimezone(zone).date()]
        figures.offered += 1
        if taken is not None:
            wait = (taken - started).total_seconds()
            figures.answered += 1
            figures.waits.append(wait)
            for seconds in SERVICE_LEVELS:
                figures.within[seconds] += wait <= seconds
            if ended is not None:
                figures.handling.append(max(0.0, (ended - taken).total_seconds()))
        elif outcome == ABANDONED:
            figures.abandoned += 1
    failed = session.execute(
        select(OutboxMessage.created_at).where(
            OutboxMessage.failed(),
            OutboxMessage.created_at >= start,
            OutboxMessage.created_at < end,
        )
    )
    for (created,) in failed:
        days[created.astimezone(zone).date()].sms_failed += 1
    result = []
    total = Figures(None)
    day = first
    while day <= last:
        figures = days[day]
        figures.day = day
        total.add(figures)
        result.append(figures)
        day += timedelta(days=1)
    return result, total


def open_callbacks(session: Session, now: datetime) -> Callbacks:
    """Call-backs not done yet, and how many of them wait longer than ``LATE_AFTER``."""
    not_done = CallbackTask.status != CallbackStatus.DONE
    total = session.scalar(select(func.count()).where(not_done)) or 0
    late = (
        session.scalar(
            select(func.count()).where(not_done, CallbackTask.created_at < now - LATE_AFTER)
        )
        or 0
    )
    return Callbacks(open=total, late=late)
