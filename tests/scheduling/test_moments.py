"""A staff member's own bookable moments on a real database: the weekly pattern replaced from
a day on, openings and closures, the preview against the slot finder, the appointments a
change strands (across the DST week with Easter Monday) and what becomes of each."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.absences import ABSENCE_REASON
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import ActorKind, BookingStatus, Channel, EventKind, LocationKind, Role
from scheduling.errors import InvalidRequest, SlotUnavailable
from scheduling.models import Absence, AuditEntry, Availability, Booking, DomainEvent
from scheduling.moments import (
    CLOSURE,
    Closure,
    Decision,
    Fault,
    Hours,
    Opening,
    Plan,
    Problem,
    current_plan,
    preview,
    problems,
    save,
    services_of,
    stranded,
)
from scheduling.slots import find_slots
from scheduling.trail import Actor
from tests.factories import (
    make_absence,
    make_district,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)

BXL = ZoneInfo("Europe/Brussels")
# Monday 22 March 2027, 09:00 in Brussels. Summer time starts on Sunday 28 March, and
# Monday 29 March is Easter Monday, a public holiday.
NOW = datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
TODAY = date(2027, 3, 22)
MON, TUE, WED, THU = 0, 1, 2, 3
OFFICE, HOME = LocationKind.OFFICE, LocationKind.HOME
CITIZEN = Actor.citizen(Channel.WEB)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BXL).astimezone(UTC)


class Zone:
    """A wijkagent with office hours at the wijkpost on Monday and Wednesday and home visits
    on Tuesday; the stand-in makes home visits on Tuesday too."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.officer = make_staff(session, name="Inspecteur Wouters")
        self.standin = make_staff(session, name="Inspecteur Peeters")
        self.site = make_site(session, name="Wijkpost Bever")
        make_district(session, self.officer, standin=self.standin, streets=(("1547", "Plaats"),))
        self.service = make_service(session, code="wijkagent")  # 30 min, 15 min travel
        self.actor = Actor.staff(self.officer.id)
        make_weekly(
            session, self.officer, weekday=MON, starts=time(15), ends=time(19), site=self.site
        )
        make_weekly(
            session, self.officer, weekday=WED, starts=time(9), ends=time(12), site=self.site
        )
        make_weekly(
            session, self.officer, weekday=TUE, starts=time(13), ends=time(17), location=HOME
        )
        make_weekly(
            session, self.standin, weekday=TUE, starts=time(13), ends=time(17), location=HOME
        )

    def hours(self, weekday: int, starts: int, ends: int, location: LocationKind = OFFICE) -> Hours:
        site = self.site.id if location is OFFICE else None
        return Hours(weekday, time(starts), time(ends), location, site)

    def pattern(self) -> tuple[Hours, ...]:
        return (self.hours(MON, 15, 19), self.hours(TUE, 13, 17, HOME), self.hours(WED, 9, 12))

    def plan(self, *weekly: Hours, from_day: date = TODAY, **kw: object) -> Plan:
        return Plan(self.officer.id, from_day, weekly or self.pattern(), **kw)  # type: ignore[arg-type]

    def book(self, start: datetime, location: LocationKind = OFFICE) -> Booking:
        request = BookingRequest(
            "wijkagent",
            start,
            self.officer.id,
            location,
            Citizen("Jan Peeters", "+32470123456"),
            address=Address("1547", "Plaats", "3"),
        )
        return book(self.session, request=request, actor=CITIZEN, now=NOW, zone=BXL).booking

    def slots(self, first: date, last: date) -> list:
        return find_slots(
            self.session,
            service=self.service,
            staff_ids=[self.officer.id],
            first_day=first,
            last_day=last,
            now=NOW,
            zone=BXL,
        )

    def save(self, plan: Plan, decisions: dict[int, Decision] | None = None) -> list:
        return save(
            self.session, plan=plan, decisions=decisions or {}, actor=self.actor, now=NOW, zone=BXL
        )


@pytest.fixture
def zone(session: Session) -> Zone:
    return Zone(session)


