"""The call-takers' hours in words, the same on a page, in an SMS and on the phone:
"maandag tot vrijdag van 7 tot 21 uur", "du lundi au vendredi de 7 à 21 heures" (GSM-7
characters only, so an SMS carrying them stays cheap). Read from CALLTAKER_HOURS, never
written by hand."""

from datetime import date, time, timedelta
from functools import cache

from babel.dates import format_date

from app.i18n import BABEL_LOCALES
from scheduling.hours import Hours

MONDAY = date(2024, 1, 1)  # any Monday: weekday names come from it


@cache  # one setting, three languages: babel's day names are slow to format on every call
def hours_in_words(hours: Hours, language: str) -> str:
    """ "maandag tot vrijdag van 7 tot 21 uur", "du lundi au vendredi de 7 à 21 heures",
    "Monday to Friday from 7 a.m. to 9 p.m."."""
    locale = BABEL_LOCALES.get(language, "nl_BE")
    parts = []
    for first, last, start, end in hours.describe():
        days = [
            format_date(MONDAY + timedelta(days=d), "EEEE", locale=locale) for d in (first, last)
        ]
        if language == "fr":
            span = f"du {days[0]} au {days[1]}" if first != last else f"le {days[0]}"
            parts.append(f"{span} de {_clock(start)} à {_clock(end)} heures")
        elif language == "en":
            span = f"{days[0]} to {days[1]}" if first != last else f"on {days[0]}"
            parts.append(f"{span} from {_en_clock(start)} to {_en_clock(end)}")
        else:
            span = f"{days[0]} tot {days[1]}" if first != last else days[0]
            parts.append(f"{span} van {_clock(start)} tot {_clock(end)} uur")
    return ", ".join(parts)


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
