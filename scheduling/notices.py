"""The rules of outgoing notices: when a reminder goes, how a failed send is retried, and
which texts fit an SMS. Pure: the caller passes ``now`` and the zone; nothing is sent here."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

REMINDER_LEAD = timedelta(hours=24)
QUIET_FROM = time(21, 0)  # no SMS from 21:00 ...
QUIET_UNTIL = time(8, 0)  # ... until 08:00, local time
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
SEGMENT = 153  # GSM-7 characters per segment of a concatenated SMS
SINGLE = 160
MAX_SEGMENTS = 2

# Twilio error codes after which sending again can never help.
PERMANENT_ERRORS = frozenset(
    {
        "21211",  # invalid 'To' number
        "21214",  # 'To' number cannot be reached
        "21408",  # region not enabled
        "21610",  # the recipient answered STOP
        "21612",  # cannot route to this number
        "21614",  # not a mobile number
    }
)

# Twilio error codes that say "not now": the sender's queue is full (10 hours' worth).
RETRY_ERRORS = frozenset({"20429", "21611"})

# GSM 03.38: the basic character set, and the extension table (each costs two septets).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def in_quiet_hours(instant: datetime, zone: ZoneInfo) -> bool:
    local = instant.astimezone(zone).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def reminder_due(start: datetime, zone: ZoneInfo, lead: timedelta = REMINDER_LEAD) -> datetime:
    """``lead`` before ``start`` (in real time, so right across DST); a moment in the quiet
    hours is shifted earlier, to 21:00 local the evening before it."""
    due = start - lead
    local = due.astimezone(zone)
    if local.time() >= QUIET_FROM:
        return _at_local(local.date(), QUIET_FROM, zone) - timedelta(minutes=1)
    if local.time() < QUIET_UNTIL:
        return _at_local(local.date() - timedelta(days=1), QUIET_FROM, zone) - timedelta(minutes=1)
    return due


def _at_local(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def backoff(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: 30 s, 1 min, 2 min, ... capped at an hour."""
    return min(BACKOFF_BASE * (1 << max(attempts - 1, 0)), BACKOFF_CAP)


@dataclass(frozen=True)
class SendError:
    """Why the provider did not take a message."""

    code: str
    message: str
    retryable: bool


def classify(status: int | None, code: str | None, message: str) -> SendError:
    """A 429, a 5xx, a full sender queue (21611) or no answer at all (status None) is worth
    another try; a known permanent Twilio code, or any other 4xx, is not."""
    if code in PERMANENT_ERRORS:
        return SendError(code, message, retryable=False)
    retryable = status is None or status == 429 or status >= 500 or code in RETRY_ERRORS
    return SendError(code or (str(status) if status else "timeout"), message, retryable)


def gsm7_safe(text: str) -> str:
    """``text`` with every character GSM-7 cannot carry replaced by its plain letter
    (ê → e, ç → c, ’ → '), so a name never switches a message to UCS-2."""
    out = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENDED:
            out.append(ch)
            continue
        plain = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."}.get(ch)
        if plain is None:
            decomposed = unicodedata.normalize("NFKD", ch)
            plain = "".join(c for c in decomposed if c in GSM7_BASIC) or "?"
        out.append(plain)
    return "".join(out)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def septets(text: str) -> int:
    return sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)


def segments(text: str) -> int:
    """How many SMS a GSM-7 text takes (a UCS-2 text is counted as too many)."""
    if not is_gsm7(text):
        return MAX_SEGMENTS + 1
    n = septets(text)
    return 1 if n <= SINGLE else -(-n // SEGMENT)


def fits(text: str) -> bool:
    return segments(text) <= MAX_SEGMENTS


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` septets at a word, with '...' when cut."""
    text = gsm7_safe(text)
    if septets(text) <= limit:
        return text
    cut = text[: max(limit - 3, 0)]
    while septets(cut) > limit - 3:
        cut = cut[:-1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;.") + "..."


def first_items(text: str, limit: int) -> str:
    """The first items of a list ("your ID card; the medical form. No weapon.") that fit in
    ``limit`` septets, ending in a full stop; "" when not even the first fits. An item is
    kept whole or dropped: what someone must bring is never cut mid-sentence."""
    items = [item for item in re.split(r"(?<=[;.])\s+", gsm7_safe(text).strip()) if item]
    kept = best = ""
    for item in items:
        kept = f"{kept} {item}".strip()
        ended = kept.rstrip(" ;,")
        ended = ended if ended.endswith((".", "!", "?")) else ended + "."
        if septets(ended) > limit:
            break
        best = ended
    return best


def idempotency_key(kind: str, booking_id: int, *parts: object) -> str:
    return ":".join([kind, str(booking_id), *(str(p) for p in parts)])
