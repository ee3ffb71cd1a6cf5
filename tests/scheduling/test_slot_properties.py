"""Properties of the slot finder on random data, and of booking on a real database."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book, cancel, reschedule
from scheduling.calendar import is_public_holiday
from scheduling.enums import BookingStatus, LocationKind, ServedBy
from scheduling.errors import SchedulingError, SlotUnavailable
from scheduling.models import Booking, Reservation
from scheduling.slots import Rules, Slot, Window, _Busy, compute_slots
from scheduling.trail import Actor
from tests.factories import make_district, make_service, make_staff, make_weekly

ZONE = ZoneInfo("Europe/Brussels")
STAFF_IDS = (1, 2, 3)
SITES = {LocationKind.OFFICE: (None, 10), LocationKind.HOME: (None,), LocationKind.ON_SITE: (None,)}
FIRST_NOW = datetime(2026, 1, 1, tzinfo=UTC)
LAST_NOW = datetime(2028, 12, 31, tzinfo=UTC)
KNOWN_HOLIDAYS = holidays.country_holidays("BE", years=range(2025, 2030))
HOLIDAY_LIST = sorted(d for d in KNOWN_HOLIDAYS if 2026 <= d.year <= 2028)
DST_SUNDAYS = [
    date(2026, 3, 29),
    date(2026, 10, 25),
    date(2027, 3, 28),
    date(2027, 10, 31),
    date(2028, 3, 26),
    date(2028, 10, 29),
]
ANCHORS = sorted(HOLIDAY_LIST + DST_SUNDAYS)
FIVE = timedelta(minutes=5)
PROPERTY = settings(max_examples=200, deadline=None)


# ---- an independent reading of the wall clock (no engine code) ----------------------------


def _wall(instant: datetime) -> datetime:
    return instant.astimezone(ZONE).replace(tzinfo=None)


@cache
def _clock_reaches(day: date, at: time) -> datetime:
    """The first instant at which the clock on ``day`` reads ``at`` or later.

    Brussels is UTC+1 or UTC+2, so that instant lies between the wall time minus two hours
    and minus one hour; only on a change day is that hour scanned minute by minute (every
    bound in these tests is on a five-minute grid and every change on a whole hour).
    """
    naive = datetime.combine(day, at)
    lo = (naive - timedelta(hours=2)).replace(tzinfo=UTC)
    hi = (naive - timedelta(hours=1)).replace(tzinfo=UTC)
    offset = lo.astimezone(ZONE).utcoffset()
    if offset == hi.astimezone(ZONE).utcoffset():
        assert offset is not None
        return (naive - offset).replace(tzinfo=UTC)
    t = lo
    while _wall(t) < naive:
        t += timedelta(minutes=1)
    return t


def _in_spring_gap(day: date, at: time) -> bool:
    """Whether the clock never reads ``at`` on ``day`` (it jumps from 02:00 to 03:00)."""
    return _wall(_clock_reaches(day, at)) != datetime.combine(day, at)


def _applies(window: Window, day: date) -> bool:
    if window.on_date is not None:
        return window.on_date == day
    return (
        window.weekday == day.weekday()
        and (window.valid_from is None or window.valid_from <= day)
        and (window.valid_until is None or day <= window.valid_until)
    )


def _opening(window: Window, day: date) -> tuple[datetime, datetime]:
    """A window's real time on a day: from the clock reading ``starts`` to it reading ``ends``."""
    return _clock_reaches(day, window.starts), _clock_reaches(day, window.ends)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# ---- strategies -----------------------------------------------------------------------------


def _grid_times() -> st.SearchStrategy[tuple[time, time]]:
    """A (starts, ends) pair on the five-minute grid, starts < ends, within one day.

    Often in the night from 01:00 to 04:00, where the clocks change.
    """
    five_minutes = st.one_of(st.integers(0, 287), st.integers(12, 48))
    return (
        st.lists(five_minutes, min_size=2, max_size=2, unique=True)
        .map(sorted)
        .map(lambda m: (time(*divmod(m[0] * 5, 60)), time(*divmod(m[1] * 5, 60))))
    )


