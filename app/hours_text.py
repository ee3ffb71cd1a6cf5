"""Weekly hours in words, one renderer for every kind of hours (call-takers, an office's
walk-in hours, when officers receive by appointment), never written by hand.

``hours_in_words`` is said and texted: "maandag tot vrijdag van 7 tot 21 uur", "du lundi au
vendredi de 7 à 21 heures" (GSM-7 characters only, so an SMS carrying them stays cheap).
``hours_in_short`` is read on a page: "ma–vr 08:00–12:00, 13:00–17:00", "lun.–ven. ...",
"Mon–Fri ...". Days without hours are left out of both."""

from datetime import date, time, timedelta
from functools import cache

from babel.dates import format_date

from app.i18n import BABEL_LOCALES
from scheduling.hours import Hours, Ranges

MONDAY = date(2024, 1, 1)  # any Monday: weekday names come from it
DASH = "\u2013"  # an en dash between two days or two times, as the pages write a period


@cache  # one setting, three languages: babel's day names are slow to format on every call
def hours_in_words(hours: Hours, language: str) -> str:
    """ "maandag tot vrijdag van 7 tot 21 uur", "du lundi au vendredi de 7 à 21 heures",
    "Monday to Friday from 7 a.m. to 9 p.m."; a split day "... van 8 tot 12 uur en van 13
    tot 17 uur"."""
    parts = []
    for first, last, ranges in hours.describe():
        days = [day_name(d, language) for d in (first, last)]
        if language == "fr":
            span = f"du {days[0]} au {days[1]}" if first != last else f"le {days[0]}"
            said = [f"de {_clock(start)} à {_clock(end)} heures" for start, end in ranges]
            parts.append(f"{span} {' et '.join(said)}")
        elif language == "en":
            span = f"{days[0]} to {days[1]}" if first != last else f"on {days[0]}"
            said = [f"from {_en_clock(start)} to {_en_clock(end)}" for start, end in ranges]
            parts.append(f"{span} {' and '.join(said)}")
        else:
            span = f"{days[0]} tot {days[1]}" if first != last else days[0]
            said = [f"van {_clock(start)} tot {_clock(end)} uur" for start, end in ranges]
            parts.append(f"{span} {' en '.join(said)}")
    return ", ".join(parts)


@cache
def hours_in_short(hours: Hours, language: str) -> str:
    """ "ma–vr 08:00–12:00, 13:00–17:00; za 09:00–12:00" ("lun.–ven. ...", "Mon–Fri ...");
    "" without any hours."""
    parts = []
    for first, last, ranges in hours.describe():
        days = day_name(first, language, "EEE")
        if last != first:
            days += DASH + day_name(last, language, "EEE")
        parts.append(f"{days} {_short_ranges(ranges)}")
    return "; ".join(parts)


def _short_ranges(ranges: Ranges) -> str:
    return ", ".join(f"{_hhmm(start)}{DASH}{_hhmm(end)}" for start, end in ranges)


def day_name(weekday: int, language: str, pattern: str = "EEEE") -> str:
    """ "maandag", "lundi", "Monday" (Monday = 0); ``pattern="EEE"``: "ma", "lun.", "Mon"."""
    locale = BABEL_LOCALES.get(language, "nl_BE")
    return format_date(MONDAY + timedelta(days=weekday), pattern, locale=locale)


def _hhmm(at: time) -> str:
    return "24:00" if at == time.max else at.strftime("%H:%M")


def _clock(at: time) -> str:
    if at == time.max:
        return "24"
    return str(at.hour) if at.minute == 0 else f"{at.hour}:{at.minute:02d}"


def _en_clock(at: time) -> str:
    if at == time.max:
        return "midnight"
    hour = at.hour % 12 or 12
    said = str(hour) if at.minute == 0 else f"{hour}:{at.minute:02d}"
    return f"{said} {'a.m.' if at.hour < 12 else 'p.m.'}"
