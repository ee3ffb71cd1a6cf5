"""By when the zone answers a question: a number of working days after it came in.

A working day is a weekday the zone's working hours name, that is neither a Belgian public
holiday nor one of the zone's closing days (the engine's calendar, ``scheduling.hours``).
A question that comes in on a working day before that day's working hours end counts from
that day; one that comes in later, or on any other day, counts from the next working day
(asked on Friday evening, it is as if asked on Monday morning). The answer is due by the
end of the working hours of the N-th working day after that first day.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.calendar import is_public_holiday
from scheduling.hours import Hours
from scheduling.zone_time import local_to_utc

# A year of days without a single working one means the hours are empty: refuse, not loop.
_SEARCH_DAYS = 366


def is_working_day(day: date, hours: Hours) -> bool:
    return (
        any(weekday == day.weekday() for weekday, _, _ in hours.windows)
        and day not in hours.closed_days
        and not is_public_holiday(day)
    )


def next_working_day(day: date, hours: Hours) -> date:
    """The first working day after ``day``."""
    for offset in range(1, _SEARCH_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if is_working_day(candidate, hours):
            return candidate
    raise ValueError("the working hours name no working day")


def answer_due(
    submitted_at: datetime, *, working_days: int, hours: Hours, zone: ZoneInfo
) -> datetime:
    """The instant (UTC) by which a question asked at ``submitted_at`` is answered."""
    if working_days < 1:
        raise ValueError("a question is answered at least one working day later")
    local = submitted_at.astimezone(zone)
    day = local.date()
    if not (is_working_day(day, hours) and local.time() < _closes(day, hours)):
        day = next_working_day(day, hours)
    for _ in range(working_days):
        day = next_working_day(day, hours)
    return local_to_utc(day, _closes(day, hours), zone, end=True)


def _closes(day: date, hours: Hours) -> time:
    """When the working hours of a working day end (its last window's close)."""
    return max(closes for weekday, _, closes in hours.windows if weekday == day.weekday())
