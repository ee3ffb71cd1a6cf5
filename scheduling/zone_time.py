"""Local wall time ↔ UTC for the zone, correct across DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Europe/Brussels")


def local_to_utc(
    day: date, at: time, zone: ZoneInfo = DEFAULT_ZONE, *, end: bool = False
) -> datetime:
    """The UTC instant of a local wall time.

    In the autumn overlap the first occurrence (summer time) is taken. A time inside the
    spring gap (02:00–03:00 in Brussels) does not exist: as a start it is read with the
    winter offset (02:30 → 03:30, the window starts when it can); as an ``end`` it is the
    moment the gap begins, so a window never reaches past its own end.
    """
    local = datetime.combine(day, at, tzinfo=zone)
    if not end or _exists(local):
        return local.astimezone(UTC)
    before = local
    while not _exists(before):  # wall-clock steps back to the last minute before the gap
        before -= timedelta(minutes=1)
    return before.astimezone(UTC) + timedelta(minutes=1)


def _exists(local: datetime) -> bool:
    return local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None) == local.replace(
        tzinfo=None
    )


def local_day_bounds(day: date, zone: ZoneInfo = DEFAULT_ZONE) -> tuple[datetime, datetime]:
    """The UTC instants at which a local day starts and ends (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def to_local(instant: datetime, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    return instant.astimezone(zone)


def first_kept(now: datetime, days: int, zone: ZoneInfo = DEFAULT_ZONE) -> datetime:
    """The local midnight starting the day ``days`` days before today (UTC): something of
    day D kept for ``days`` days is kept through day D + ``days`` and goes from the next day
    on, whatever DST does in between (retention periods)."""
    today = now.astimezone(zone).date()
    return datetime.combine(today - timedelta(days=days), time(0), tzinfo=zone).astimezone(UTC)
