"""The rounds engine as a pure function: travel lookups, a moment's neighbours, near marking,
the detour each moment adds, the channels' order, the DST days and a holiday."""

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from scheduling.enums import LocationKind
from scheduling.rounds import ADJACENT, Travel
from scheduling.slots import (
    DETOUR_STEP,
    Places,
    Rules,
    Slot,
    Visit,
    Window,
    _fits_round,
    _Round,
    compute_slots,
    round_order,
)
from scheduling.zone_time import local_day_bounds

BXL = ZoneInfo("Europe/Brussels")
OFFICER = 1
HOME_VILLAGE, NEIGHBOUR, FAR = 10, 11, 12  # the officer's office is in HOME_VILLAGE
OFFICE_SITE = 100
MINUTES = {
    (HOME_VILLAGE, HOME_VILLAGE): 4,
    (NEIGHBOUR, NEIGHBOUR): 4,
    (FAR, FAR): 4,
    (HOME_VILLAGE, NEIGHBOUR): 10,
    (NEIGHBOUR, HOME_VILLAGE): 10,
    (HOME_VILLAGE, FAR): 20,
    (FAR, HOME_VILLAGE): 20,
    # NEIGHBOUR ↔ FAR not listed: the longest listed drive (20) stands in.
}
TRAVEL = Travel(MINUTES)
RULES = Rules(
    duration=timedelta(minutes=30),
    travel=timedelta(minutes=15),
    min_notice=timedelta(0),
    horizon_days=400,
)
TUESDAY = date(2027, 3, 16)  # an ordinary working day
SPRING = date(2027, 3, 28)  # last Sunday of March: 02:00 CET → 03:00 CEST; Easter Sunday
SPRING_2026 = date(2026, 3, 29)  # the same change on an ordinary Sunday
AUTUMN = date(2027, 10, 31)  # last Sunday of October: 03:00 CEST → 02:00 CET
ARMISTICE = date(2027, 11, 11)  # a Thursday and a Belgian public holiday


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BXL).astimezone(UTC)


def home_window(day: date, starts: time = time(9), ends: time = time(12)) -> Window:
    return Window(OFFICER, LocationKind.HOME, None, starts, ends, weekday=day.weekday())


def moments(
    day: date,
    *,
    place: int,
    visits: Sequence[Visit] = (),
    window: Window | None = None,
    offices: Mapping[int, int] | None = None,
) -> list[Slot]:
    """The home-visit moments of ``day`` in ``place``, the officer's ``visits`` reserved."""
    return compute_slots(
        rules=RULES,
        windows=[window or home_window(day)],
        busy={OFFICER: [(start, end) for start, end, _ in visits]},
        absences={},
        first_day=day,
        last_day=day,
        now=utc(day, 0) - timedelta(days=30),
        zone=BXL,
        places=Places(
            TRAVEL,
            place,
            {OFFICE_SITE: HOME_VILLAGE},
            {OFFICER: list(visits)},
            {OFFICER: HOME_VILLAGE} if offices is None else offices,
        ),
    )


def visit(start: datetime, village: int) -> Visit:
    return (start, start + timedelta(minutes=30), village)


def starts(slots: Sequence[Slot], day: date) -> list[str]:
    return [s.start.astimezone(BXL).strftime("%H:%M") for s in slots if s.start.date() == day]


# --- Travel ---------------------------------------------------------------------------------


def test_a_listed_drive_is_its_minutes():
    assert TRAVEL.between(HOME_VILLAGE, NEIGHBOUR) == timedelta(minutes=10)
    assert TRAVEL.between(FAR, FAR) == timedelta(minutes=4)


def test_a_pair_the_zone_did_not_list_takes_the_longest_listed_drive():
    assert TRAVEL.between(NEIGHBOUR, FAR) == timedelta(minutes=20)
    assert TRAVEL.between(NEIGHBOUR, 99) == TRAVEL.longest == timedelta(minutes=20)


def test_an_unknown_place_adds_no_drive():
    assert TRAVEL.between(None, FAR) == TRAVEL.between(FAR, None) == timedelta(0)
    assert Travel({}).longest == timedelta(0)


# --- Reachable moments ----------------------------------------------------------------------


def test_without_visits_the_window_is_offered_on_the_quarter_hour_without_fixed_travel():
    slots = moments(TUESDAY, place=FAR)
    assert starts(slots, TUESDAY)[:3] == ["09:00", "09:15", "09:30"]
    assert starts(slots, TUESDAY)[-1] == "11:30"  # its 15 minutes' fixed travel are not reserved


def test_a_moment_is_refused_when_the_drive_from_the_visit_before_does_not_fit():
    before = visit(local(TUESDAY, 9), HOME_VILLAGE)  # ends 09:30; a 20-minute drive to FAR
    offered = starts(moments(TUESDAY, place=FAR, visits=[before]), TUESDAY)
    assert "09:45" not in offered  # 15 minutes after it: the drive does not fit
    assert offered[0] == "10:00"