@st.composite
def _windows(draw: st.DrawFn, first_day: date, last_day: date) -> list[Window]:
    """One weekly or one-off window, held by one to three staff members (so teams meet)."""
    location = draw(st.sampled_from(list(LocationKind)))
    starts, ends = draw(_grid_times())
    place = {"location": location, "site_id": draw(st.sampled_from(SITES[location]))}
    span = (last_day - first_day).days
    if draw(st.booleans()):
        when = {"on_date": first_day + timedelta(days=draw(st.integers(0, span)))}
    else:
        bound = st.one_of(
            st.none(), st.integers(-3, span + 3).map(lambda n: first_day + timedelta(days=n))
        )
        when = {
            "weekday": draw(st.integers(0, 6)),
            "valid_from": draw(bound),
            "valid_until": draw(bound),
        }
    staff = draw(st.lists(st.sampled_from(STAFF_IDS), min_size=1, max_size=3, unique=True))
    return [Window(staff_id=sid, starts=starts, ends=ends, **place, **when) for sid in staff]


@st.composite
def _taken(draw: st.DrawFn, first_day: date, last_day: date) -> tuple[dict, dict]:
    """Busy periods and absences (aware UTC) of each staff member around the searched days."""
    origin = datetime.combine(first_day - timedelta(days=1), time(0), tzinfo=UTC)
    steps = ((last_day - first_day).days + 3) * 288
    busy: dict[int, list[tuple[datetime, datetime]]] = {sid: [] for sid in STAFF_IDS}
    absences: dict[int, list[tuple[datetime, datetime]]] = {sid: [] for sid in STAFF_IDS}
    for staff_id, absent, start, length in draw(
        st.lists(
            st.tuples(
                st.sampled_from(STAFF_IDS),
                st.booleans(),
                st.integers(0, steps),
                st.integers(1, 8 * 12),
            ),
            max_size=16,
        )
    ):
        (absences if absent else busy)[staff_id].append(
            (origin + start * FIVE, origin + (start + length) * FIVE)
        )
    return busy, absences


@st.composite
def _rules(
    draw: st.DrawFn,
    *,
    min_notice: timedelta | None = None,
    horizon_days: int | None = None,
    staff_required: int | None = None,
) -> Rules:
    return Rules(
        duration=timedelta(minutes=15 * draw(st.integers(1, 8))),
        travel=timedelta(minutes=5 * draw(st.integers(0, 6))),
        min_notice=min_notice
        if min_notice is not None
        else draw(st.one_of(st.just(timedelta(0)), st.integers(0, 3 * 288).map(FIVE.__mul__))),
        horizon_days=horizon_days if horizon_days is not None else draw(st.integers(1, 90)),
        staff_required=staff_required
        if staff_required is not None
        else draw(st.sampled_from((1, 1, 2, 3))),
    )


