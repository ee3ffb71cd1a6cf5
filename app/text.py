"""Text from outside (forms, the API, the console, webhooks): the one check for the
characters no stored field may hold, and the way to drop them from what must be kept."""

import unicodedata

# Direction controls: an override, embedding or isolate left open in a name turns the text
# after it around (the phone number beside it in the agenda reads backwards); the marks
# (LRM, RLM, ALM) are invisible and no name or address needs one.
DIRECTION_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# A multi-line field (a textarea) may hold line breaks and tabs; browsers send CR LF.
LINE_BREAKS = frozenset("\t\n\r")


def forbidden_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character of ``text`` that no field may hold, or None: a control character
    (NUL above all, which PostgreSQL refuses; tab and line breaks only when ``multiline``),
    a lone surrogate (it cannot be encoded) or a direction control."""
    allowed = LINE_BREAKS if multiline else frozenset()
    for character in text:
        if character in DIRECTION_CONTROLS:
            return character
        if unicodedata.category(character) in ("Cc", "Cs") and character not in allowed:
            return character
    return None


def is_plain(text: str, *, multiline: bool = False) -> bool:
    """Whether ``text`` holds none of the characters ``forbidden_character`` finds."""
    return forbidden_character(text, multiline=multiline) is None


def plain(text: str, *, multiline: bool = True) -> str:
    """``text`` without those characters: for what must be kept whatever it holds (an SMS a
    citizen sent, a voicemail transcription), where refusing would lose the message."""
    if is_plain(text, multiline=multiline):
        return text
    return "".join(c for c in text if is_plain(c, multiline=multiline))
