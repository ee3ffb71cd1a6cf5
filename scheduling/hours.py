"""When the call-takers answer the blue number: weekly hours, minus Belgian public holidays
and the zone's own closing days (plain functions, no Flask)."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from scheduling.calendar import is_public_holiday

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*$"
)


@dataclass(frozen=True)
class Hours:
    """Opening windows per weekday (Monday = 0), in local wall time."""

    windows: tuple[tuple[int, time, time], ...]
    closed_days: frozenset[date] = frozenset()

    def open_at(self, instant: datetime, zone: ZoneInfo) -> bool:
        """Whether the call-takers answer at ``instant`` (aware)."""
        local = instant.astimezone(zone)
        day = local.date()
        if day in self.closed_days or is_public_holiday(day):
            return False
        now = local.time()
        return any(w == day.weekday() and s <= now < e for w, s, e in self.windows)

    def describe(self) -> list[tuple[int, int, time, time]]:
        """Runs of weekdays with the same hours: (first day, last day, start, end)."""
        runs: list[tuple[int, int, time, time]] = []
        for day, start, end in sorted(self.windows):
            if runs and runs[-1][1] == day - 1 and runs[-1][2:] == (start, end):
                runs[-1] = (runs[-1][0], day, start, end)
            else:
                runs.append((day, day, start, end))
        return runs


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
