"""An office's hours in each language from one renderer (app/hours_text.py): runs of days,
split days, days without hours left out; when several officers' windows make an office's
hours; closed on public holidays and the zone's closing days; the description in the
reader's language, else the zone's."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from app.hours_text import hours_in_short, hours_in_words
from app.places import site_description
from scheduling.hours import Hours, first_overlap, merged
from scheduling.models import Site

BXL = ZoneInfo("Europe/Brussels")
SPLIT = tuple(
    (day, s, e) for day in range(5) for s, e in ((time(8), time(12)), (time(13), time(17)))
)
# Monday to Friday split, Saturday morning, Wednesday afternoon closed, Sunday closed.
WEEK = Hours(
    (*(w for w in SPLIT if not (w[0] == 2 and w[1] == time(13))), (5, time(9), time(12, 30)))
)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nl", "ma–vr 08:00–12:00, 13:00–17:00"),
        ("fr", "lun.–ven. 08:00–12:00, 13:00–17:00"),
        ("en", "Mon–Fri 08:00–12:00, 13:00–17:00"),
    ],
)
def test_split_days_in_each_language(language, said):
    assert hours_in_short(Hours(SPLIT), language) == said


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "nl",
            "ma–di 08:00–12:00, 13:00–17:00; wo 08:00–12:00; do–vr 08:00–12:00, 13:00–17:00; "
            "za 09:00–12:30",
        ),
        (
            "fr",
            "lun.–mar. 08:00–12:00, 13:00–17:00; mer. 08:00–12:00; "
            "jeu.–ven. 08:00–12:00, 13:00–17:00; sam. 09:00–12:30",
        ),
        (
            "en",
            "Mon–Tue 08:00–12:00, 13:00–17:00; Wed 08:00–12:00; Thu–Fri 08:00–12:00, "
            "13:00–17:00; Sat 09:00–12:30",
        ),
    ],
)
def test_a_shorter_day_breaks_the_run_and_closed_days_are_left_out(language, said):
    assert hours_in_short(WEEK, language) == said


def test_days_apart_are_not_joined_and_no_hours_say_nothing():
    apart = Hours(((0, time(15), time(19)), (2, time(9), time(12))))
    assert hours_in_short(apart, "nl") == "ma 15:00–19:00; wo 09:00–12:00"
    assert hours_in_short(Hours(()), "fr") == ""


def test_split_days_read_out():
    assert hours_in_words(Hours(SPLIT), "nl") == (
        "maandag tot vrijdag van 8 tot 12 uur en van 13 tot 17 uur"
    )
    assert hours_in_words(Hours(SPLIT), "fr") == (
        "du lundi au vendredi de 8 à 12 heures et de 13 à 17 heures"
    )
    assert hours_in_words(Hours(SPLIT), "en") == (
        "Monday to Friday from 8 a.m. to 12 p.m. and from 1 p.m. to 5 p.m."
    )


def test_several_officers_windows_make_the_offices_hours():
    windows = [
        (0, time(15), time(19)),
        (0, time(14), time(16)),  # a colleague starts earlier: one range
        (0, time(19), time(20)),  # and one stays after: still one
        (2, time(9), time(12)),
        (2, time(13), time(14)),  # a gap: two ranges
    ]
    assert merged(windows) == (
        (0, time(14), time(20)),
        (2, time(9), time(12)),
        (2, time(13), time(14)),
    )


def test_overlapping_ranges_are_found():
    assert first_overlap([(time(13), time(17)), (time(8), time(12))]) is None
    assert first_overlap([(time(8), time(12)), (time(12), time(13))]) is None  # touching
    assert first_overlap([(time(8), time(12)), (time(11), time(13))]) == (time(11), time(13))


def test_an_office_is_closed_on_public_holidays_and_the_zones_closing_days():
    site = Site(opening_hours=[[day, "08:00", "16:30"] for day in range(5)])
    hours = Hours(site.hours, frozenset({date(2026, 12, 24)}))
    assert hours.open_at(datetime(2026, 12, 23, 9, tzinfo=UTC), BXL)  # a Wednesday
    assert not hours.open_at(datetime(2026, 12, 24, 9, tzinfo=UTC), BXL)  # closing day
    assert not hours.open_at(datetime(2026, 12, 25, 9, tzinfo=UTC), BXL)  # Christmas, Friday
    assert not hours.open_at(datetime(2026, 12, 28, 15, 30, tzinfo=UTC), BXL)  # 16:30 local


def test_the_stored_hours_read_back_in_order():
    site = Site()
    site.hours = ((3, time(13), time(17)), (0, time(8), time(12)))
    assert site.opening_hours == [[0, "08:00", "12:00"], [3, "13:00", "17:00"]]
    assert site.hours == ((0, time(8), time(12)), (3, time(13), time(17)))


def test_the_description_falls_back_to_the_zones_language():
    site = Site(description={"nl": "Ingang langs de Plaats.", "fr": "Entrée par la place."})
    assert site_description(site, "fr") == "Entrée par la place."
    assert site_description(site, "en") == "Ingang langs de Plaats."
    assert site_description(Site(description={}), "en") == ""
