"""The sites page's opening hours: one field per weekday, typed as people write them
("08:00-12:00, 13:00-17:00"; empty: closed), read into weekly windows with an error next to
the day that cannot be: a time that is no time, a range that ends before it starts, two
ranges that overlap."""

import re
from datetime import time

from flask_babel import gettext as _

from app.forms import Form
from app.hours_text import day_name
from app.i18n import language
from app.staff.admin import common
from app.values import parse_clock
from scheduling.hours import Window, first_overlap

FIELDS = tuple(f"hours_{day}" for day in range(7))
FIELD_LIMIT = 100
MAX_RANGES = 6  # per day: more is a typing mistake, not an office
_SEPARATORS = re.compile(r"\s*[,;]\s*|\s+(?:en|et|and)\s+")
_RANGE = re.compile(r"\s*(\S+?)\s*[-\u2013\u2014]\s*(\S+)\s*")  # hyphen, en or em dash


def labels() -> list[tuple[str, str]]:
    """(field, "Monday") in the page's language, Monday first."""
    return [(name, day_name(day, language()).capitalize()) for day, name in enumerate(FIELDS)]


def values_of(hours: tuple[Window, ...]) -> dict[str, str]:
    """The fields showing stored hours: "08:00–12:00, 13:00–17:00" per day."""
    by_day: dict[int, list[str]] = {}
    for day, opens, closes in hours:
        by_day.setdefault(day, []).append(f"{opens:%H:%M}-{closes:%H:%M}")
    return {name: ", ".join(by_day.get(day, [])) for day, name in enumerate(FIELDS)}


def read_week(form: Form) -> tuple[Window, ...]:
    """The windows the fields hold; ``form.errors`` names each day that cannot be read."""
    windows: list[Window] = []
    for day, name in enumerate(FIELDS):
        windows += [(day, opens, closes) for opens, closes in _ranges(form, name)]
    return tuple(windows)


def _ranges(form: Form, name: str) -> list[tuple[time, time]]:
    raw = common.read_text(form, name, limit=FIELD_LIMIT)
    if not raw or name in form.errors:
        return []
    parts = _SEPARATORS.split(raw)
    if len(parts) > MAX_RANGES:
        form.errors[name] = _("Give at most %(count)d ranges a day.", count=MAX_RANGES)
        return []
    ranges = []
    for part in parts:
        found = _RANGE.fullmatch(part)
        opens = parse_clock(found[1]) if found else None
        closes = parse_clock(found[2]) if found else None
        if opens is None or closes is None:
            form.errors[name] = _("Enter hours like 08:00-12:00, or 08:00-12:00, 13:00-17:00.")
            return []
        if not opens < closes:
            form.errors[name] = _(
                "%(range)s: the closing time must come after the opening time.", range=part
            )
            return []
        ranges.append((opens, closes))
    overlap = first_overlap(ranges)
    if overlap is not None:
        said = f"{overlap[0]:%H:%M}-{overlap[1]:%H:%M}"
        form.errors[name] = _("%(range)s overlaps another range on this day.", range=said)
        return []
    return sorted(ranges)
