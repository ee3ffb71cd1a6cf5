"""iCalendar (RFC 5545) for appointments: stable UID, SEQUENCE bumped on every change; and
what every secret calendar feed (a staff member's, a bailiff office's) shares: its token, how
often apps should fetch it again, and how it is answered."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Response

from scheduling.enums import BookingStatus
from scheduling.models import Booking

FEED_REFRESH = timedelta(hours=1)  # what a feed asks calendar apps (they may poll less)
FEED_TOKEN_BYTES = 32  # 256 bits, URL-safe: the redaction pattern of app.logs matches it
MAX_FEED_TOKEN_LENGTH = 100


def new_feed_token() -> str:
    """A feed's secret (only its hash is kept: shown once, when it is made)."""
    return secrets.token_urlsafe(FEED_TOKEN_BYTES)


def uid_domain(public_base_url: str) -> str:
    """The host that makes events' UIDs unique across calendars."""
    return urlsplit(public_base_url).hostname or "blauwlijn"


def feed_response(body: str) -> Response:
    """A feed as calendar apps fetch it: shown inline, never stored by a shared cache."""
    response = Response(body, mimetype="text/calendar")
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = 'inline; filename="blauwlijn.ics"'
    return response


@dataclass(frozen=True)
class Event:
    booking: Booking
    summary: str
    location: str
    description: str


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            out.append(current.decode())
            current = b" "
        current += encoded
    out.append(current.decode())
    return "\r\n".join(out)


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _duration(span: timedelta) -> str:
    return f"PT{int(span.total_seconds()) // 60}M"


def calendar(
    events: list[Event],
    *,
    uid_domain: str,
    now: datetime,
    name: str = "",
    refresh: timedelta | None = None,
) -> str:
    """One calendar of ``events``: a single appointment's download or a person's feed.

    ``refresh`` (feeds) tells subscribing apps how often to fetch it again (RFC 7986
    REFRESH-INTERVAL, and X-PUBLISHED-TTL, which Outlook and Apple read).
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Blauwlijn//NL", "CALSCALE:GREGORIAN"]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    if refresh is not None:
        lines += [
            f"REFRESH-INTERVAL;VALUE=DURATION:{_duration(refresh)}",
            f"X-PUBLISHED-TTL:{_duration(refresh)}",
        ]
    for event in events:
        booking = event.booking
        cancelled = booking.status is BookingStatus.CANCELLED
        lines += [
            "BEGIN:VEVENT",
            f"UID:booking-{booking.id}@{uid_domain}",
            f"SEQUENCE:{booking.sequence}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(booking.start_at)}",
            f"DTEND:{_utc(booking.end_at)}",
            f"SUMMARY:{_escape(event.summary)}",
            f"LOCATION:{_escape(event.location)}",
            f"DESCRIPTION:{_escape(event.description)}",
            f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
