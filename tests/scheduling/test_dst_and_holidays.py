"""Summer and winter time, the change nights, and Belgian public holidays on a real database."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import LocationKind, ServedBy
from scheduling.models import Booking, Reservation, Service, Staff
from scheduling.slots import Slot, find_slots
from scheduling.trail import Actor
from scheduling.zone_time import local_day_bounds, to_local
from tests.factories import make_absence, make_one_off, make_service, make_staff, make_weekly

BXL = ZoneInfo("Europe/Brussels")
JAN = Citizen("Jan Peeters", "+32470123456")
EVERY_DAY = range(7)

SPRING_2026 = date(2026, 3, 29)  # last Sunday of March: 02:00 CET → 03:00 CEST
SPRING_2027 = date(2027, 3, 28)  # ... and Easter Sunday too
SPRING_2028 = date(2028, 3, 26)
AUTUMN_2026 = date(2026, 10, 25)  # last Sunday of October: 03:00 CEST → 02:00 CET
AUTUMN_2027 = date(2027, 10, 31)


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _now_before(day: date) -> datetime:
    """A morning some weeks before ``day``, from which a 400-day horizon reaches it."""
    return _utc(day - timedelta(days=60), 8)


def _officer(session: Session, starts: time, ends: time, weekdays=EVERY_DAY) -> Staff:
    officer = make_staff(session)
    for weekday in weekdays:
        make_weekly(session, officer, weekday=weekday, starts=starts, ends=ends)
    return officer


def _service(session: Session, officer: Staff) -> Service:
    return make_service(
        session,
        served_by=ServedBy.TEAM,
        team=(officer,),
        locations=["office"],
        duration_minutes=30,
        travel_minutes=0,
        min_notice_minutes=0,
        horizon_days=400,
    )


def _slots(
    session: Session,
    service: Service,
    officer: Staff,
    first: date,
    last: date | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    return find_slots(
        session,
        service=service,
        staff_ids=[officer.id],
        first_day=first,
        last_day=last or first,
        now=now or _now_before(first),
        zone=BXL,
    )


def _local(slots: list[Slot]) -> list[str]:
    return [to_local(s.start, BXL).strftime("%H:%M%z") for s in slots]


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 28), 8),  # Saturday, winter time
        (SPRING_2026, 7),  # the change day, 09:00 is summer time
        (date(2026, 3, 30), 7),
        (date(2027, 3, 27), 8),
        (date(2027, 3, 30), 7),  # Tuesday: the Monday is Easter Monday
        (date(2026, 10, 24), 7),
        (AUTUMN_2026, 8),
        (date(2026, 10, 26), 8),
        (date(2027, 10, 30), 7),
        (AUTUMN_2027, 8),
        (date(2027, 11, 2), 8),  # Tuesday: the Monday is All Saints
    ],
)
def test_a_nine_o_clock_window_starts_at_seven_utc_in_summer_and_eight_in_winter(
    session: Session, day: date, utc_hour: int
) -> None:
    officer = _officer(session, time(9), time(10))
    slots = _slots(session, _service(session, officer), officer, day)

    assert [s.start for s in slots] == [_utc(day, utc_hour), _utc(day, utc_hour, 30)]
    assert [to_local(s.start, BXL).strftime("%H:%M") for s in slots] == ["09:00", "09:30"]


@pytest.mark.parametrize("day", [SPRING_2026, SPRING_2028])
def test_a_night_window_over_the_spring_change_holds_two_real_hours(
    session: Session, day: date
) -> None:
    officer = _officer(session, time(1), time(4), weekdays=[6])
    service = _service(session, officer)

    slots = _slots(session, service, officer, day)

    half_hours = [_utc(day, 0) + timedelta(minutes=30 * n) for n in range(4)]
    assert [s.start for s in slots] == half_hours
    assert _local(slots) == ["01:00+0100", "01:30+0100", "03:00+0200", "03:30+0200"]
    assert len(_slots(session, service, officer, day - timedelta(days=7))) == 6


@pytest.mark.parametrize("day", [AUTUMN_2026, AUTUMN_2027])
def test_a_night_window_over_the_autumn_change_holds_four_real_hours(
    session: Session, day: date
) -> None:
    officer = _officer(session, time(1), time(4), weekdays=[6])
    service = _service(session, officer)

    slots = _slots(session, service, officer, day)

    first = _utc(day - timedelta(days=1), 23)
    assert [s.start for s in slots] == [first + timedelta(minutes=30 * n) for n in range(8)]
    assert _local(slots) == [
        "01:00+0200",
        "01:30+0200",
        "02:00+0200",
        "02:30+0200",
        "02:00+0100",
        "02:30+0100",
        "03:00+0100",
        "03:30+0100",
    ]
    assert len(_slots(session, service, officer, day - timedelta(days=7))) == 6  # 3 hours


def test_the_spring_change_of_2027_is_easter_sunday_so_it_offers_nothing(session: Session) -> None:
    officer = _officer(session, time(1), time(4), weekdays=[6])
    make_weekly(session, officer, weekday=6, starts=time(9), ends=time(10))
    service = _service(session, officer)

    assert _slots(session, service, officer, SPRING_2027) == []
    assert len(_slots(session, service, officer, SPRING_2027 - timedelta(days=7))) == 6 + 2


@pytest.mark.parametrize(
    ("first", "last", "closed", "change", "utc_hours"),
    [
        (date(2026, 10, 19), date(2026, 11, 1), {date(2026, 11, 1)}, AUTUMN_2026, (7, 8)),
        (
            date(2027, 3, 22),
            date(2027, 4, 4),
            {SPRING_2027, date(2027, 3, 29)},
            SPRING_2027,
            (8, 7),
        ),
    ],
)
def test_the_slot_finder_counts_every_day_of_a_fortnight_with_a_change(
    session: Session,
    first: date,
    last: date,
    closed: set[date],
    change: date,
    utc_hours: tuple[int, int],
) -> None:
    officer = _officer(session, time(9), time(12))
    slots = _slots(session, _service(session, officer), officer, first, last)

    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    assert len(slots) == 6 * (len(days) - len(closed))
    for day in days:
        opens = _utc(day, utc_hours[day >= change])
        expected = [] if day in closed else [opens + timedelta(minutes=30 * n) for n in range(6)]
        assert [s.start for s in slots if to_local(s.start, BXL).date() == day] == expected, day


@pytest.mark.parametrize(
    ("start", "local"),
    [
        (_utc(AUTUMN_2026, 0), "2026-10-25T02:00:00+02:00"),  # the first 02:00
        (_utc(AUTUMN_2026, 1), "2026-10-25T02:00:00+01:00"),  # the second 02:00
        (_utc(AUTUMN_2027, 1, 30), "2027-10-31T02:30:00+01:00"),
        (_utc(SPRING_2026, 1), "2026-03-29T03:00:00+02:00"),  # just after the gap
        (_utc(SPRING_2026, 0, 30), "2026-03-29T01:30:00+01:00"),  # just before it
    ],
)
def test_a_booking_over_the_change_reads_back_the_same_instant(
    session: Session, start: datetime, local: str
) -> None:
    officer = _officer(session, time(1), time(4), weekdays=[6])
    service = _service(session, officer)
    request = BookingRequest(service.code, start, officer.id, LocationKind.OFFICE, JAN)
    booking_id = book(
        session,
        request=request,
        actor=Actor.staff(officer.id),
        now=_now_before(start.date()),
        zone=BXL,
    ).booking.id
    session.expire_all()

    booking = session.get_one(Booking, booking_id)
    assert booking.start_at == start
    assert booking.start_at.utcoffset() == timedelta(0)
    assert booking.end_at - booking.start_at == timedelta(minutes=30)
    assert to_local(booking.start_at, BXL).isoformat() == local
    [reservation] = session.scalars(
        select(Reservation).where(Reservation.booking_id == booking_id)
    ).all()
    assert reservation.blocked_from == start
    stored = session.execute(
        text("SELECT start_at FROM bookings WHERE id = :id"), {"id": booking_id}
    ).scalar_one()
    if isinstance(stored, str):  # SQLite keeps naive UTC text
        assert stored.startswith(start.strftime("%Y-%m-%d %H:%M:%S"))
    else:
        assert stored == start


def test_the_two_two_o_clocks_of_the_autumn_night_are_two_appointments(session: Session) -> None:
    officer = _officer(session, time(1), time(4), weekdays=[6])
    service = _service(session, officer)
    now = _now_before(AUTUMN_2026)
    for start in (_utc(AUTUMN_2026, 0), _utc(AUTUMN_2026, 1)):
        book(
            session,
            request=BookingRequest(service.code, start, officer.id, LocationKind.OFFICE, JAN),
            actor=Actor.staff(officer.id),
            now=now,
            zone=BXL,
        )

    left = _local(_slots(session, service, officer, AUTUMN_2026))
    assert left == [
        "01:00+0200",
        "01:30+0200",
        "02:30+0200",
        "02:30+0100",
        "03:00+0100",
        "03:30+0100",
    ]


@pytest.mark.parametrize(
    "holiday",
    [
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 6),  # Ascension
        date(2027, 5, 17),  # Whit Monday
        date(2027, 7, 21),  # National Day
        date(2027, 11, 11),  # Armistice
    ],
)
def test_a_belgian_public_holiday_of_2027_has_no_moments_the_week_before_has(
    session: Session, holiday: date
) -> None:
    officer = _officer(session, time(9), time(12), weekdays=[holiday.weekday()])
    service = _service(session, officer)
    now = _utc(date(2027, 1, 4), 8)

    assert _slots(session, service, officer, holiday, now=now) == []
    assert len(_slots(session, service, officer, holiday - timedelta(days=7), now=now)) == 6


def test_a_one_off_window_on_a_holiday_offers_nothing_either(session: Session) -> None:
    officer = make_staff(session)
    make_one_off(session, officer, on=date(2027, 7, 21), starts=time(9), ends=time(12))
    make_one_off(session, officer, on=date(2027, 7, 22), starts=time(9), ends=time(12))
    service = _service(session, officer)

    slots = _slots(session, service, officer, date(2027, 7, 20), date(2027, 7, 23))

    assert {to_local(s.start, BXL).date() for s in slots} == {date(2027, 7, 22)}


@pytest.mark.parametrize(
    ("day", "hours", "starts_utc"),
    [
        (SPRING_2026, 23, datetime(2026, 3, 28, 23, tzinfo=UTC)),
        (SPRING_2027, 23, datetime(2027, 3, 27, 23, tzinfo=UTC)),
        (date(2027, 3, 27), 24, datetime(2027, 3, 26, 23, tzinfo=UTC)),
        (date(2027, 3, 29), 24, datetime(2027, 3, 28, 22, tzinfo=UTC)),
        (AUTUMN_2026, 25, datetime(2026, 10, 24, 22, tzinfo=UTC)),
        (AUTUMN_2027, 25, datetime(2027, 10, 30, 22, tzinfo=UTC)),
        (date(2026, 10, 26), 24, datetime(2026, 10, 25, 23, tzinfo=UTC)),
    ],
)
def test_a_local_day_lasts_23_hours_in_spring_and_25_in_autumn(
    day: date, hours: int, starts_utc: datetime
) -> None:
    start, end = local_day_bounds(day, BXL)
    assert start == starts_utc
    assert end - start == timedelta(hours=hours)
    assert local_day_bounds(day + timedelta(days=1), BXL)[0] == end


def test_an_absence_of_the_whole_autumn_day_covers_its_25th_hour(session: Session) -> None:
    officer = _officer(session, time(22), time(23, 30), weekdays=[6])
    service = _service(session, officer)
    day_start, day_end = local_day_bounds(AUTUMN_2026, BXL)
    assert _local(_slots(session, service, officer, AUTUMN_2026)) == [
        "22:00+0100",
        "22:30+0100",
        "23:00+0100",
    ]

    short = make_absence(
        session, officer, starts_at=day_start, ends_at=day_start + timedelta(hours=24)
    )
    assert _local(_slots(session, service, officer, AUTUMN_2026)) == ["23:00+0100"]
    short.ends_at = day_end
    session.flush()
    assert _slots(session, service, officer, AUTUMN_2026) == []


def test_a_window_starting_in_the_spring_gap_is_read_with_the_winter_offset(
    session: Session,
) -> None:
    # Documented in zone_time.local_to_utc: 02:30 is read as 03:30, so the half hour from
    # 03:00 (the first moment the clock has passed 02:30) is not offered.
    officer = make_staff(session)
    make_one_off(session, officer, on=SPRING_2026, starts=time(2, 30), ends=time(4))
    slots = _slots(session, _service(session, officer), officer, SPRING_2026)

    assert _local(slots) == ["03:30+0200"]


def test_a_window_ending_in_the_spring_gap_offers_no_time_after_its_end(
    session: Session,
) -> None:
    # 01:00 to 02:30 on the change night: the clock passes 02:30 at 03:00 CEST (it jumps from
    # 02:00), so the officer is available for one real hour; nothing after 03:00 CEST.
    officer = make_staff(session)
    make_one_off(session, officer, on=SPRING_2026, starts=time(1), ends=time(2, 30))
    slots = _slots(session, _service(session, officer), officer, SPRING_2026)

    assert _local(slots) == ["01:00+0100", "01:30+0100"]
