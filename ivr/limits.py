"""What the phone menu counts in the shared rate-limit table (app.ratelimit): wrong
booking codes per calling number, and text messages to the number a caller calls from.

Both are counted in the database, not in the call's URLs or row: going back to the menu
or calling again gives no fresh tries, and every web worker sees the same count. A call has
one number, so the count per number is also the count per call.
"""

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from app import ratelimit
from ivr.calls import Turn

log = logging.getLogger(__name__)
CODES = "ivr-code-phone"
TEXTS = "sms-phone"
BOOKINGS = "booking-phone"  # shared with the web, the API and the console
# Callers without a number share one count: withholding it must not buy fresh tries.
WITHHELD = "withheld"


def _number(turn: Turn) -> str:
    return turn.call.caller or WITHHELD


def codes_used_up(turn: Turn) -> bool:
    """Whether this number has keyed in as many wrong codes as an hour allows."""
    return ratelimit.over_limit(turn.session, CODES, _number(turn), now=turn.now)


def wrong_code(turn: Turn) -> bool:
    """Count a wrong code; True when it was the last one allowed (then the log says so,
    without the number or the code)."""
    ratelimit.add_hit(turn.session, CODES, _number(turn), now=turn.now)
    if not codes_used_up(turn):
        return False
    log.warning("booking code tries used up on call %s", turn.call.id)
    return True


def may_text(session: Session, number: str, *, now: datetime) -> bool:
    """Count a text message to ``number``, the number a caller calls from; False when it
    got as many as an hour allows (a caller ID can be forged: it may be someone else's)."""
    return ratelimit.take(session, TEXTS, number, now=now)


def may_book(turn: Turn) -> bool:
    """Count a keypad booking for the calling number; False when it has booked as many as an
    hour allows on any channel."""
    return ratelimit.take(turn.session, BOOKINGS, _number(turn), now=turn.now)
