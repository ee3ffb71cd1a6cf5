"""The capacity rule for bailiff assistance, and the team search for N officers under it.

The pure part (the rule per quarter hour, DST, holidays, closed days) needs no database; the
rest runs on both databases, the database's own refusal included (the CHECK on
``assistance_capacity``), so the guarantee does not rest on the engine's search alone.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from scheduling import capacity
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book, cancel, reschedule
from scheduling.capacity import SLICE, Capacity, RulePart, rule_for_day, slices_of
from scheduling.enums import ActorKind, BookingStatus, Channel, LocationKind
from scheduling.errors import InvalidRequest, NotAllowed, SlotUnavailable
from scheduling.models import AssistanceCapacity, AssistanceCapacityRule, AssistanceClosedDay
from scheduling.slots import Rules, Slot, Window, compute_slots, find_slots
from scheduling.trail import Actor
from tests.factories import (
    make_assistance_service,
    make_bailiff,
    make_capacity,
    make_district,
    make_staff,
    make_weekly,
)

BXL = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)  # Tuesday 09:00 in Brussels
MONDAY = date(2026, 12, 7)
WEEKDAYS_8_TO_16 = tuple(RulePart(d, time(8), time(16), 2) for d in range(5))
OFFICE = Citizen("Deurwaarders NV", "+3225550000")
WHERE = Address("1547", "Kerkstraat", "1")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BXL).astimezone(UTC)


# --- The rule, per quarter hour (pure) --------------------------------------------------


def test_the_rule_gives_its_officers_inside_its_hours_and_none_outside():
    day = rule_for_day(WEEKDAYS_8_TO_16, (), MONDAY, BXL)
    assert len(day) == 96
    assert day[_at(MONDAY, 8)] == 2
    assert day[_at(MONDAY, 15, 45)] == 2
    assert day[_at(MONDAY, 7, 45)] == 0
    assert day[_at(MONDAY, 16)] == 0
    assert sum(1 for v in day.values() if v) == 8 * 4


def test_weekends_closed_days_and_public_holidays_give_nothing():
    saturday = MONDAY + timedelta(days=5)
    assert not any(rule_for_day(WEEKDAYS_8_TO_16, (), saturday, BXL).values())
    assert not any(rule_for_day(WEEKDAYS_8_TO_16, (MONDAY,), MONDAY, BXL).values())
    christmas = date(2026, 12, 25)  # a Friday
    assert not any(rule_for_day(WEEKDAYS_8_TO_16, (), christmas, BXL).values())
    easter_monday = date(2027, 3, 29)
    assert not any(rule_for_day(WEEKDAYS_8_TO_16, (), easter_monday, BXL).values())


def test_overlapping_lines_give_the_larger_figure_not_the_sum():
    rule = (RulePart(0, time(8), time(12), 2), RulePart(0, time(10), time(14), 3))
    day = rule_for_day(rule, (), MONDAY, BXL)
    assert day[_at(MONDAY, 9)] == 2
    assert day[_at(MONDAY, 11)] == 3
    assert day[_at(MONDAY, 13)] == 3


@pytest.mark.parametrize(
    ("day", "quarters"),
    [(date(2026, 3, 29), 92), (date(2026, 10, 25), 100)],  # spring forward, fall back
)
def test_a_dst_day_counts_real_quarter_hours_and_keeps_wall_clock_hours(day, quarters):
    rule = (RulePart(day.weekday(), time(1), time(5), 1),)
    slices = rule_for_day(rule, (), day, BXL)
    assert len(slices) == quarters
    given = [s for s, n in slices.items() if n]
    assert given[0] == _at(day, 1)
    assert given[-1] + SLICE == _at(day, 5)
    # Four wall-clock hours: three real ones in spring, five in autumn.
    assert len(given) == (12 if quarters == 92 else 20)


def test_a_moment_is_allowed_only_if_every_quarter_hour_it_touches_has_room():
    start = _at(MONDAY, 8)
    free = dict.fromkeys(slices_of(start, start + timedelta(hours=2)), 2)
    free[start + timedelta(minutes=45)] = 1
    room = Capacity(free)
    assert room.allows(start, start + timedelta(minutes=45), 2)
    assert not room.allows(start, start + timedelta(hours=1), 2)
    assert room.allows(start, start + timedelta(hours=1), 1)
    assert not room.allows(start, start + timedelta(hours=3), 1)  # beyond the rows: none
    # A period that does not start on a quarter hour touches the one it starts in.
    assert slices_of(start + timedelta(minutes=5), start + timedelta(minutes=20)) == [
        start,
        start + SLICE,
    ]


def test_team_search_needs_n_officers_free_together_and_the_capacity_for_n():
    """Four officers with different hours; three are needed at once."""
    windows = [
        Window(1, LocationKind.ON_SITE, None, time(8), time(12), weekday=0),
        Window(2, LocationKind.ON_SITE, None, time(8), time(12), weekday=0),
        Window(3, LocationKind.ON_SITE, None, time(10), time(14), weekday=0),
        Window(4, LocationKind.ON_SITE, None, time(8), time(14), weekday=0),
    ]
    rules = Rules(
        duration=timedelta(hours=2),
        travel=timedelta(0),
        min_notice=timedelta(hours=2),
        horizon_days=60,
        staff_required=3,
    )
    busy = {4: [(_at(MONDAY, 8), _at(MONDAY, 10))]}  # officer 4 is out until ten

    def search(room: Capacity | None) -> list[Slot]:
        return compute_slots(
            rules=rules,
            windows=windows,
            busy=busy,
            absences={},
            first_day=MONDAY,
            last_day=MONDAY,
            now=NOW,
            zone=BXL,
            capacity=room,
        )

    found = search(None)
    # 08:00: 1, 2 (4 busy): two only. 10:00: 1, 2, 3, 4. 12:00: 3, 4 only.
    assert [(s.start, s.staff_ids) for s in found] == [(_at(MONDAY, 10), (1, 2, 3, 4))]
    day = rule_for_day((RulePart(0, time(8), time(16), 3),), (), MONDAY, BXL)
    assert search(Capacity(day)) == found
    two = rule_for_day((RulePart(0, time(8), time(16), 2),), (), MONDAY, BXL)
    assert search(Capacity(two)) == []


# --- Stored, booked and refused (both databases) ----------------------------------------


@pytest.fixture
def team(session):
    """Four officers on site on Mondays 08–14 and an office; the rule: weekdays 08–16, 2."""
    members = tuple(make_staff(session, name=f"Agent {n}") for n in range(4))
    make_district(session, members[0], streets=(("1547", "Kerkstraat"),))
    for member in members:
        make_weekly(
            session,
            member,
            weekday=0,
            starts=time(8),
            ends=time(14),
            location=LocationKind.ON_SITE,
        )
    service = make_assistance_service(
        session, team=members, capacity=None, min_notice_minutes=60, cancel_cutoff_minutes=24 * 60
    )
    make_capacity(
        session, officers=2, weekdays=range(5), starts=time(8), ends=time(16), first_day=NOW.date()
    )
    return members, service


def _book(session, office, start, *, officers=2, minutes=120):
    """The office books ``start`` asking for one of the team; the engine adds the others."""
    members = session.scalars(text("SELECT staff_id FROM service_team ORDER BY staff_id")).all()
    request = BookingRequest(
        "deurwaarder",
        start,
        _free_member(session, members, start) or members[0],
        LocationKind.ON_SITE,
        OFFICE,
        address=WHERE,
        officers=officers,
        duration_minutes=minutes,
    )
    actor = Actor(ActorKind.BAILIFF, Channel.API, office.id)
    return book(
        session, request=request, actor=actor, now=NOW, zone=BXL, bailiff_account_id=office.id
    ).booking


def _free_member(session, members, start):
    """A member with no reservation at ``start`` (None when all are taken)."""
    taken = set(
        session.scalars(
            text(
                "SELECT staff_id FROM reservations WHERE blocked_from <= :at AND blocked_until > :at"
            ),
            {"at": start},
        )
    )
    return next((m for m in members if m not in taken), None)


def _used(session, start, end):
    return dict(
        session.execute(
            select(AssistanceCapacity.slice_start, AssistanceCapacity.used).where(
                AssistanceCapacity.slice_start >= start, AssistanceCapacity.slice_start < end
            )
        )
        .tuples()
        .all()
    )


def test_booking_takes_capacity_and_cancelling_gives_it_back(session, team):
    office = make_bailiff(session)
    start = _at(MONDAY, 8)
    booking = _book(session, office, start)
    assert booking.officers == 2
    assert len(booking.reservations) == 2
    assert set(_used(session, start, start + timedelta(hours=2)).values()) == {2}
    assert set(_used(session, start + timedelta(hours=2), start + timedelta(hours=4)).values()) == {
        0
    }
    cancel(session, booking=booking, actor=Actor.staff(1), now=NOW, reason="Actie")
    assert set(_used(session, start, start + timedelta(hours=2)).values()) == {0}


def test_two_officers_left_by_the_rule_means_one_booking_at_a_time_though_four_are_free(
    session, team
):
    office, other = make_bailiff(session), make_bailiff(session, token="other-token")
    _book(session, office, _at(MONDAY, 8))
    with pytest.raises(SlotUnavailable):
        _book(session, other, _at(MONDAY, 8))
    # One officer for one hour still fits? No: the rule's two are taken until ten.
    with pytest.raises(SlotUnavailable):
        _book(session, other, _at(MONDAY, 8), officers=1, minutes=60)
    # From ten the capacity is free again, and two other officers are there.
    later = _book(session, other, _at(MONDAY, 10))
    assert later.status is BookingStatus.CONFIRMED


def test_the_search_offers_only_what_the_capacity_allows(session, team):
    members, service = team
    office = make_bailiff(session)

    def starts(officers):
        return [
            s.start
            for s in find_slots(
                session,
                service=service,
                staff_ids=[m.id for m in members],
                first_day=MONDAY,
                last_day=MONDAY,
                now=NOW,
                zone=BXL,
                rules=Rules.of(service, officers=officers),
            )
        ]

    assert starts(2) == [_at(MONDAY, 8), _at(MONDAY, 10), _at(MONDAY, 12)]
    assert starts(3) == []  # four officers free, but the rule gives two
    _book(session, office, _at(MONDAY, 10))
    assert starts(2) == [_at(MONDAY, 8), _at(MONDAY, 12)]


def test_more_officers_or_time_than_the_service_allows_is_refused_by_field(session, team):
    _members, service = team
    with pytest.raises(InvalidRequest) as too_many:
        Rules.of(service, officers=5)
    assert too_many.value.field == "officers"
    for minutes in (10, 125, 8 * 60 + 15):
        with pytest.raises(InvalidRequest) as wrong:
            Rules.of(service, duration_minutes=minutes)
        assert wrong.value.field == "duration_minutes"


def test_the_database_itself_refuses_capacity_beyond_the_rule(session, team):
    """Whatever code writes: a used count above the capacity violates the CHECK."""
    start = _at(MONDAY, 9)
    over = (
        update(AssistanceCapacity)
        .where(AssistanceCapacity.slice_start == start)
        .values(used=AssistanceCapacity.capacity + 1)
    )
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(over)


def test_moving_frees_the_old_time_first_and_takes_the_new(session, team):
    office = make_bailiff(session)
    booking = _book(session, office, _at(MONDAY, 8))
    actor = Actor(ActorKind.BAILIFF, Channel.WEB, office.id)
    reschedule(session, booking=booking, start=_at(MONDAY, 10), actor=actor, now=NOW, zone=BXL)
    assert booking.start_at == _at(MONDAY, 10)
    used = _used(session, _at(MONDAY, 8), _at(MONDAY, 14))
    assert used[_at(MONDAY, 9, 45)] == 0
    assert used[_at(MONDAY, 10)] == 2
    assert used[_at(MONDAY, 11, 45)] == 2
    assert used[_at(MONDAY, 12)] == 0


def test_inside_the_cut_off_the_office_cannot_cancel_but_the_zone_can(session, team):
    office = make_bailiff(session)
    booking = _book(session, office, _at(MONDAY, 8))
    late = _at(MONDAY, 8) - timedelta(hours=20)  # the cut-off: a day before
    with pytest.raises(NotAllowed):
        cancel(
            session,
            booking=booking,
            actor=Actor(ActorKind.BAILIFF, Channel.WEB, office.id),
            now=late,
        )
    cancel(session, booking=booking, actor=Actor.staff(1), now=late, reason="Inzet elders")
    assert booking.status is BookingStatus.CANCELLED


def test_a_stricter_rule_keeps_bookings_made_and_then_falls_back_to_the_rule(session, team):
    office = make_bailiff(session)
    booking = _book(session, office, _at(MONDAY, 8))
    session.execute(update(AssistanceCapacityRule).values(officers=1))
    capacity.sync(session, first_day=MONDAY, last_day=MONDAY, zone=BXL)
    row = session.get(AssistanceCapacity, _at(MONDAY, 8))
    session.refresh(row)
    assert (row.rule_officers, row.capacity, row.used) == (1, 2, 2)  # kept, not undone
    cancel(session, booking=booking, actor=Actor.staff(1), now=NOW, reason="Herplanning")
    session.refresh(row)
    assert (row.rule_officers, row.capacity, row.used) == (1, 1, 0)
    with pytest.raises(SlotUnavailable):
        _book(session, office, _at(MONDAY, 8))  # two officers: the rule now gives one
    assert _book(session, office, _at(MONDAY, 8), officers=1).officers == 1


def test_a_closed_day_added_later_takes_the_capacity_away(session, team):
    office = make_bailiff(session)
    session.add(AssistanceClosedDay(day=MONDAY, reason="Wielerwedstrijd"))
    session.flush()
    capacity.sync(session, first_day=MONDAY, last_day=MONDAY, zone=BXL)
    with pytest.raises(SlotUnavailable):
        _book(session, office, _at(MONDAY, 8))
