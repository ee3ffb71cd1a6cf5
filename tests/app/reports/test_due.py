"""By when a question is answered: working days on the engine's calendar (no database)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.reports.due import answer_due, is_working_day
from scheduling.hours import parse_hours

BXL = ZoneInfo("Europe/Brussels")
OFFICE = parse_hours("mon-fri 08:00-17:00")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BXL)


def due(submitted: datetime, days: int, hours=OFFICE) -> datetime:
    return answer_due(submitted, working_days=days, hours=hours, zone=BXL).astimezone(BXL)


def test_easter_monday_is_skipped_and_the_hour_holds_across_the_dst_change():
    # Thursday 25 March 2027; summer time starts Sunday 28 March; Monday 29 is Easter Monday.
    assert due(local(2027, 3, 25, 10), 2) == local(2027, 3, 30, 17)
    assert due(local(2027, 3, 25, 10), 2).astimezone(UTC).hour == 15  # CEST, not CET


def test_christmas_a_weekend_and_a_closing_day_are_skipped():
    # Friday 18 December 2026 at 18:00: after hours, so it counts from Monday 21.
    assert due(local(2026, 12, 18, 18), 5) == local(2026, 12, 29, 17)
    closing_eve = parse_hours("mon-fri 08:00-17:00", "2026-12-24")
    assert due(local(2026, 12, 18, 18), 5, closing_eve) == local(2026, 12, 30, 17)


def test_within_hours_it_counts_from_today_after_hours_from_the_next_working_day():
    monday = (2026, 12, 7)
    assert due(local(*monday, 7), 1) == local(2026, 12, 8, 17)  # before opening: today
    assert due(local(*monday, 16, 59), 1) == local(2026, 12, 8, 17)
    assert due(local(*monday, 17), 1) == local(2026, 12, 9, 17)  # closed: from Tuesday
    assert due(local(2026, 12, 5, 10), 1) == local(2026, 12, 8, 17)  # Saturday: from Monday


def test_working_days_follow_the_hours_the_zone_works():
    saturdays = parse_hours("mon-sat 09:00-12:00")
    assert is_working_day(date(2026, 12, 5), saturdays)
    assert not is_working_day(date(2026, 12, 5), OFFICE)
    assert not is_working_day(date(2026, 12, 25), saturdays)  # Christmas
    assert due(local(2026, 12, 4, 11), 1, saturdays) == local(2026, 12, 5, 12)


def test_hours_without_a_working_day_are_refused_rather_than_looped_over():
    with pytest.raises(ValueError, match="no working day"):
        due(local(2026, 12, 7, 10), 1, parse_hours(""))
    with pytest.raises(ValueError, match="at least one working day"):
        due(local(2026, 12, 7, 10), 0)
