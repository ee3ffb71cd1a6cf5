"""Walking a call with the ivr-sim walker (the ``phone`` fixture): dialling in one language,
what the caller heard, the call's row."""

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.models import Call
from ivr.simulator import CallWalker

LANGUAGES = ["nl", "fr", "en"]
KEYS = {"nl": None, "fr": "9", "en": "8"}
# The appointment tests/api_calls.py's book_by_api makes: Wednesday 2 December 2026 at 10:00
# in Brussels.
SAID = {
    "nl": "woensdag 2 december om tien uur",
    "fr": "mercredi 2 décembre à 10 heures",
    "en": "Wednesday 2 December at ten o'clock in the morning",
}


def dial_in(phone: Callable[..., CallWalker], language: str, **kw: object) -> CallWalker:
    """Call, choose ``language`` and stand at the main menu."""
    walker = phone(**kw)
    walker.call()
    if KEYS[language]:
        walker.press(KEYS[language])
    assert walker.waiting_for == "keys"
    assert walker.heard[-1][0] == language  # the menu now speaks the chosen language
    return walker


def hears(walker: CallWalker, text: str) -> bool:
    """Whether the caller heard ``text`` in any line so far."""
    return any(text in line for _, line in walker.heard)


def call_of(session: Session, walker: CallWalker) -> Call:
    """The walker's call as stored, read afresh."""
    session.expire_all()
    return session.scalars(select(Call).where(Call.call_sid == walker.call_sid)).one()
