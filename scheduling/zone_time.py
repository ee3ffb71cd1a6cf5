"""Local wall time ↔ UTC for the zone, correct across DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Europe/Brussels")


def local_to_utc(day: date, at: time, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """The UTC instant of a local wall time.

    In the autumn overlap the first occurrence (summer time) is taken; a time inside the
    spring gap is read with the winter offset, i.e. as the moment the gap ends plus the
    minutes into it (02:30 → 03:30), so a window starting in the gap starts when it can.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_day_bounds(day: date, zone: ZoneInfo = DEFAULT_ZONE) -> tuple[datetime, datetime]:
    """The UTC instants at which a local day starts and ends (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def to_local(instant: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    return instant.astimezone(zone)
