"""The query parameters Open311 clients send, checked: a bad one is a 400 naming it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import request

from app.open311.render import Failure

LANGUAGES = ("nl", "fr", "en")
MAX_DAYS = 90  # the spec's longest window of requested_datetime
PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
MAX_IDS = MAX_PAGE_SIZE
STATUSES = ("open", "closed")
FIRST_YEAR, LAST_YEAR = 2000, 2999


def language() -> str:
    """?lang= (nl, fr, en), else the client's Accept-Language, else Dutch. Never the session:
    these answers are cached and carry no cookie."""
    asked = request.args.get("lang")
    if asked is None:
        return request.accept_languages.best_match(LANGUAGES) or "nl"
    if asked not in LANGUAGES:
        raise Failure(400, "lang: use nl, fr or en.")
    return asked


def window(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """start_date and end_date: the last 90 days when neither is given, 90 days from
    start_date when only it is, 90 days up to end_date when only it is; never longer."""
    start, end = _instant("start_date", zone), _instant("end_date", zone)
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - timedelta(days=MAX_DAYS)
    if end is None:
        end = start + timedelta(days=MAX_DAYS)
    if end < start:
        raise Failure(400, "end_date: it comes before start_date.")
    if end - start > timedelta(days=MAX_DAYS):
        raise Failure(400, f"end_date: search at most {MAX_DAYS} days at once.")
    return start, end


def _instant(name: str, zone: ZoneInfo) -> datetime | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        # W3C date-time ("2026-12-01T00:00:00Z" or with an offset); without one: the zone's.
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Failure(400, f"{name}: not a date-time (2026-12-01T00:00:00+01:00).") from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:  # a window beyond datetime's range: a 500
        raise Failure(400, f"{name}: a date-time between {FIRST_YEAR} and {LAST_YEAR}.")
    return value if value.tzinfo else value.replace(tzinfo=zone)


def statuses() -> set[str]:
    raw = request.args.get("status")
    if raw is None:
        return set(STATUSES)
    asked = {part.strip() for part in raw.split(",")}
    if not asked or not asked <= set(STATUSES):
        raise Failure(400, "status: use open, closed or both (comma-separated).")
    return asked


def request_ids() -> list[str] | None:
    """service_request_id: one or more report numbers, comma-separated (overrides the rest)."""
    raw = request.args.get("service_request_id")
    if raw is None:
        return None
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not ids or len(ids) > MAX_IDS:
        raise Failure(400, f"service_request_id: give 1 to {MAX_IDS} numbers.")
    return ids


def page() -> tuple[int, int]:
    """page (from 1) and page_size (default 50, at most 200): an extension of the spec."""
    number = _positive("page", 1)
    size = _positive("page_size", PAGE_SIZE)
    if size > MAX_PAGE_SIZE:
        raise Failure(400, f"page_size: at most {MAX_PAGE_SIZE}.")
    return number, size


def _positive(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or len(raw) > 6:
        raise Failure(400, f"{name}: a whole number from 1.")
    return int(raw)
