"""Spoken dates and times per language, and the call-takers' hours (no app, no database)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.hours_text import hours_in_words
from ivr.speech import spoken_moment, spoken_time
from scheduling.hours import parse_hours

ZONE = parse_hours("mon-fri 07:00-21:00")
BXL = ZoneInfo("Europe/Brussels")


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "donderdag 3 december om half elf"),
        ("fr", "jeudi 3 décembre à 10 heures et demie"),
        ("en", "Thursday 3 December at half past ten in the morning"),
    ],
)
def test_a_moment_as_people_say_it(language, said):
    assert spoken_moment(datetime(2026, 12, 3, 10, 30, tzinfo=BXL), language) == said


@pytest.mark.parametrize(
    ("hour", "minute", "nl", "fr", "en"),
    [
        (9, 0, "om negen uur", "à 9 heures", "at nine o'clock in the morning"),
        (
            9,
            15,
            "om kwart over negen",
            "à 9 heures et quart",
            "at quarter past nine in the morning",
        ),
        (9, 45, "om kwart voor tien", "à 9 heures 45", "at quarter to ten in the morning"),
        (10, 20, "om tien voor half elf", "à 10 heures 20", "at twenty past ten in the morning"),
        (10, 40, "om tien over half elf", "à 10 heures 40", "at twenty to eleven in the morning"),
        (11, 45, "om kwart voor twaalf", "à 11 heures 45", "at quarter to twelve in the afternoon"),
        (12, 30, "om half één", "à midi et demi", "at half past twelve in the afternoon"),
        (14, 5, "om vijf over twee", "à 14 heures 5", "at five past two in the afternoon"),
        (19, 0, "om zeven uur", "à 19 heures", "at seven o'clock in the evening"),
    ],
)
def test_clock_times(hour, minute, nl, fr, en):
    moment = datetime(2026, 12, 3, hour, minute, tzinfo=BXL)
    assert [spoken_time(moment, lang) for lang in ("nl", "fr", "en")] == [nl, fr, en]


def test_the_first_of_the_month_in_french():
    assert (
        spoken_moment(datetime(2026, 12, 1, 9, tzinfo=BXL), "fr")
        == "mardi premier décembre à 9 heures"
    )


def test_hours_read_out():
    hours = parse_hours("mon-fri 07:00-21:00; sat 09:00-12:30")
    assert hours_in_words(hours, "nl") == (
        "maandag tot vrijdag van 7 tot 21 uur, zaterdag van 9 tot 12:30 uur"
    )
    assert hours_in_words(hours, "fr").startswith("du lundi au vendredi de 7 à 21 heures")
    assert hours_in_words(hours, "en") == (
        "Monday to Friday from 7 a.m. to 9 p.m., on Saturday from 9 a.m. to 12:30 p.m."
    )


@pytest.mark.parametrize("bad", ["weekdays 7-21", "mon-fri 21:00-07:00", "fri-mon 07:00-21:00"])
def test_malformed_hours_refused(bad):
    with pytest.raises(ValueError, match="CALLTAKER_HOURS"):
        parse_hours(bad)


def _open(at: datetime, hours=ZONE) -> bool:
    return hours.open_at(at, BXL)


@pytest.mark.parametrize(
    ("utc", "is_open"),
    [
        (datetime(2026, 12, 1, 5, 59, tzinfo=UTC), False),  # Tuesday 06:59 in Brussels (winter)
        (datetime(2026, 12, 1, 6, 0, tzinfo=UTC), True),  # 07:00
        (datetime(2026, 12, 1, 19, 59, tzinfo=UTC), True),  # 20:59
        (datetime(2026, 12, 1, 20, 0, tzinfo=UTC), False),  # 21:00
        (datetime(2026, 12, 5, 10, 0, tzinfo=UTC), False),  # Saturday
        (datetime(2026, 12, 25, 10, 0, tzinfo=UTC), False),  # Christmas, a Friday
        (datetime(2026, 4, 6, 10, 0, tzinfo=UTC), False),  # Easter Monday 2026
        (datetime(2027, 3, 29, 10, 0, tzinfo=UTC), False),  # Easter Monday 2027
        (datetime(2027, 4, 5, 10, 0, tzinfo=UTC), True),  # an ordinary Monday a week later
        (datetime(2027, 3, 30, 5, 0, tzinfo=UTC), True),  # 07:00 summer time, after the change
        (datetime(2027, 3, 30, 4, 59, tzinfo=UTC), False),  # 06:59 summer time
    ],
)
def test_calltaker_hours_in_brussels_time(utc, is_open):
    assert _open(utc) is is_open


def test_dst_nights_count_wall_time():
    sundays = parse_hours("sun 07:00-21:00")
    # 2026-03-29: 02:00 became 03:00, so 07:00 is 05:00 UTC.
    assert not _open(datetime(2026, 3, 29, 4, 59, tzinfo=UTC), sundays)
    assert _open(datetime(2026, 3, 29, 5, 0, tzinfo=UTC), sundays)
    assert not _open(datetime(2026, 3, 29, 19, 0, tzinfo=UTC), sundays)  # 21:00 summer time
    # 2026-10-25: 03:00 became 02:00 again, so 07:00 is 06:00 UTC.
    assert not _open(datetime(2026, 10, 25, 5, 59, tzinfo=UTC), sundays)
    assert _open(datetime(2026, 10, 25, 6, 0, tzinfo=UTC), sundays)
    # 2027-03-28, the change night, is Easter Sunday: closed all day.
    assert not _open(datetime(2027, 3, 28, 10, 0, tzinfo=UTC), sundays)


def test_configured_closing_days():
    hours = parse_hours("mon-fri 07:00-21:00", "2026-12-24, 2026-12-31")
    assert not _open(datetime(2026, 12, 24, 10, tzinfo=UTC), hours)
    assert _open(datetime(2026, 12, 23, 10, tzinfo=UTC), hours)
    assert date(2026, 12, 31) in hours.closed_days
