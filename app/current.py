"""What a request works with, typed: the zone's configuration, its time zone, and the clock.

    from app import current

    config = current.config()       # the Config the app was made with
    now = current.now()             # read once per request: every check in it agrees
    local = now.astimezone(current.zone())

The clock is read the first time a request asks and kept for the rest of it (as the phone
menu's ``Turn`` does), so a page that validates and then writes sees one instant — a slot
cannot be "free" to one check and "past" to the next. Outside a request (CLI, worker) each
call reads the clock.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request

from app.config import Config

_NOW = "blauwlijn.now"


def config() -> Config:
    found: Config = current_app.config["BLAUWLIJN"]
    return found


def zone() -> ZoneInfo:
    return config().zone


def now() -> datetime:
    """This request's instant (UTC, aware)."""
    if not has_request_context():
        return datetime.now(UTC)
    # On the request itself, not on g: g belongs to the app context, which a test (or a CLI
    # command) may hold open across several requests.
    instant: datetime | None = request.environ.get(_NOW)
    if instant is None:
        instant = request.environ[_NOW] = datetime.now(UTC)
    return instant