def test_a_moment_is_refused_when_the_drive_on_to_the_visit_after_does_not_fit():
    after = visit(local(TUESDAY, 11), HOME_VILLAGE)
    offered = starts(moments(TUESDAY, place=FAR, visits=[after]), TUESDAY)
    assert "10:15" not in offered  # ends 10:45; 15 minutes before the next one, 20 to drive
    assert offered[-1] == "10:00"  # and none after it: no drive from it fits before 12:00


def test_an_unlisted_pair_is_planned_with_the_longest_drive():
    before = visit(local(TUESDAY, 9), NEIGHBOUR)  # NEIGHBOUR → FAR is not listed: 20 minutes
    assert starts(moments(TUESDAY, place=FAR, visits=[before]), TUESDAY)[0] == "10:00"


def test_in_the_same_village_the_next_visit_follows_after_a_short_drive():
    before = visit(local(TUESDAY, 9), FAR)
    assert starts(moments(TUESDAY, place=FAR, visits=[before]), TUESDAY)[0] == "09:45"


def test_a_window_that_names_its_office_leaves_from_it_and_returns_to_it():
    window = Window(OFFICER, LocationKind.HOME, OFFICE_SITE, time(9), time(12), weekday=1)
    offered = starts(moments(TUESDAY, place=FAR, window=window), TUESDAY)
    assert offered[0] == "09:30"  # 20 minutes out from the office ...
    assert offered[-1] == "11:00"  # ... and 20 back before 12:00


# --- Near and detour ------------------------------------------------------------------------


def test_a_moment_next_to_a_visit_in_the_same_village_is_near():
    existing = visit(local(TUESDAY, 10), FAR)  # 10:00-10:30
    slots = {
        s.start.astimezone(BXL).strftime("%H:%M"): s
        for s in moments(TUESDAY, place=FAR, visits=[existing])
    }
    assert slots["10:45"].near
    assert slots["09:15"].near
    assert not slots["11:15"].near  # 45 minutes after: further than ADJACENT
    assert timedelta(minutes=30) == ADJACENT
    other = moments(TUESDAY, place=NEIGHBOUR, visits=[visit(local(TUESDAY, 10), HOME_VILLAGE)])
    assert not any(s.near for s in other)  # another village is never near


def test_on_an_empty_day_the_detour_is_the_drive_out_and_back():
    slots = moments(TUESDAY, place=FAR)
    assert {s.detour for s in slots} == {timedelta(minutes=40)}


def test_next_to_a_visit_in_the_same_village_the_detour_is_the_short_hop():
    existing = visit(local(TUESDAY, 9), FAR)
    after = [s for s in moments(TUESDAY, place=FAR, visits=[existing]) if s.start >= existing[1]]
    # FAR → here (4) + here → office (20) - FAR → office (20)
    assert {s.detour for s in after} == {timedelta(minutes=4)}


def test_a_visit_on_another_day_does_not_make_a_day_on_the_road():
    yesterday = visit(local(TUESDAY - timedelta(days=1), 11, 30), FAR)
    tomorrow = visit(local(TUESDAY + timedelta(days=1), 9), FAR)
    slots = moments(TUESDAY, place=FAR, visits=[yesterday, tomorrow])
    assert {s.detour for s in slots} == {timedelta(minutes=40)}


def test_without_an_office_the_detour_counts_the_visits_only():
    existing = visit(local(TUESDAY, 9), HOME_VILLAGE)
    slots = moments(TUESDAY, place=FAR, visits=[existing], offices={})
    assert {s.detour for s in slots if s.start > existing[1]} == {timedelta(minutes=20)}


def _slot(hour: int, *, near: bool = False, detour: int = 0, day: date = TUESDAY) -> Slot:
    start = local(day, hour)
    return Slot(
        start,
        start + timedelta(minutes=30),
        (OFFICER,),
        LocationKind.HOME,
        None,
        near,
        timedelta(minutes=detour),
    )


def test_round_order_puts_near_moments_first_then_detours_by_step_then_time():
    later_day = TUESDAY + timedelta(days=2)
    near_late = _slot(11, near=True, detour=4, day=later_day)
    out_of_the_way = _slot(9, detour=40)
    on_the_road = _slot(10, detour=8, day=later_day)
    also_small = _slot(11, detour=9)  # in the same 5-minute step as 8: time decides
    assert timedelta(minutes=5) == DETOUR_STEP
    assert round_order([out_of_the_way, on_the_road, also_small, near_late]) == [
        near_late,
        also_small,
        on_the_road,
        out_of_the_way,
    ]


def test_round_order_of_moments_without_rounds_is_time_order():
    slots = [_slot(11), _slot(9), _slot(10)]
    assert round_order(slots) == sorted(slots, key=lambda s: s.start)


