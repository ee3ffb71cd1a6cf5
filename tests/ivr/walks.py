"""Walking a call with the ivr-sim walker (the ``phone`` fixture): dialling in one language,
what the caller heard, the call's row."""

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ivr.models import Call
from ivr.simulator import CallWalker
from ivr.telephony.twiml import SPEECH_LANGUAGES

LANGUAGES = ["nl", "fr", "en"]
KEYS = {"nl": "1", "fr": "2", "en": "3"}  # the first question's keys
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


# Speech synthesis voices (Polly's neural voices at their default rate) read a prompt at
# about 150 words a minute, the rate phone-menu scripts are timed at: 0.4 s a word.
WORDS_PER_MINUTE = 150


def seconds_before(walker: CallWalker, language: str) -> float:
    """Seconds of speech the caller sat through before the first sentence in ``language``:
    the words of every <Say> before it at WORDS_PER_MINUTE, plus every <Pause>, read from
    the TwiML the walk received (in the order Twilio plays it)."""
    spoken = SPEECH_LANGUAGES[language]
    seconds = 0.0
    for _path, root in walker.answers:
        for verb in root.iter():
            if verb.tag == "Say" and verb.get("language") == spoken:
                return seconds
            if verb.tag == "Say":
                seconds += len((verb.text or "").split()) * 60 / WORDS_PER_MINUTE
            elif verb.tag == "Pause":
                seconds += float(verb.get("length", "1"))
    raise AssertionError(f"the caller never heard {language}")
