"""The one check for characters no stored field may hold: control characters (tab and line
breaks only in multi-line fields), lone surrogates, direction controls."""

import pytest

from app.text import forbidden_character, is_plain, plain


@pytest.mark.parametrize(
    "text",
    [
        "Jan Peeters",
        "Élise D'Hondt-Vandeputte",
        "Burenruzie over de haag (ca. 2 m)",
        "محمد العلي",  # right-to-left script is fine: only the controls are refused
        "שלום 123",
        "Zoë 👩‍👩‍👧",  # a zero-width joiner in an emoji is no direction control
        "",
    ],
)
def test_ordinary_text_in_any_script_passes(text):
    assert forbidden_character(text) is None
    assert is_plain(text)
    assert plain(text) == text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Jan\x00", "\x00"),
        ("Jan\x7f", "\x7f"),  # DEL
        ("Jan\x85", "\x85"),  # a C1 control (NEL)
        ("Jan\x1b[31m", "\x1b"),
        ("Jan\ud800", "\ud800"),  # a lone surrogate
        ("Jan \u202eneeteP", "\u202e"),  # RIGHT-TO-LEFT OVERRIDE
        ("a\u202ab", "\u202a"),
        ("a\u202db", "\u202d"),
        ("a\u2066b", "\u2066"),  # LEFT-TO-RIGHT ISOLATE
        ("a\u2069b", "\u2069"),  # POP DIRECTIONAL ISOLATE
        ("a\u200fb", "\u200f"),  # RIGHT-TO-LEFT MARK
        ("a\u061cb", "\u061c"),  # ARABIC LETTER MARK
        ("line\nline", "\n"),
        ("a\tb", "\t"),
    ],
)
def test_controls_and_direction_characters_are_found(text, found):
    assert forbidden_character(text) == found
    assert not is_plain(text)


def test_a_multiline_field_may_hold_line_breaks_and_tabs_only():
    assert is_plain("Eerste lijn\r\ntweede\tlijn", multiline=True)
    assert forbidden_character("lijn\n\x00", multiline=True) == "\x00"
    assert forbidden_character("lijn\n\u202e", multiline=True) == "\u202e"


def test_plain_drops_what_the_check_refuses_and_keeps_the_rest():
    assert (
        plain("Annuleer\x00 \u202emijn\u2069 afspraak\r\nDank") == "Annuleer mijn afspraak\r\nDank"
    )
    assert plain("a\nb", multiline=False) == "ab"
