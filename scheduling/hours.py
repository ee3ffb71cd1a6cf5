"""Weekly hours in local wall time, minus Belgian public holidays and the zone's own closing
days: when the call-takers answer the blue number, when an office is open, when its officers
receive by appointment (plain functions, no Flask)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import pairwise
from zoneinfo import ZoneInfo

from scheduling.calendar import is_public_holiday

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$"
)

Window = tuple[int, time, time]  # weekday (Monday = 0), opens, closes
Ranges = tuple[tuple[time, time], ...]


@dataclass(frozen=True)
class Hours:
    """Opening windows per weekday (Monday = 0), in local wall time."""

    windows: tuple[Window, ...]
    closed_days: frozenset[date] = frozenset()

    def open_at(self, instant: datetime, zone: ZoneInfo) -> bool:
        """Whether these hours hold at ``instant`` (aware): never on a closing day."""
        local = instant.astimezone(zone)
        day = local.date()
        if day in self.closed_days or is_public_holiday(day):
            return False
        now = local.time()
        return any(w == day.weekday() and s <= now < e for w, s, e in self.windows)

    def describe(self) -> list[tuple[int, int, Ranges]]:
        """Runs of weekdays with the same hours: (first day, last day, its ranges in order).
        A day without hours ends a run: Monday and Wednesday alike are two runs."""
        by_day: dict[int, list[tuple[time, time]]] = {}
        for day, start, end in sorted(self.windows):
            by_day.setdefault(day, []).append((start, end))
        runs: list[tuple[int, int, Ranges]] = []
        for day, ranges in sorted(by_day.items()):
            if runs and runs[-1][1] == day - 1 and runs[-1][2] == tuple(ranges):
                runs[-1] = (runs[-1][0], day, runs[-1][2])
            else:
                runs.append((day, day, tuple(ranges)))
        return runs


def merged(windows: Iterable[Window]) -> tuple[Window, ...]:
    """The same hours with overlapping or touching windows of a day joined: several officers'
    windows at one office become the hours it receives people."""
    joined: list[Window] = []
    for day, start, end in sorted(windows):
        if joined and joined[-1][0] == day and start <= joined[-1][2]:
            joined[-1] = (day, joined[-1][1], max(end, joined[-1][2]))
        else:
            joined.append((day, start, end))
    return tuple(joined)


def first_overlap(ranges: Iterable[tuple[time, time]]) -> tuple[time, time] | None:
    """The first range that starts before the one before it (in time order) has ended."""
    ordered = sorted(ranges)
    for before, after in pairwise(ordered):
        if after[0] < before[1]:
            return after
    return None


def parse_hours(text: str, closed_days: str = "") -> Hours:
    """``"mon-fri 07:00-21:00; sat 09:00-12:00"`` and ``"2026-12-24,2026-12-31"``; a
    malformed value raises ValueError, so a wrong setting stops the start loudly."""
    windows: list[tuple[int, time, time]] = []
    for part in filter(str.strip, text.lower().split(";")):
        match = _PART.match(part)
        if not match or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
            raise ValueError(f"CALLTAKER_HOURS: cannot read {part.strip()!r}")
        first = DAYS.index(match["first"])
        last = DAYS.index(match["last"]) if match["last"] else first
        start, end = time.fromisoformat(match["start"].zfill(5)), _end(match["end"])
        if last < first or not start < end:
            raise ValueError(f"CALLTAKER_HOURS: {part.strip()!r} runs backwards")
        windows += [(day, start, end) for day in range(first, last + 1)]
    days = frozenset(date.fromisoformat(d.strip()) for d in closed_days.split(",") if d.strip())
    return Hours(tuple(windows), days)


def _end(text: str) -> time:
    # "24:00" is how people write "until midnight".
    return time.max if text == "24:00" else time.fromisoformat(text.zfill(5))
