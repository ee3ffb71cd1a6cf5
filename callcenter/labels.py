"""How the console names the topics a caller chose in the phone menu (ivr.voice.TOPICS)."""

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

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
