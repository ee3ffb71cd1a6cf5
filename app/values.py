"""Days, times of day, moments and ids read from outside (query strings, forms): None for anything the
engine's day arithmetic or the database could not hold, so each page answers it with a
field error or its 400 page instead of overflowing into a 500."""

import re
from datetime import date, datetime, time
from typing import Any

from werkzeug.routing import IntegerConverter, Map

# Days far outside any calendar a booking can use: near date.min/date.max a day's bounds,
# the day before or a zone conversion overflow.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)
CALENDAR = "Between 2000-01-01 and 2999-12-31."
MAX_ID = 2**31 - 1  # PostgreSQL's integer: every id column

# The browser's date input sends ISO dates; people type Belgian ones.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
CLOCK = re.compile(r"(\d{1,2})(?:[:.hu](\d{2}))?")  # 9, 09:00, 9.30, 9h30, 9u30


def in_calendar(day: date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def parse_date(raw: str) -> date | None:
    """A date as a browser sends it or a person types it (31/12/2026) within the calendar,
    else None."""
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(raw.strip(), pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
        return day if in_calendar(day) else None
    return None


def parse_clock(raw: str) -> time | None:
    """A time of day as people type it (9, 09:00, 9.30, 9h30, 9u30), else None."""
    found = CLOCK.fullmatch(raw.strip())
    if found and int(found[1]) < 24 and int(found[2] or 0) < 60:
        return time(int(found[1]), int(found[2] or 0))
    return None


def parse_iso_date(raw: str) -> date | None:
    """A page address's day (``?day=2026-12-01``, ISO only) within the calendar, else None."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if in_calendar(day) else None


def parse_id(raw: str) -> int | None:
    """A row id as a query or form sends it: ASCII digits for 1 to MAX_ID, else None
    (``"²".isdigit()`` is true, ``int("²")`` fails; ``"9" * 30`` overflows the column)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        return None
    ident = int(raw)
    return ident if 1 <= ident <= MAX_ID else None


def parse_instant(raw: str) -> datetime | None:
    """An ISO date-time with its offset (what a form's moment button sends) within the
    calendar, as given (safe to convert); None for anything else: no offset, or year 1 or
    9999, whose conversion to UTC overflows."""
    try:
        instant = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if instant.tzinfo is None or not in_calendar(instant.date()):
        return None
    return instant


def parse_moment(raw: str) -> tuple[datetime, int] | None:
    """A pressed moment button, ``<start>|<staff id>``: the start and the staff id."""
    start, _sep, staff = raw.partition("|")
    instant, ident = parse_instant(start), parse_id(staff)
    if instant is None or ident is None:
        return None
    return instant, ident


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: at most MAX_ID, so a longer number is a 404 (no such row
    can exist) and not an overflow in the database driver."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
