"""Dates and times the way people say them on the phone, per language (no Flask):
"donderdag 3 december om half elf", "jeudi 3 décembre à 10 heures et demie",
"Thursday 3 December at half past ten in the morning"."""

from datetime import date, datetime

from babel.dates import format_date

LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}
MONDAY = date(2024, 1, 1)  # any Monday: weekday names come from it
NL_NUMBERS = [
    "twaalf",
    "één",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
]
EN_NUMBERS = [
    "twelve",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


def spoken_moment(local: datetime, language: str) -> str:
    """The day and the time of ``local`` (already in the zone's time) as said aloud."""
    return f"{spoken_day(local, language)} {spoken_time(local, language)}"


def spoken_day(local: datetime, language: str) -> str:
    if language == "fr" and local.day == 1:  # "le premier": "1er" is read as such
        return format_date(local, "EEEE 'premier' MMMM", locale=LOCALES["fr"])
    return format_date(local, "EEEE d MMMM", locale=LOCALES.get(language, "nl_BE"))


def spoken_time(local: datetime, language: str) -> str:
    hour, minute = local.hour, local.minute
    if language == "fr":
        return "à " + _french(hour, minute)
    if language == "en":
        return "at " + _english(hour, minute)
    return "om " + _dutch(hour, minute)


def _dutch(hour: int, minute: int) -> str:
    """Dutch counts towards the next half hour: 10:20 is "tien voor half elf"."""
    this, following = NL_NUMBERS[hour % 12], NL_NUMBERS[(hour + 1) % 12]
    if minute == 0:
        return f"{this} uur"
    if minute == 15:
        return f"kwart over {this}"
    if minute == 30:
        return f"half {following}"
    if minute == 45:
        return f"kwart voor {following}"
    if minute < 15:
        return f"{NL_NUMBERS[minute]} over {this}"
    if minute < 30:
        return f"{_nl_count(30 - minute)} voor half {following}"
    if minute < 45:
        return f"{_nl_count(minute - 30)} over half {following}"
    return f"{_nl_count(60 - minute)} voor {following}"


def _nl_count(minutes: int) -> str:
    return NL_NUMBERS[minutes] if minutes < len(NL_NUMBERS) else str(minutes)


def _french(hour: int, minute: int) -> str:
    """Belgian French speaks the 24-hour clock: "14 heures et quart", "midi et demi"."""
    name = {0: "minuit", 12: "midi"}.get(hour) or ("1 heure" if hour == 1 else f"{hour} heures")
    if minute == 0:
        return name
    if minute == 15:
        return f"{name} et quart"
    if minute == 30:
        return f"{name} et demi" if hour in (0, 12) else f"{name} et demie"
    return f"{name} {minute}"


def _english(hour: int, minute: int) -> str:
    """British English, 12-hour clock with the part of the day to tell 8 from 20."""
    part = _part_of(hour)
    this, following = EN_NUMBERS[hour % 12], EN_NUMBERS[(hour + 1) % 12]
    if minute == 0:
        said = f"{this} o'clock"
    elif minute == 15:
        said = f"quarter past {this}"
    elif minute == 30:
        said = f"half past {this}"
    elif minute == 45:
        said = f"quarter to {following}"
        part = _part_of(hour + 1)
    elif minute < 30:
        said = f"{_en_count(minute)} past {this}"
    else:
        said = f"{_en_count(60 - minute)} to {following}"
        part = _part_of(hour + 1)
    return f"{said} {part}"


def _part_of(hour: int) -> str:
    return "in the morning" if hour < 12 else "in the afternoon" if hour < 18 else "in the evening"


def _en_count(minutes: int) -> str:
    return EN_NUMBERS[minutes] if minutes < len(EN_NUMBERS) else str(minutes)