@st.composite
def _scenarios(draw: st.DrawFn) -> dict:
    """Everything ``compute_slots`` takes, at random."""
    if draw(st.booleans()):
        steps = int((LAST_NOW - FIRST_NOW).total_seconds() // 300)
        now = FIRST_NOW + draw(st.integers(0, steps)) * FIVE
    else:  # a little before a holiday or a change of clocks
        anchor = datetime.combine(draw(st.sampled_from(ANCHORS)), time(0), tzinfo=UTC)
        now = anchor - draw(st.integers(0, 14 * 288)) * FIVE
    today = _wall(now).date()
    first_day = today + timedelta(days=draw(st.integers(-3, 14)))
    last_day = first_day + timedelta(days=draw(st.integers(0, 20)))
    busy, absences = draw(_taken(first_day, last_day))
    return {
        "rules": draw(_rules()),
        "windows": [
            w
            for group in draw(st.lists(_windows(first_day, last_day), min_size=1, max_size=4))
            for w in group
        ],
        "busy": busy,
        "absences": absences,
        "first_day": first_day,
        "last_day": last_day,
        "now": now,
        "zone": ZONE,
    }


# ---- the pure slot finder ---------------------------------------------------------------------


@PROPERTY
@given(scenario=_scenarios())
def test_every_slot_keeps_every_rule(scenario: dict) -> None:
    rules: Rules = scenario["rules"]
    now: datetime = scenario["now"]
    slots = compute_slots(**scenario)

    keys = [(s.start, s.staff_ids) for s in slots]
    assert keys == sorted(keys)  # (g) sorted
    assert len(set(slots)) == len(slots)  # (g) no duplicates
    horizon_day = _wall(now).date() + timedelta(days=rules.horizon_days)
    for slot in slots:
        day = _wall(slot.start).date()
        assert slot.start.utcoffset() == timedelta(0)
        assert slot.end - slot.start == rules.duration  # (h)
        assert slot.start >= now + rules.min_notice  # (a)
        assert day <= horizon_day  # (b)
        assert scenario["first_day"] <= day <= scenario["last_day"]
        assert day not in KNOWN_HOLIDAYS  # (c)
        assert not is_public_holiday(day)
        assert len(slot.staff_ids) >= rules.staff_required  # (f)
        assert len(set(slot.staff_ids)) == len(slot.staff_ids)
        travel = rules.travel if slot.location is not LocationKind.OFFICE else timedelta(0)
        blocked = (slot.start - travel, slot.end + travel)
        for staff_id in slot.staff_ids:
            assert any(  # (d)
                w.staff_id == staff_id
                and w.location is slot.location
                and w.site_id == slot.site_id
                and _applies(w, day)
                and _opening(w, day)[0] <= slot.start
                and slot.end <= _opening(w, day)[1]
                for w in scenario["windows"]
            ), (slot, staff_id)
            for period in scenario["busy"][staff_id] + scenario["absences"][staff_id]:  # (e)
                assert not _overlaps(blocked, period), (slot, period)


@PROPERTY
@given(data=st.data())
def test_every_window_long_enough_on_a_working_day_offers_a_moment(data: st.DataObject) -> None:
    scenario = data.draw(_scenarios())
    first_day, last_day = scenario["first_day"], scenario["last_day"]
    before = datetime.combine(first_day, time(0), tzinfo=UTC) - timedelta(hours=3)
    now = before - data.draw(st.integers(0, 3 * 288)) * FIVE
    rules = data.draw(_rules(min_notice=timedelta(0), horizon_days=90, staff_required=1))
    scenario |= {"now": now, "rules": rules, "busy": {}, "absences": {}}
    slots = compute_slots(**scenario)

    for window in scenario["windows"]:
        for day in _days(first_day, last_day):
            if not _applies(window, day) or day in KNOWN_HOLIDAYS:
                continue
            if _in_spring_gap(day, window.starts):
                # Read with the winter offset, as documented (02:30 → 03:30), such a window
                # opens up to an hour after the clock passed its start: see
                # test_a_window_starting_in_the_spring_gap_is_read_with_the_winter_offset.
                continue
            opens, closes = _opening(window, day)
            if closes - opens < rules.duration:
                continue
            assert any(
                s.staff_ids == (window.staff_id,)
                and s.location is window.location
                and s.site_id == window.site_id
                and opens <= s.start
                and s.end <= closes
                for s in slots
            ), (window, day)


@PROPERTY
@given(scenario=_scenarios())
def test_busy_time_notice_and_horizon_remove_exactly_the_moments_they_touch(
    scenario: dict,
) -> None:
    rules: Rules = scenario["rules"]
    now: datetime = scenario["now"]
    unhindered = compute_slots(
        **scenario
        | {
            "busy": {},
            "absences": {},
            "now": datetime.combine(scenario["first_day"] - timedelta(days=2), time(0), tzinfo=UTC),
            "rules": Rules(rules.duration, rules.travel, timedelta(0), 400, rules.staff_required),
        }
    )
    horizon_day = _wall(now).date() + timedelta(days=rules.horizon_days)

    def still_free(slot: Slot, staff_id: int) -> bool:
        travel = rules.travel if slot.location is not LocationKind.OFFICE else timedelta(0)
        blocked = (slot.start - travel, slot.end + travel)
        taken = scenario["busy"][staff_id] + scenario["absences"][staff_id]
        return not any(_overlaps(blocked, period) for period in taken)

    expected = []
    for slot in unhindered:
        if slot.start < now + rules.min_notice or _wall(slot.start).date() > horizon_day:
            continue
        staff = tuple(sid for sid in slot.staff_ids if still_free(slot, sid))
        if len(staff) >= rules.staff_required:
            expected.append(Slot(slot.start, slot.end, staff, slot.location, slot.site_id))

    def order(slot: Slot) -> tuple:
        return slot.start, slot.staff_ids, slot.location, slot.site_id or 0

    assert sorted(compute_slots(**scenario), key=order) == sorted(expected, key=order)


@PROPERTY
@given(
    holiday=st.sampled_from(HOLIDAY_LIST),
    times=_grid_times().filter(
        lambda t: (
            datetime.combine(date.min, t[1]) - datetime.combine(date.min, t[0])
            >= timedelta(hours=3)
        )
    ),
    location=st.sampled_from(list(LocationKind)),
    one_off=st.booleans(),
)
def test_a_belgian_public_holiday_has_no_moment_though_the_same_weekday_beside_it_has(
    holiday: date, times: tuple[time, time], location: LocationKind, one_off: bool
) -> None:
    neighbours = [holiday + timedelta(days=n) for n in (-7, 7)]
    working = [d for d in neighbours if d not in KNOWN_HOLIDAYS]
    if one_off:
        days = [holiday, *working]
        windows = [Window(1, location, None, *times, on_date=d) for d in days]
    else:
        windows = [Window(1, location, None, *times, weekday=holiday.weekday())]
    slots = compute_slots(
        rules=Rules(timedelta(minutes=30), timedelta(minutes=15), timedelta(0), 90),
        windows=windows,
        busy={},
        absences={},
        first_day=holiday - timedelta(days=10),
        last_day=holiday + timedelta(days=10),
        now=datetime.combine(holiday - timedelta(days=12), time(0), tzinfo=UTC),
        zone=ZONE,
    )
    by_day = {_wall(s.start).date() for s in slots}
    assert holiday not in by_day
    assert working
    assert set(working) <= by_day


def test_the_calendar_knows_the_fixed_belgian_holidays() -> None:
    for year in (2026, 2027, 2028):
        for month, day in ((1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)):
            assert is_public_holiday(date(year, month, day))
        assert not is_public_holiday(date(year, 12, 26))  # a bank holiday, not a legal one
    assert is_public_holiday(date(2027, 3, 29))  # Easter Monday
    assert not is_public_holiday(date(2027, 3, 30))


@PROPERTY
@given(
    periods=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), max_size=12),
    query=st.tuples(st.integers(-10, 250), st.integers(1, 40)),
)
def test_the_busy_index_answers_like_a_scan(
    periods: list[tuple[int, int]], query: tuple[int, int]
) -> None:
    def period(start: int, length: int) -> tuple[datetime, datetime]:
        return FIRST_NOW + start * FIVE, FIRST_NOW + (start + length) * FIVE

    blocked = [period(*p) for p in periods]
    asked = period(*query)
    assert _Busy(blocked).overlaps(*asked) == any(_overlaps(asked, p) for p in blocked)


