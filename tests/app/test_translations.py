"""The citizen pages' catalogs: complete in Dutch and French, placeholders kept, files in sync.

No database: these read app/translations and re-run the extraction. When one fails after a
change to a template or view, run `make translations`, translate what is new or fuzzy in the
nl and fr .po files, run `make translations` again and commit the .pot, .po and .mo files.
"""

import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import Flask, render_template_string

from app import i18n

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("nl", "fr", "en")
TRANSLATED = ("nl", "fr")  # en falls back to the (English) msgid
RUN_MAKE = "run `make translations`"

# %(name)s, %(minutes)d, %(price).2f: the conversion must survive translation too.
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def _mo_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo"


def _read_po(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=language)


def _messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def _texts(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A message's id or string as its forms (one, or several for plurals)."""
    if isinstance(value, tuple | list):
        return tuple(value)
    return (value or "",)


def _pairs(catalog: Catalog) -> set[tuple[object, object]]:
    return {(_texts(m.id), _texts(m.string)) for m in _messages(catalog)}


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read_po(POT)


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def catalog(language: str) -> Catalog:
    return _read_po(_po_path(language), language)


def test_the_template_has_messages(template: Catalog) -> None:
    assert len(_messages(template)) > 50


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str, template: Catalog) -> None:
    catalog = _read_po(_po_path(language), language)
    problems = []
    for message in _messages(template):
        found = catalog.get(message.id, message.context)
        if found is None:
            problems.append(f"missing: {message.id!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(_texts(found.string)):
            problems.append(f"empty: {message.id!r}")
    assert not problems, (
        f"{_po_path(language).relative_to(ROOT)}: translate these, then {RUN_MAKE}:\n"
        + "\n".join(problems)
    )


def test_catalog_has_no_messages_the_template_lacks(catalog: Catalog, template: Catalog) -> None:
    extra = [m.id for m in _messages(catalog) if template.get(m.id, m.context) is None]
    assert not extra, f"not in messages.pot any more ({RUN_MAKE}): {extra}"


class _AnyValue(dict[str, int]):
    """Formats every %(name)x with 1: only the shape of the string is checked."""

    def __missing__(self, key: str) -> int:
        return 1


def test_placeholders_are_kept(catalog: Catalog) -> None:
    problems = []
    for message in _messages(catalog):
        wanted = {p.group(0) for t in _texts(message.id) for p in PLACEHOLDER.finditer(t)}
        for text in _texts(message.string):
            if not text:
                continue  # untranslated: the msgid is shown (caught above for nl and fr)
            found = {p.group(0) for p in PLACEHOLDER.finditer(text)}
            if found != wanted:
                problems.append(f"{message.id!r}: {sorted(found)} instead of {sorted(wanted)}")
            elif message.python_format:
                # Jinja's gettext always applies %: a lone % (not %%) breaks the page.
                try:
                    text % _AnyValue()
                except (ValueError, TypeError) as error:
                    problems.append(f"{message.id!r}: {text!r} does not format ({error})")
    assert not problems, "\n".join(problems)


def test_committed_mo_files_match_the_po_files(catalog: Catalog, language: str) -> None:
    compiled = BytesIO()
    write_mo(compiled, catalog)  # like `pybabel compile`: fuzzy and empty entries left out
    compiled.seek(0)
    with _mo_path(language).open("rb") as f:
        committed = read_mo(f)
    expected = _pairs(read_mo(compiled))
    actual = _pairs(committed)
    assert actual == expected, (
        f"{_mo_path(language).relative_to(ROOT)} is out of date: {RUN_MAKE}. "
        f"Differences: {sorted(map(str, expected ^ actual))[:10]}"
    )


def test_the_template_matches_the_sources(template: Catalog, tmp_path: Path) -> None:
    """The same extraction as `make translations`, into a scratch file."""
    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(fresh), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    extracted = {(m.id, m.context) for m in _messages(_read_po(fresh))}
    committed = {(m.id, m.context) for m in _messages(template)}
    assert extracted == committed, (
        f"app/translations/messages.pot is out of date: {RUN_MAKE}. "
        f"New in the sources: {sorted(map(str, extracted - committed))}; "
        f"gone from them: {sorted(map(str, committed - extracted))}"
    )


@pytest.fixture(scope="module")
def babel_app() -> Flask:
    """Just the language setup of the real app (its root path finds app/translations)."""
    app = Flask("app")
    app.secret_key = "test"
    i18n.init_app(app)
    return app


def test_pages_speak_the_chosen_language(babel_app: Flask, catalog: Catalog, language: str) -> None:
    """Through Flask-Babel and Jinja, as the pages do: the compiled catalog is found and used."""
    plain = [m for m in _messages(catalog) if not m.python_format and not m.pluralizable]
    assert plain
    with babel_app.test_request_context(f"/?lang={language}"):
        for message in plain:
            shown = render_template_string("{{ _(text) }}", text=message.id)
            assert shown == (message.string or message.id), message.id


def test_double_percent_shows_as_one(babel_app: Flask, catalog: Catalog, language: str) -> None:
    """Jinja's gettext always formats, so a template's "%%" must come out as "%"."""
    with babel_app.test_request_context(f"/?lang={language}"):
        for message in _messages(catalog):
            if (
                isinstance(message.id, str)
                and "%%" in message.id
                and not PLACEHOLDER.search(message.id)
            ):
                shown = render_template_string("{{ _(text) }}", text=message.id)
                assert "%%" not in shown, shown
                assert "%" in shown, shown
