"""Languages of the citizen pages (nl default, fr, en) and dates shown the way people say them."""

from datetime import date, datetime
from urllib.parse import urlencode

from babel.dates import format_date, format_time
from flask import Flask, request, session
from flask_babel import Babel, get_locale

from app import current
from app.phone import national

LANGUAGES = ("nl", "fr", "en")
ZONE_LANGUAGE = "nl"  # the zone's own language: pages fall back to it
BABEL_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}


def select_language() -> str:
    """?lang= (remembered in the session), then the session, then the browser, then Dutch."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return str(remembered)
    return request.accept_languages.best_match(LANGUAGES) or ZONE_LANGUAGE


def language() -> str:
    return str(get_locale() or "nl")[:2]


def _babel_locale() -> str:
    return BABEL_LOCALES.get(language(), "nl_BE")


def local(instant: datetime) -> datetime:
    return instant.astimezone(current.zone())


def day_label(instant: datetime) -> str:
    """'donderdag 3 december' / 'jeudi 3 décembre' / 'Thursday 3 December'."""
    return format_date(local(instant), "EEEE d MMMM", locale=_babel_locale())


def long_date(instant: datetime) -> str:
    return format_date(local(instant), "EEEE d MMMM y", locale=_babel_locale())


def date_label(day: date, pattern: str) -> str:
    return format_date(day, pattern, locale=_babel_locale())


def clock(instant: datetime) -> str:
    return format_time(local(instant), "HH:mm", locale=_babel_locale())


def switch_language_url(code: str) -> str:
    """This page in another language, keeping its query (the week shown, an address searched)."""
    args = request.args.to_dict()
    args["lang"] = code
    return f"{request.path}?{urlencode(args)}"


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_language, default_translation_directories="translations")
    app.jinja_env.globals.update(
        language=language, LANGUAGES=LANGUAGES, switch_language_url=switch_language_url
    )
    app.jinja_env.filters.update(
        date_label=date_label,
        day_label=day_label,
        long_date=long_date,
        clock=clock,
        phone=national,  # a stored +32470123456 as people write it: 0470 12 34 56
    )
