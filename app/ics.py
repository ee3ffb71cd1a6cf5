"""iCalendar (RFC 5545) for appointments: stable UID, SEQUENCE bumped on every change."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scheduling.enums import BookingStatus
from scheduling.models import Booking


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
