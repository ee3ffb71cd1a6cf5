"""Checking that text people typed is shown isolated (``<bdi>`` or ``dir="auto"``), so a
direction character stored in it cannot turn the text beside it around."""

import re
from html import escape

ISOLATING = re.compile(r'(<bdi>|<[a-z0-9]+ [^>]*dir="auto"[^>]*>)$')


def assert_isolated(html: str, text: str) -> None:
    """Every occurrence of ``text`` in ``html`` is the start of an isolating element's content
    (or a form field's value: a field is isolated by itself)."""
    shown = escape(text, quote=False)
    starts = [m.start() for m in re.finditer(re.escape(shown), html)]
    assert starts, f"{text!r} is not on the page"
    for start in starts:
        before = html[max(0, start - 200) : start]
        if before.endswith('value="'):
            continue
        assert ISOLATING.search(before), f"{text!r} is not isolated: …{before[-80:]}"