def _audit(session: Session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _events(session: Session, booking: Booking) -> list[EventKind]:
    found = session.scalars(select(DomainEvent.kind).where(DomainEvent.booking_id == booking.id))
    return list(found)


# --- The weekly pattern ---------------------------------------------------------------------


def test_the_current_plan_is_what_is_stored(zone: Zone) -> None:
    plan = current_plan(zone.session, staff_id=zone.officer.id, from_day=TODAY, now=NOW, zone=BXL)
    assert plan.weekly == zone.pattern()
    assert plan.openings == plan.closures == ()


def test_a_new_pattern_ends_the_old_rows_the_day_before_it_starts(zone: Zone) -> None:
    later = make_weekly(
        zone.session,
        zone.officer,
        weekday=THU,
        starts=time(9),
        ends=time(12),
        valid_from=date(2027, 5, 1),
    )
    from_day = date(2027, 4, 1)  # a Thursday

    zone.save(zone.plan(zone.hours(WED, 13, 17), from_day=from_day))

    rows = zone.session.scalars(
        select(Availability).where(Availability.staff_id == zone.officer.id)
    ).all()
    old = [(r.weekday, r.valid_from, r.valid_until) for r in rows if r.valid_until]
    assert sorted(old) == [
        (MON, None, date(2027, 3, 31)),
        (TUE, None, date(2027, 3, 31)),
        (WED, None, date(2027, 3, 31)),
    ]
    assert later not in rows  # it would only have started later: replaced entirely
    new = [(r.weekday, r.starts, r.valid_from) for r in rows if r.valid_until is None]
    assert new == [(WED, time(13), from_day)]
    (entry,) = _audit(zone.session, "weekly_hours_replaced")
    assert (entry.actor_kind, entry.actor_id) == (ActorKind.STAFF, zone.officer.id)
    assert entry.details["from"] == "2027-04-01"
    # History stays true: the old Wednesday before the new start, the new one after.
    starts = {s.start for s in zone.slots(date(2027, 3, 31), date(2027, 4, 7))}
    assert _at(date(2027, 3, 31), 9) in starts
    assert _at(date(2027, 4, 7), 13) in starts
    assert _at(date(2027, 4, 7), 9) not in starts


def test_saving_the_same_pattern_changes_no_row(zone: Zone) -> None:
    before = zone.session.scalars(select(Availability.id).order_by(Availability.id)).all()
    zone.save(zone.plan())
    after = zone.session.scalars(select(Availability.id).order_by(Availability.id)).all()
    assert before == after
    assert _audit(zone.session, "weekly_hours_replaced") == []


def test_a_pattern_scheduled_for_later_survives_an_unchanged_week(zone: Zone) -> None:
    summer = make_weekly(
        zone.session,
        zone.officer,
        weekday=THU,
        starts=time(9),
        ends=time(12),
        valid_from=date(2027, 7, 1),
    )
    saturday = Opening(date(2027, 3, 27), time(9), time(11), OFFICE, zone.site.id)
    plan = zone.plan(openings=(saturday,))
    assert stranded(zone.session, plan=plan, now=NOW, zone=BXL) == []

    zone.save(plan)

    assert zone.session.get(Availability, summer.id) is summer
    assert _audit(zone.session, "weekly_hours_replaced") == []


def test_what_a_plan_cannot_hold(zone: Zone) -> None:
    plan = zone.plan(
        zone.hours(MON, 9, 12),
        zone.hours(MON, 11, 13, HOME),  # overlaps the row above
        zone.hours(TUE, 12, 10),  # ends before it starts
        Hours(WED, time(5, 30), time(23), OFFICE),  # outside 06:00-22:00
        from_day=date(2027, 3, 21),
        openings=(Opening(date(2027, 3, 21), time(9), time(10), OFFICE),),
        closures=(Closure(date(2027, 3, 23), time(12), time(11)),),
    )
    assert problems(plan, today=TODAY) == [
        Fault("from_day", 0, "day", Problem.IN_THE_PAST),
        Fault("weekly", 1, "starts", Problem.OVERLAPS),
        Fault("weekly", 2, "ends", Problem.ENDS_BEFORE_IT_STARTS),
        Fault("weekly", 3, "starts", Problem.OUTSIDE_HOURS),
        Fault("weekly", 3, "ends", Problem.OUTSIDE_HOURS),
        Fault("openings", 0, "day", Problem.IN_THE_PAST),
        Fault("closures", 0, "ends", Problem.ENDS_BEFORE_IT_STARTS),
    ]
    with pytest.raises(InvalidRequest):
        zone.save(plan)
    assert problems(zone.plan(), today=TODAY) == []


# --- Openings, closures and the preview --------------------------------------------------------


def test_the_preview_is_what_the_slot_finder_offers_once_saved(zone: Zone) -> None:
    zone.book(_at(date(2027, 3, 24), 10))  # a Wednesday appointment stays and blocks its time
    make_absence(
        zone.session,
        zone.officer,
        starts_at=_at(date(2027, 4, 2), 0),
        ends_at=_at(date(2027, 4, 3), 0),
        external_id="GALOP-1",
    )
    plan = zone.plan(
        zone.hours(MON, 15, 19),
        zone.hours(WED, 9, 12),
        zone.hours(THU, 9, 12, HOME),
        openings=(Opening(date(2027, 3, 27), time(9), time(11), OFFICE, zone.site.id),),
        closures=(Closure(date(2027, 3, 31), time(9), time(10)),),
    )

    shown = preview(zone.session, plan=plan, service=zone.service, now=NOW, zone=BXL)
    zone.save(plan)

    assert shown == zone.slots(TODAY, date(2027, 4, 4))
    days = {s.start.astimezone(BXL).date() for s in shown}
    assert date(2027, 3, 27) in days  # the opening, a Saturday
    assert date(2027, 3, 29) not in days  # Easter Monday: no moments on a public holiday
    assert _at(date(2027, 3, 31), 9) not in {s.start for s in shown}  # the closure
    assert _at(date(2027, 3, 31), 10) in {s.start for s in shown}
    # Summer time: Wednesday 31 March 10:00 is 08:00 UTC, Wednesday 24th 10:00 was 09:00 UTC.
    assert _at(date(2027, 3, 31), 10) == datetime(2027, 3, 31, 8, tzinfo=UTC)
    assert {len(_audit(zone.session, a)) for a in ("opening_added", "closure_added")} == {1}


def test_a_closure_is_an_absence_the_slot_finder_honours(zone: Zone) -> None:
    monday = date(2027, 4, 5)
    zone.save(zone.plan(closures=(Closure(monday),)))

    (closure,) = zone.session.scalars(select(Absence).where(Absence.kind == CLOSURE)).all()
    assert (closure.staff_id, closure.external_id) == (zone.officer.id, None)
    assert (closure.starts_at, closure.ends_at) == (_at(monday, 0), _at(date(2027, 4, 6), 0))
    assert zone.slots(monday, monday) == []
    again = current_plan(zone.session, staff_id=zone.officer.id, from_day=TODAY, now=NOW, zone=BXL)
    assert again.closures == (Closure(monday),)

    zone.save(zone.plan())  # the closure taken away again
    assert zone.slots(monday, monday) != []
    assert len(_audit(zone.session, "closure_removed")) == 1


def test_openings_are_added_and_removed(zone: Zone) -> None:
    saturday = Opening(date(2027, 3, 27), time(9), time(11), OFFICE, zone.site.id)
    zone.save(zone.plan(openings=(saturday,)))
    assert len(zone.slots(saturday.on_date, saturday.on_date)) == 4
    zone.save(zone.plan())
    assert zone.slots(saturday.on_date, saturday.on_date) == []
    assert [len(_audit(zone.session, a)) for a in ("opening_added", "opening_removed")] == [1, 1]


def test_the_services_a_staff_member_serves(zone: Zone, session: Session) -> None:
    handler = make_staff(session, roles=(Role.CASE_HANDLER,))
    weapons = make_service(session, code="wapens", served_by="team", team=(handler,))
    assert services_of(session, zone.officer) == [zone.service]
    assert services_of(session, handler) == [weapons]


# --- Stranded appointments -------------------------------------------------------------------


def test_stranded_across_the_dst_week(zone: Zone) -> None:
    # Tuesday 30 March, after the change to summer time: 15:00 in Brussels is 13:00 UTC.
    visit = zone.book(_at(date(2027, 3, 30), 15), HOME)
    office = zone.book(_at(date(2027, 3, 24), 11, 30))  # Wednesday, still winter time
    assert visit.start_at == datetime(2027, 3, 30, 13, tzinfo=UTC)

    def strands(*weekly: Hours) -> list[Booking]:
        return stranded(zone.session, plan=zone.plan(*weekly), now=NOW, zone=BXL)

    assert strands() == []
    assert strands(zone.hours(TUE, 15, 17, HOME), zone.hours(WED, 9, 12)) == []
    assert strands(zone.hours(TUE, 16, 17, HOME), zone.hours(WED, 9, 12)) == [visit]
    assert strands(zone.hours(TUE, 13, 17, HOME), zone.hours(WED, 9, 11, HOME)) == [office]
    # Office hours moved to another site strand the appointment at the first one.
    other = make_site(zone.session, name="Centrale")
    moved = Hours(WED, time(9), time(12), OFFICE, other.id)
    assert strands(zone.hours(TUE, 13, 17, HOME), moved) == [office]


def test_stranded_after_a_holiday_and_by_a_closure(zone: Zone) -> None:
    after_easter = zone.book(_at(date(2027, 4, 5), 15))  # the Monday after Easter Monday
    plan = zone.plan(zone.hours(MON, 16, 19), zone.hours(TUE, 13, 17, HOME))
    assert stranded(zone.session, plan=plan, now=NOW, zone=BXL) == [after_easter]

    closed = zone.plan(closures=(Closure(date(2027, 4, 5), time(14), time(16)),))
    assert stranded(zone.session, plan=closed, now=NOW, zone=BXL) == [after_easter]
    # Kept as an exception once, it is not asked about again.
    zone.save(closed, {after_easter.id: Decision.KEEP})
    assert stranded(zone.session, plan=closed, now=NOW, zone=BXL) == []


def test_saving_needs_a_decision_for_every_stranded_appointment(zone: Zone) -> None:
    booking = zone.book(_at(date(2027, 3, 24), 10))
    with pytest.raises(InvalidRequest) as refused:
        zone.save(zone.plan(zone.hours(MON, 15, 19)))
    assert refused.value.field == str(booking.id)


def test_keep_leaves_the_appointment_as_an_exception(zone: Zone) -> None:
    booking = zone.book(_at(date(2027, 3, 24), 10))
    (outcome,) = zone.save(zone.plan(zone.hours(MON, 15, 19)), {booking.id: Decision.KEEP})

    assert (outcome.decision, outcome.start, booking.status) == (
        Decision.KEEP,
        booking.start_at,
        BookingStatus.CONFIRMED,
    )
    (kept,) = _audit(zone.session, "kept")
    assert (kept.booking_id, kept.actor_id) == (booking.id, zone.officer.id)
    assert _events(zone.session, booking) == [EventKind.BOOKED]  # nobody is told


def test_cancel_tells_the_citizen(zone: Zone) -> None:
    booking = zone.book(_at(date(2027, 3, 24), 10))
    zone.save(zone.plan(zone.hours(MON, 15, 19)), {booking.id: Decision.CANCEL})

    assert (booking.status, booking.cancel_reason) == (BookingStatus.CANCELLED, ABSENCE_REASON)
    assert booking.reservations == []
    assert _events(zone.session, booking) == [EventKind.BOOKED, EventKind.CANCELLED_BY_STAFF]
    (entry,) = _audit(zone.session, "cancelled")
    assert (entry.actor_kind, entry.actor_id, entry.channel) == (
        ActorKind.STAFF,
        zone.officer.id,
        Channel.STAFF,
    )
    assert entry.details["cause"] == "bookable_moments"


def test_move_passes_a_visit_to_the_free_stand_in(zone: Zone) -> None:
    visit = zone.book(_at(date(2027, 3, 23), 14), HOME)
    (outcome,) = zone.save(
        zone.plan(zone.hours(MON, 15, 19), zone.hours(WED, 9, 12)), {visit.id: Decision.MOVE}
    )

    assert (outcome.staff_id, outcome.start) == (zone.standin.id, _at(date(2027, 3, 23), 14))
    assert [r.staff_id for r in visit.reservations] == [zone.standin.id]
    assert _events(zone.session, visit)[-1] is EventKind.OFFICER_CHANGED


def test_move_takes_the_next_free_moment_when_no_colleague_can(zone: Zone) -> None:
    booking = zone.book(_at(date(2027, 3, 24), 10))  # office: the stand-in has no office hours
    plan = zone.plan(zone.hours(TUE, 13, 17, HOME), zone.hours(WED, 9, 10))

    (outcome,) = zone.save(plan, {booking.id: Decision.MOVE})

    # The first free moment from its own time on: a week later, in summer time.
    assert (outcome.staff_id, outcome.start) == (zone.officer.id, _at(date(2027, 3, 31), 9))
    assert booking.status is BookingStatus.CONFIRMED
    assert _events(zone.session, booking)[-1] is EventKind.MOVED
    (moved,) = _audit(zone.session, "moved")
    assert moved.actor_id == zone.officer.id


def test_move_is_refused_when_there_is_no_free_moment(zone: Zone) -> None:
    booking = zone.book(_at(date(2027, 3, 24), 10))
    with pytest.raises(SlotUnavailable) as refused:
        zone.save(zone.plan(zone.hours(TUE, 13, 17, HOME)), {booking.id: Decision.MOVE})
    assert refused.value.field == str(booking.id)
