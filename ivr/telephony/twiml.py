"""Building a voice answer: spoken text in the call's language and voice, action URLs that
carry the step number (so a retried webhook is told apart from the caller's next key)."""

import json
from urllib.parse import urlencode

from flask import Response
from twilio.twiml import TwiML
from twilio.twiml.voice_response import Gather, VoiceResponse

# What a waiting or held caller hears, on the phone menu's queue and the console's hold.
HOLD_MUSIC = "/static/ivr/hold.wav"
# Twilio's language codes for the call's language.
SPEECH_LANGUAGES = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB"}
# Each language offered in its own words and voice: these never go through the catalogs.
# The keys are the same whatever language is playing.
LANGUAGE_OFFERS = {
    "nl": ("1", "Voor Nederlands, druk 1."),
    "fr": ("2", "Pour le français, appuyez sur 2."),
    "en": ("3", "For English, press 3."),
}
LANGUAGE_KEYS = {key: language for language, (key, _) in LANGUAGE_OFFERS.items()}
GATHER_TIMEOUT = 6  # seconds of silence before a menu counts as unanswered
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'


class Reply:
    """One TwiML answer being built."""

    def __init__(
        self,
        language: str,
        voices: dict[str, str],
        step: int = 0,
        *,
        here: str = "",
        quiet: int = 0,
    ) -> None:
        self.twiml = VoiceResponse()
        self.language = language
        self.voices = voices
        self.step = step
        # The question this request answered, and how often in a row it went unanswered.
        self.here, self.quiet = here, quiet

    def url(self, path: str, **params: object) -> str:
        """``path`` with ``params`` and the step number (left out when ``step`` is 0)."""
        query = {k: v for k, v in params.items() if v is not None}
        if self.step:
            query["s"] = self.step
        return f"{path}?{urlencode(query)}" if query else path

    def say(self, text: str, *, into: Gather | None = None, language: str | None = None) -> None:
        language = language or self.language
        (into or self.twiml).say(
            text, voice=self.voices[language], language=SPEECH_LANGUAGES[language]
        )

    def gather(
        self,
        path: str,
        *,
        digits: int | None = 1,
        finish_on_key: str | None = None,
        **params: object,
    ) -> Gather:
        """A keypad question; when it stays unanswered Twilio goes on to the Redirect after
        it, to the same action with ``quiet`` counted up (asked again after silence, the count
        goes on; a new question starts at 0). A one-key question ends on no key, so the hash
        key reaches the menu as a wrong key instead of sounding like silence."""
        given = params.pop("quiet", None)
        quiet = int(str(given)) if given is not None else self.quiet if path == self.here else 0
        gather = self.twiml.gather(
            action=self.url(path, **params),
            method="POST",
            input="dtmf",
            num_digits=digits,
            finish_on_key="" if finish_on_key is None and digits == 1 else finish_on_key,
            timeout=GATHER_TIMEOUT if finish_on_key is None else 10,
            action_on_empty_result=False,
        )
        self.twiml.redirect(self.url(path, quiet=quiet + 1, **params), method="POST")
        return gather

    def offer_languages(self, into: Gather) -> None:
        """The three offers, the call's language first (a caller whose language is known
        hears it at once; the others wait for at most two short sentences)."""
        order = sorted(LANGUAGE_OFFERS, key=lambda language: language != self.language)
        for language in order:
            self.say(LANGUAGE_OFFERS[language][1], into=into, language=language)

    def hangup(self) -> None:
        self.twiml.hangup()

    def xml(self) -> str:
        return DECLARATION + markup(self.twiml)


def markup(node: TwiML) -> str:
    """``node`` as XML: the same text as twilio's ``to_xml``, which builds an ElementTree
    first and then serialises that (three times the work, on every webhook)."""
    attrs = "".join(f' {name}="{_attribute(value)}"' for name, value in sorted(node.attrs.items()))
    text = (json.dumps(node.value) if isinstance(node.value, dict) else node.value) or ""
    children: list[list[str]] = []  # [markup, the text that follows it]
    for verb in node.verbs:  # as in twilio's ElementTree: a string is the text or a tail
        if not isinstance(verb, str):
            children.append([markup(verb), ""])
        elif children:
            children[-1][1] = verb
        else:
            text = verb
    if not text and not children:
        return f"<{node.name}{attrs} />"
    inner = "".join(child + _text(tail) for child, tail in children)
    return f"<{node.name}{attrs}>{_text(text)}{inner}</{node.name}>"


def _text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: object) -> str:
    """As ElementTree writes an attribute: booleans in lower case, and escaped."""
    text = _text(str(value).lower() if isinstance(value, bool) else str(value))
    return (
        text.replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#09;")
    )


def twiml_response(xml: str) -> Response:
    return Response(xml, status=200, mimetype="text/xml")