# ---- booking on a real database -----------------------------------------------------------------

DAY = date(2026, 12, 2)  # a Wednesday
NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
DURATION, TRAVEL = timedelta(minutes=30), timedelta(minutes=15)
# Per officer, per location: some moments are offered by both officers, some by one.
HOURS = (
    {LocationKind.OFFICE: (time(9), time(12)), LocationKind.HOME: (time(11), time(14))},
    {LocationKind.OFFICE: (time(10), time(13)), LocationKind.HOME: (time(11), time(14))},
)
CANDIDATES = [  # every quarter from 08:30 to 14:30: some free starts, many not
    datetime.combine(DAY, time(8, 30), tzinfo=ZONE).astimezone(UTC) + n * timedelta(minutes=15)
    for n in range(25)
]
HOME = Address("1547", "Plaats", "3")
JAN = Citizen("Jan Peeters", "+32470123456")


def _grid(officer: int, location: LocationKind) -> set[datetime]:
    """The starts the finder offers in an empty window (travel spaces home visits)."""
    starts, ends = HOURS[officer][location]
    step = DURATION if location is LocationKind.OFFICE else DURATION + 2 * TRAVEL
    at = datetime.combine(DAY, starts, tzinfo=ZONE).astimezone(UTC)
    last = datetime.combine(DAY, ends, tzinfo=ZONE).astimezone(UTC)
    grid = set()
    while at + DURATION <= last:
        grid.add(at)
        at += step
    return grid