def test_the_day_on_the_road_comes_before_an_earlier_empty_day():
    wednesday = TUESDAY + timedelta(days=1)
    existing = visit(local(wednesday, 9), FAR)
    slots = compute_slots(
        rules=RULES,
        windows=[home_window(TUESDAY), home_window(wednesday)],
        busy={OFFICER: [existing[:2]]},
        absences={},
        first_day=TUESDAY,
        last_day=wednesday,
        now=utc(TUESDAY, 0) - timedelta(days=30),
        zone=BXL,
        places=Places(TRAVEL, FAR, {}, {OFFICER: [existing]}, {OFFICER: HOME_VILLAGE}),
    )
    first = round_order(slots)[0]
    assert first.start == existing[1] + timedelta(minutes=15)
    assert first.near
    assert round_order(s for s in slots if not s.near)[0].start.date() == wednesday


# --- Clock changes and holidays -------------------------------------------------------------


def test_spring_forward_a_visit_before_the_change_and_the_drive_after_it():
    """01:30-02:00 CET, then the clock jumps to 03:00: a 20-minute drive ends at 03:20 CEST,
    and the quarter-hour grid runs in real time from the window's 01:00."""
    window = home_window(SPRING_2026, time(1), time(5))
    before = visit(local(SPRING_2026, 1, 30), HOME_VILLAGE)
    assert before[1] == utc(SPRING_2026, 1)  # 02:00 CET is 03:00 CEST
    slots = moments(SPRING_2026, place=FAR, visits=[before], window=window)
    assert starts(slots, SPRING_2026)[:3] == ["03:30", "03:45", "04:00"]  # none before it fits
    assert starts(slots, SPRING_2026)[-1] == "04:30"
    empty = starts(moments(SPRING_2026, place=FAR, window=window), SPRING_2026)
    assert len(empty) == (3 * 60 - 30) // 15 + 1  # a 01:00-05:00 window holds three hours


def test_spring_forward_2027_is_easter_sunday_the_drive_across_the_change_is_real_time():
    """28 March 2027 offers nothing (a holiday); the neighbour check itself still measures a
    visit just before the change and one just after in real minutes."""
    window = home_window(SPRING, time(1), time(5))
    before = visit(local(SPRING, 1, 30), HOME_VILLAGE)  # to 02:00 CET = 03:00 CEST
    assert moments(SPRING, place=FAR, visits=[before], window=window) == []
    round_ = _Round([before, visit(local(SPRING, 3, 50), HOME_VILLAGE)])
    day = local_day_bounds(SPRING, BXL)
    assert day[1] - day[0] == timedelta(hours=23)
    # 03:20 CEST is 20 real minutes after 02:00 CET: the drive from the visit before fits,
    # but the 20 minutes on to 03:50 do not (ends 03:50).
    fits = _fits_round(utc(SPRING, 1, 20), utc(SPRING, 1, 50), FAR, round_, TRAVEL, None, day, 10)
    assert fits[0] is False
    fits = _fits_round(utc(SPRING, 1, 20), utc(SPRING, 1, 30), FAR, round_, TRAVEL, None, day, 10)
    assert fits == (True, False, timedelta(minutes=20 + 20 - 4))


def test_fall_back_a_visit_in_the_first_two_oclock_and_the_drive_into_the_second():
    """02:30 CEST (00:30 UTC) for half an hour, then 20 minutes' drive: the next moment is
    01:30 UTC, which the clock reads as the second 02:30 (CET)."""
    window = home_window(AUTUMN, time(1), time(5))
    before = (utc(AUTUMN, 0, 30), utc(AUTUMN, 1), HOME_VILLAGE)
    slots = moments(AUTUMN, place=FAR, visits=[before], window=window)
    after = [s for s in slots if s.start > before[0]]
    assert after[0].start == utc(AUTUMN, 1, 30)
    assert after[0].start.astimezone(BXL).strftime("%H:%M%z") == "02:30+0100"
    assert utc(AUTUMN, 1, 15) not in {s.start for s in slots}  # the drive does not fit
    empty = moments(AUTUMN, place=FAR, window=window)
    assert len(empty) == (5 * 60 - 30) // 15 + 1  # the window holds five real hours


def test_the_detour_on_a_clock_change_day_sees_the_whole_day():
    """A 23-hour and a 25-hour day: a visit late in the evening still makes it a day on the
    road (the day's bounds are local, not 24 UTC hours)."""
    for day in (SPRING_2026, AUTUMN):
        window = home_window(day, time(1), time(5))
        evening = visit(local(day, 23, 15), FAR)
        slots = moments(day, place=FAR, visits=[evening], window=window)
        assert {s.detour for s in slots} == {timedelta(minutes=4)}  # FAR hop before it


def test_a_public_holiday_has_no_moments_even_with_travel_times():
    window = home_window(ARMISTICE)
    assert moments(ARMISTICE, place=FAR, window=window) == []
    day_after = ARMISTICE + timedelta(days=7)
    assert moments(day_after, place=FAR, window=home_window(day_after))
