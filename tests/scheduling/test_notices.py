"""Reminder timing (DST, quiet hours), retry rules and the two-segment GSM-7 budget."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduling.notices import (
    backoff,
    classify,
    first_items,
    fits,
    gsm7_safe,
    in_quiet_hours,
    is_gsm7,
    reminder_due,
    segments,
    shorten,
)

BRUSSELS = ZoneInfo("Europe/Brussels")


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # An ordinary afternoon appointment: 24 h before.
        (_local(2026, 12, 2, 14, 0), _local(2026, 12, 1, 14, 0)),
        # 09:00 → 09:00 the day before (not in the quiet hours).
        (_local(2026, 12, 2, 9, 0), _local(2026, 12, 1, 9, 0)),
        # 07:30 → would be 07:30: quiet, so 20:59 two evenings before.
        (_local(2026, 12, 2, 7, 30), _local(2026, 11, 30, 20, 59)),
        # 21:30 → would be 21:30 the evening before: quiet, so 20:59 that evening.
        (_local(2026, 12, 2, 21, 30), _local(2026, 12, 1, 20, 59)),
        # Across spring-forward (29 March 2026): 24 real hours before 14:00 is 13:00 wall time.
        (_local(2026, 3, 29, 14, 0), _local(2026, 3, 28, 13, 0)),
        # Across fall-back (25 October 2026): 24 real hours before 14:00 is 15:00 wall time.
        (_local(2026, 10, 25, 14, 0), _local(2026, 10, 24, 15, 0)),
    ],
)
def test_reminder_due(start: datetime, due: datetime) -> None:
    got = reminder_due(start.astimezone(UTC), BRUSSELS)
    assert got == due
    assert not in_quiet_hours(got, BRUSSELS)


def test_reminder_never_in_quiet_hours_any_minute_of_a_dst_week() -> None:
    start = _local(2026, 3, 27, 0, 0).astimezone(UTC)
    for minutes in range(0, 5 * 24 * 60, 7):
        at = start + timedelta(minutes=minutes)
        due = reminder_due(at, BRUSSELS)
        assert not in_quiet_hours(due, BRUSSELS), at
        assert due <= at - timedelta(hours=24)


@pytest.mark.parametrize(
    ("start", "lead_minutes", "due"),
    [
        # Two days across spring-forward (28 March 2027): 48 real hours, an hour less on the wall.
        (_local(2027, 3, 29, 10, 0), 2880, _local(2027, 3, 27, 9, 0)),
        # Two days across fall-back (25 October 2026): an hour more on the wall.
        (_local(2026, 10, 26, 10, 0), 2880, _local(2026, 10, 24, 11, 0)),
        # Two hours before 09:00 is 07:00, quiet: 20:59 the evening before, in summer time.
        (_local(2027, 3, 29, 9, 0), 120, _local(2027, 3, 28, 20, 59)),
        # An hour before 21:30 is 20:30: not quiet, so not shifted.
        (_local(2026, 10, 25, 21, 30), 60, _local(2026, 10, 25, 20, 30)),
        # A week before, on the night of the change itself: 02:30 does not exist that night,
        # and the reminder lands in the quiet hours anyway.
        (_local(2027, 4, 4, 2, 30), 10080, _local(2027, 3, 27, 20, 59)),
    ],
)
def test_reminder_due_with_a_services_lead(
    start: datetime, lead_minutes: int, due: datetime
) -> None:
    got = reminder_due(start.astimezone(UTC), BRUSSELS, timedelta(minutes=lead_minutes))
    assert got == due
    assert not in_quiet_hours(got, BRUSSELS)


@pytest.mark.parametrize("lead_minutes", [60, 120, 24 * 60, 2 * 24 * 60, 7 * 24 * 60])
@pytest.mark.parametrize("week", [(2027, 3, 25), (2026, 10, 22)])
def test_any_lead_in_a_dst_week_is_never_quiet_and_never_late(
    lead_minutes: int, week: tuple[int, int, int]
) -> None:
    lead = timedelta(minutes=lead_minutes)
    first = _local(*week, 0, 0).astimezone(UTC)
    for minutes in range(0, 7 * 24 * 60, 11):
        at = first + timedelta(minutes=minutes)
        due = reminder_due(at, BRUSSELS, lead)
        assert not in_quiet_hours(due, BRUSSELS), at
        # Shifted by at most one quiet night: 11 h, 12 real hours on the fall-back night.
        assert at - lead - timedelta(hours=12, minutes=1) <= due <= at - lead, at


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == timedelta(hours=1)


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (429, "20429", True),
        (500, None, True),
        (503, None, True),
        (None, None, True),
        (400, "21211", False),
        (400, "21610", False),
        (400, "21602", False),
        (400, "21611", True),  # the sender's queue is full: later
    ],
)
def test_classify(status: int | None, code: str | None, retryable: bool) -> None:
    assert classify(status, code, "x").retryable is retryable


def test_gsm7_safe_replaces_what_would_force_ucs2() -> None:
    text = gsm7_safe("François Lefèvre, août, rôle – l’été")
    assert is_gsm7(text)
    assert text == "Francois Lefèvre, aout, role - l'été"


def test_segments_and_shorten() -> None:
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2
    assert not fits("a" * 307)
    assert not fits("ê")  # UCS-2 counts as too long
    cut = shorten("word " * 40, 30)
    assert len(cut) <= 30
    assert cut.endswith("...")


BRING = (
    "Votre carte d'identité ; votre permis de chasse ou licence de tireur sportif ; le "
    "formulaire médical récent. N'apportez pas d'arme."
)


@pytest.mark.parametrize(
    ("limit", "kept"),
    [
        (10, ""),  # not even the first item: nothing, never a cut word
        (23, "Votre carte d'identité."),
        (80, "Votre carte d'identité ; votre permis de chasse ou licence de tireur sportif."),
        (200, BRING),
    ],
)
def test_a_list_is_shortened_by_whole_items_ending_in_a_full_stop(limit, kept):
    assert first_items(BRING, limit) == kept