def _blocked(start: datetime, location: LocationKind) -> tuple[datetime, datetime]:
    travel = TRAVEL if location is not LocationKind.OFFICE else timedelta(0)
    return start - travel, start + DURATION + travel


# A start is picked as ("offered", k): the k-th start that officer offers there, or as
# ("any", instant): any candidate, mostly not a free moment.
_start = st.one_of(
    st.tuples(st.just("offered"), st.integers(0, 5)),
    st.tuples(st.just("any"), st.sampled_from(CANDIDATES)),
)
_book = st.tuples(
    st.just("book"), st.integers(0, 1), st.sampled_from(list(LocationKind)[:2]), _start
)
_operations = st.one_of(
    _book,
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("reschedule"), st.integers(0, 20), st.sampled_from([None, 0, 1]), _start),
)


def _resolve(start: tuple[str, object], who: int, location: LocationKind) -> datetime:
    if start[0] == "offered":
        offered = sorted(_grid(who, location))
        return offered[int(start[1]) % len(offered)]  # type: ignore[call-overload]
    assert isinstance(start[1], datetime)
    return start[1]


def _check_database(
    session: Session,
    staff_ids: list[int],
    bookings: list[Booking],
    model: dict[int, tuple[int, datetime, datetime]],
) -> None:
    rows = session.execute(
        select(
            Reservation.booking_id,
            Reservation.staff_id,
            Reservation.blocked_from,
            Reservation.blocked_until,
        ).where(Reservation.staff_id.in_(staff_ids))
    ).all()
    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            assert a.staff_id != b.staff_id or not _overlaps(a[2:], b[2:]), (a, b)
    held = {r.booking_id: (r.staff_id, r.blocked_from, r.blocked_until) for r in rows}
    assert len(held) == len(rows)  # one officer per booking: one reservation each
    for booking in bookings:
        status, staff_id, start_at = session.execute(
            select(Booking.status, Booking.staff_id, Booking.start_at).where(
                Booking.id == booking.id
            )
        ).one()
        if status is BookingStatus.CONFIRMED:
            assert held[booking.id] == (staff_id, *_blocked(start_at, booking.location))
        else:
            assert status is BookingStatus.CANCELLED
            assert booking.id not in held
    assert held == model


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    operations=st.tuples(_book, st.lists(_operations, max_size=11)).map(lambda o: [o[0], *o[1]]),
    two_officers=st.booleans(),
)
def test_booking_cancelling_and_moving_never_double_book_an_officer(
    session: Session, operations: list[tuple], two_officers: bool
) -> None:
    savepoint = session.begin_nested()
    try:
        officers = [make_staff(session) for _ in range(2 if two_officers else 1)]
        make_district(session, officers[0], streets=(("1547", "Plaats"),))
        for officer, hours in zip(officers, HOURS, strict=False):
            for location, (starts, ends) in hours.items():
                make_weekly(
                    session,
                    officer,
                    weekday=DAY.weekday(),
                    starts=starts,
                    ends=ends,
                    location=location,
                )
        service = make_service(
            session,
            served_by=ServedBy.TEAM,
            team=tuple(officers),
            min_notice_minutes=0,
            travel_minutes=15,
            duration_minutes=30,
        )
        staff_ids = [o.id for o in officers]
        actor = Actor.staff(staff_ids[0])
        bookings: list[Booking] = []
        model: dict[int, tuple[int, datetime, datetime]] = {}  # booking id → reservation

        def free(staff_id: int, period: tuple[datetime, datetime], own: int | None) -> bool:
            return not any(
                sid == staff_id and _overlaps(period, (f, u))
                for bid, (sid, f, u) in model.items()
                if bid != own
            )

        for operation in operations:
            kind = operation[0]
            if kind != "book" and not bookings:
                continue
            if kind == "book":
                _, who, location, pick_start = operation
                who %= len(staff_ids)
                staff_id = staff_ids[who]
                start = _resolve(pick_start, who, location)
                expected = start in _grid(who, location) and free(
                    staff_id, _blocked(start, location), None
                )
                request = BookingRequest(service.code, start, staff_id, location, JAN, address=HOME)
                try:
                    with session.begin_nested():
                        booking = book(
                            session, request=request, actor=actor, now=NOW, zone=ZONE
                        ).booking
                except SlotUnavailable:
                    assert not expected, operation
                else:
                    assert expected, operation
                    bookings.append(booking)
                    model[booking.id] = (staff_id, *_blocked(start, location))
            elif kind == "cancel":
                booking = bookings[operation[1] % len(bookings)]
                with session.begin_nested():
                    cancel(session, booking=booking, actor=actor, now=NOW, reason="test")
                model.pop(booking.id, None)
                assert booking.status is BookingStatus.CANCELLED
            else:
                _, pick, who, pick_start = operation
                booking = bookings[pick % len(bookings)]
                staff_id = staff_ids[who % len(staff_ids)] if who is not None else None
                wanted = staff_id if staff_id is not None else booking.staff_id
                start = _resolve(pick_start, staff_ids.index(wanted), booking.location)
                expected = (
                    booking.status is BookingStatus.CONFIRMED
                    and start in _grid(staff_ids.index(wanted), booking.location)
                    and free(wanted, _blocked(start, booking.location), booking.id)
                )
                try:
                    with session.begin_nested():
                        reschedule(
                            session,
                            booking=booking,
                            start=start,
                            actor=actor,
                            now=NOW,
                            zone=ZONE,
                            staff_id=staff_id,
                        )
                except SchedulingError:
                    assert not expected, operation
                else:
                    assert expected, operation
                    model[booking.id] = (wanted, *_blocked(start, booking.location))
            _check_database(session, staff_ids, bookings, model)
    finally:
        savepoint.rollback()


