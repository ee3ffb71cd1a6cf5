"""How the console names what the phone side recorded: the topics a caller chose in the phone
menu (ivr.voice.TOPICS), how calls ended, and why a call-back is asked."""

import re

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ivr.message import VOICE_MESSAGE
from ivr.queue import AT_CLOSING, CALL_BACK, HUNG_UP

TOPIC_LABELS: dict[str, LazyString] = {
    "appointment": _l("Appointment"),
    "report_or_question": _l("Report or question"),
    "other": _l("Other"),
}

# How a call to the blue number ended (``Call.outcome``, written by ivr/); others shown as is.
CALL_OUTCOMES: dict[str, LazyString] = {
    "queued": _l("Waiting for a call-taker"),
    "answered": _l("Answered"),
    "abandoned": _l("Hung up while waiting"),
    "callback_requested": _l("Asked to be called back"),
    "booked": _l("Booked on the keypad"),
    "hung_up": _l("Hung up in the menu"),
}

CALLBACK_STATES: dict[str, LazyString] = {
    "open": _l("Open"),
    "claimed": _l("Being worked on"),
    "done": _l("Done"),
}

# Call-back reasons are stored as the phone side and the outbox write them (in English, the
# same for every reader); the console shows them in the call-taker's language.
CALLBACK_REASONS: dict[str, LazyString] = {
    VOICE_MESSAGE: _l("Voice message"),
    CALL_BACK: _l("Asked to be called back instead of waiting"),
    AT_CLOSING: _l("Asked to be called back: the call-takers closed while they waited"),
    HUNG_UP: _l("Hung up while waiting"),
}
_WITH_TOPIC = re.compile(r"^(?P<why>.+) \(topic: (?P<topic>\w*)\)$")
_NOT_SENT = re.compile(
    r"^(?P<what>SMS|E-mail) not sent \((?P<code>[^)]*)\): (?P<message>.*)$", re.S
)


def callback_reason(reason: str) -> str:
    """A stored call-back reason in the reader's language; one not known here, as stored (a
    provider's own error text stays as the provider wrote it)."""
    if reason in CALLBACK_REASONS:
        return str(CALLBACK_REASONS[reason])
    if (found := _WITH_TOPIC.match(reason)) and found["why"] in CALLBACK_REASONS:
        topic = TOPIC_LABELS.get(found["topic"])
        return _(
            "%(why)s (topic: %(topic)s)",
            why=CALLBACK_REASONS[found["why"]],
            topic=topic if topic is not None else found["topic"],
        )
    if found := _NOT_SENT.match(reason):
        what = _("SMS") if found["what"] == "SMS" else _("E-mail")
        return _(
            "%(what)s not sent (%(code)s): %(message)s",
            what=what,
            code=found["code"],
            message=found["message"],
        )
    return reason