def test_the_database_property_offers_free_and_taken_candidates() -> None:
    offered = [_grid(who, location) for who in (0, 1) for location in HOURS[who]]
    assert all(starts < set(CANDIDATES) for starts in offered)
    assert sum(len(starts) for starts in offered) == 6 + 3 + 6 + 3
    assert len(offered[0] & offered[2]) == 4  # office: 10:00 to 11:30 with either officer
    assert offered[1] == offered[3]  # home: always either officer


def test_any_free_member_of_a_team_can_be_booked_while_another_is_free_too(
    session: Session,
) -> None:
    first, second = make_staff(session), make_staff(session)
    for officer in (first, second):
        make_weekly(session, officer, weekday=DAY.weekday(), starts=time(9), ends=time(12))
    service = make_service(
        session,
        served_by=ServedBy.TEAM,
        team=(first, second),
        locations=["office"],
        min_notice_minutes=0,
        travel_minutes=0,
    )
    start = datetime.combine(DAY, time(10), tzinfo=ZONE).astimezone(UTC)
    request = BookingRequest(service.code, start, second.id, LocationKind.OFFICE, JAN)

    booking = book(
        session, request=request, actor=Actor.staff(first.id), now=NOW, zone=ZONE
    ).booking

    assert booking.staff_id == second.id
