"""An absence on a real database: each touched appointment passes to a free colleague or is
cancelled, with its trail; nothing stays booked with an absent officer."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling import absences
from scheduling.absences import (
    ABSENCE_REASON,
    apply_absence,
    apply_departure,
    save_absence,
    withdraw_absence,
)
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import ActorKind, BookingStatus, Channel, EventKind, LocationKind, ServedBy
from scheduling.models import (
    Absence,
    AssistanceCapacity,
    AuditEntry,
    Booking,
    DomainEvent,
    Reservation,
    Staff,
)
from scheduling.slots import Window
from scheduling.trail import Actor
from tests.factories import (
    make_absence,
    make_assistance_service,
    make_bailiff,
    make_district,
    make_invitation,
    make_one_off,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)

BXL = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 09:00 local
WEDNESDAY = date(2026, 12, 2)
GALOP = Actor.system(Channel.GALOP)
CITIZEN = Actor.citizen(Channel.WEB)
JAN = Citizen("Jan Peeters", "+32470123456")
HOME = Address("1547", "Plaats", "3")


def _at(hour: int, minute: int = 0, day: date = WEDNESDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BXL).astimezone(UTC)


class Zone:
    """A district with its wijkagent and stand-in, both receiving at home on Wednesday
    afternoon and at their own wijkpost on Wednesday morning."""

    def __init__(self, session: Session) -> None:
        self.officer = make_staff(session, name="Inspecteur Wouters")
        self.standin = make_staff(session, name="Inspecteur Peeters")
        self.site = make_site(session, name="Wijkpost Bever")
        self.other_site = make_site(session, name="Wijkpost Herne")
        make_district(session, self.officer, standin=self.standin, streets=(("1547", "Plaats"),))
        self.service = make_service(session, code="wijkagent")  # 30 min, 15 min travel
        for staff, site in ((self.officer, self.site), (self.standin, self.other_site)):
            make_weekly(session, staff, weekday=2, starts=time(9), ends=time(13), site=site)
            make_weekly(
                session,
                staff,
                weekday=2,
                starts=time(13),
                ends=time(17),
                location=LocationKind.HOME,
            )
        self.session = session

    def book(
        self,
        start: datetime,
        location: LocationKind = LocationKind.HOME,
        staff: Staff | None = None,
    ) -> Booking:
        request = BookingRequest(
            service_code="wijkagent",
            start=start,
            staff_id=(staff or self.officer).id,
            location=location,
            citizen=JAN,
            address=HOME,
            language="fr",
        )
        return book(self.session, request=request, actor=CITIZEN, now=NOW, zone=BXL).booking

    def absent(self, staff: Staff, starts_at: datetime, ends_at: datetime, **kw: object) -> Absence:
        return make_absence(self.session, staff, starts_at=starts_at, ends_at=ends_at, **kw)


@pytest.fixture
def zone(session: Session) -> Zone:
    return Zone(session)


def _apply(session: Session, absence: Absence, now: datetime = NOW):
    return apply_absence(session, absence=absence, actor=GALOP, now=now, zone=BXL)


def _events(session: Session, booking: Booking) -> list[DomainEvent]:
    return list(
        session.scalars(
            select(DomainEvent).where(DomainEvent.booking_id == booking.id).order_by(DomainEvent.id)
        )
    )


def _audit(session: Session, booking: Booking) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.booking_id == booking.id).order_by(AuditEntry.id)
        )
    )


def _reserved(session: Session, booking: Booking) -> list[tuple[int, datetime, datetime]]:
    return [
        (r.staff_id, r.blocked_from, r.blocked_until)
        for r in session.scalars(
            select(Reservation)
            .where(Reservation.booking_id == booking.id)
            .order_by(Reservation.staff_id)
        )
    ]


def test_a_home_visit_passes_to_the_stand_in_with_its_travel_and_the_citizen_is_told(session, zone):
    visit = zone.book(_at(14))
    absence = zone.absent(zone.officer, _at(0), _at(23, 59), external_id="GALOP-A-1")

    outcomes = _apply(session, absence)

    assert [(o.booking.id, o.action, o.absent_staff_id, o.new_staff_id) for o in outcomes] == [
        (visit.id, "reassigned", zone.officer.id, zone.standin.id)
    ]
    session.expire_all()
    visit = session.get_one(Booking, visit.id)
    assert (visit.staff_id, visit.status, visit.start_at) == (
        zone.standin.id,
        BookingStatus.CONFIRMED,
        _at(14),
    )
    assert visit.sequence == 1
    # The stand-in now holds the visit's time with its travel either side; the officer nothing.
    assert _reserved(session, visit) == [(zone.standin.id, _at(13, 45), _at(14, 45))]
    event = _events(session, visit)[-1]
    assert event.kind is EventKind.OFFICER_CHANGED
    assert event.payload["staff_name"] == "Inspecteur Peeters"
    assert (event.payload["actor"], event.payload["channel"]) == ("system", "galop")
    assert event.payload["external_id"] == "GALOP-A-1"
    audit = _audit(session, visit)[-1]
    assert (audit.action, audit.actor_kind, audit.channel) == (
        "reassigned",
        ActorKind.SYSTEM,
        Channel.GALOP,
    )
    assert (audit.details["from_staff_id"], audit.details["staff_id"]) == (
        zone.officer.id,
        zone.standin.id,
    )


@pytest.mark.parametrize(
    ("busy_until", "action"),
    [((13, 45), "reassigned"), ((13, 50), "cancelled")],
    ids=["busy-until-travel-starts", "busy-into-the-travel"],
)
def test_the_stand_in_must_be_free_for_the_travel_too(session, zone, busy_until, action):
    # The stand-in receives at the counter until just before (or just into) the 13:45 departure.
    visit = zone.book(_at(14))
    counter = make_service(
        session, code="onthaal", locations=["office"], served_by=ServedBy.TEAM, team=(zone.standin,)
    )
    end = _at(*busy_until)
    start_local = end.astimezone(BXL) - timedelta(minutes=30)
    make_one_off(
        session,
        zone.standin,
        on=WEDNESDAY,
        starts=start_local.time(),
        ends=end.astimezone(BXL).time(),
    )
    book(
        session,
        request=BookingRequest(
            counter.code, end - timedelta(minutes=30), zone.standin.id, LocationKind.OFFICE, JAN
        ),
        actor=CITIZEN,
        now=NOW,
        zone=BXL,
    )

    outcomes = _apply(session, zone.absent(zone.officer, _at(8), _at(18)))

    assert [o.action for o in outcomes] == [action]
    session.expire_all()
    visit = session.get_one(Booking, visit.id)
    if action == "reassigned":
        assert (visit.staff_id, visit.status) == (zone.standin.id, BookingStatus.CONFIRMED)
    else:
        assert (visit.staff_id, visit.status) == (zone.officer.id, BookingStatus.CANCELLED)


@pytest.mark.parametrize(
    ("absence", "touched"),
    [
        (((11, 0), (13, 45)), False),
        (((11, 0), (13, 50)), True),
        (((14, 40), (18, 0)), True),
        (((14, 45), (18, 0)), False),
    ],
    ids=[
        "ends-as-the-travel-starts",
        "ends-during-the-travel-there",
        "starts-during-the-travel-back",
        "starts-when-back",
    ],
)
def test_an_absence_that_overlaps_only_the_travel_still_counts(session, zone, absence, touched):
    visit = zone.book(_at(14))  # 14:00–14:30, reserved 13:45–14:45
    starts, ends = absence
    outcomes = _apply(session, zone.absent(zone.officer, _at(*starts), _at(*ends)))
    assert [o.booking.id for o in outcomes] == ([visit.id] if touched else [])
    session.expire_all()
    expected = zone.standin.id if touched else zone.officer.id
    assert session.get_one(Booking, visit.id).staff_id == expected


def test_when_the_stand_in_is_absent_too_the_appointment_is_cancelled_and_the_citizen_told(
    session, zone
):
    visit = zone.book(_at(14))
    zone.absent(zone.standin, _at(13), _at(15))
    absence = zone.absent(zone.officer, _at(0), _at(23, 59), external_id="GALOP-A-2")

    outcomes = _apply(session, absence)

    assert [(o.action, o.new_staff_id) for o in outcomes] == [("cancelled", None)]
    session.expire_all()
    visit = session.get_one(Booking, visit.id)
    assert visit.status is BookingStatus.CANCELLED
    assert visit.staff_id == zone.officer.id
    assert visit.cancel_reason == ABSENCE_REASON
    assert _reserved(session, visit) == []
    event = _events(session, visit)[-1]
    assert event.kind is EventKind.CANCELLED_BY_STAFF
    assert event.payload["reason"] == ABSENCE_REASON
    assert event.payload["external_id"] == "GALOP-A-2"
    assert visit.language == "fr"  # the notifier writes in the citizen's language
    audit = _audit(session, visit)[-1]
    assert (audit.action, audit.actor_kind, audit.channel) == (
        "cancelled",
        ActorKind.SYSTEM,
        Channel.GALOP,
    )


def test_a_stand_in_without_a_window_at_that_moment_cannot_take_it(session, zone):
    # 17:00 is inside a one-off evening window of the officer only.
    make_one_off(
        session,
        zone.officer,
        on=WEDNESDAY,
        starts=time(17),
        ends=time(19),
        location=LocationKind.HOME,
    )
    late = zone.book(_at(18))
    early = zone.book(_at(14))

    outcomes = _apply(session, zone.absent(zone.officer, _at(0), _at(23, 59)))

    assert [(o.booking.id, o.action) for o in outcomes] == [
        (early.id, "reassigned"),
        (late.id, "cancelled"),
    ]


def test_an_office_appointment_may_move_to_the_stand_ins_wijkpost_and_the_event_says_so(
    session, zone
):
    counter = zone.book(_at(10), location=LocationKind.OFFICE)
    assert counter.site_id == zone.site.id

    _apply(session, zone.absent(zone.officer, _at(0), _at(23, 59)))

    session.expire_all()
    counter = session.get_one(Booking, counter.id)
    assert (counter.staff_id, counter.site_id) == (zone.standin.id, zone.other_site.id)
    assert _events(session, counter)[-1].payload["site_id"] == zone.other_site.id


def test_an_appointment_the_absence_does_not_touch_is_left_alone(session, zone):
    visit = zone.book(_at(14))
    before = len(_audit(session, visit))

    assert _apply(session, zone.absent(zone.officer, _at(15), _at(17))) == []
    assert _apply(session, zone.absent(zone.standin, _at(13), _at(15))) == []

    session.expire_all()
    assert session.get_one(Booking, visit.id).staff_id == zone.officer.id
    assert len(_audit(session, visit)) == before
    assert [e.kind for e in _events(session, visit)] == [EventKind.BOOKED]


def test_appointments_that_have_started_are_left_alone(session, zone):
    started = zone.book(_at(10), location=LocationKind.OFFICE)
    later = zone.book(_at(11), location=LocationKind.OFFICE)
    absence = zone.absent(zone.officer, _at(9), _at(12))

    outcomes = _apply(session, absence, now=_at(10, 5))

    assert [o.booking.id for o in outcomes] == [later.id]
    session.expire_all()
    assert session.get_one(Booking, started.id).staff_id == zone.officer.id
    assert session.get_one(Booking, started.id).status is BookingStatus.CONFIRMED


def test_the_minimum_notice_does_not_stop_a_colleague_taking_over(session, zone):
    visit = zone.book(_at(14))
    half_an_hour_before = _at(13, 30)  # the service's notice is an hour
    outcomes = _apply(session, zone.absent(zone.officer, _at(13), _at(18)), now=half_an_hour_before)
    assert [(o.booking.id, o.action) for o in outcomes] == [(visit.id, "reassigned")]


def test_applying_the_same_absence_twice_has_one_effect(session, zone):
    visit = zone.book(_at(14))
    absence = zone.absent(zone.officer, _at(0), _at(23, 59))

    assert len(_apply(session, absence)) == 1
    assert _apply(session, absence) == []

    kinds = [e.kind for e in _events(session, visit)]
    assert kinds == [EventKind.BOOKED, EventKind.OFFICER_CHANGED]


def test_when_the_stand_in_is_away_the_wijkagent_takes_their_appointment_back(session, zone):
    training = zone.absent(zone.officer, _at(13), _at(15))
    visit = zone.book(_at(14), staff=zone.standin)  # booked with the stand-in while covering
    session.delete(training)  # the training was called off
    session.flush()

    outcomes = _apply(session, zone.absent(zone.standin, _at(0), _at(23, 59)))

    assert [(o.action, o.new_staff_id) for o in outcomes] == [("reassigned", zone.officer.id)]
    assert visit.staff_id == zone.officer.id


def test_a_team_service_passes_to_a_team_member_free_at_that_moment(session):
    first, busy, free = (make_staff(session, name=n) for n in ("A Claes", "B Maes", "C Smets"))
    weapons = make_service(
        session,
        code="wapens",
        locations=["office"],
        served_by=ServedBy.TEAM,
        team=(first, busy, free),
    )
    for member in (first, busy, free):
        make_weekly(session, member, weekday=2, starts=time(9), ends=time(12))

    def book_with(member: Staff) -> Booking:
        request = BookingRequest(weapons.code, _at(10), member.id, LocationKind.OFFICE, JAN)
        return book(session, request=request, actor=CITIZEN, now=NOW, zone=BXL).booking

    booking = book_with(first)
    book_with(busy)

    absence = make_absence(session, first, starts_at=_at(8), ends_at=_at(12))
    outcomes = _apply(session, absence)

    assert [(o.action, o.new_staff_id) for o in outcomes] == [("reassigned", free.id)]
    session.expire_all()
    booking = session.get_one(Booking, booking.id)
    assert booking.staff_id == free.id
    assert _reserved(session, booking) == [(free.id, _at(10), _at(10, 30))]
    assert _events(session, booking)[-1].payload["staff_name"] == "C Smets"


def test_when_the_database_refuses_a_colleague_the_next_one_is_tried(session, monkeypatch):
    # As if a citizen booked the busy colleague between the check and the reservation: the
    # database refuses the overlap, the booking is as it was, and the next colleague takes it.
    first, busy, free = (make_staff(session, name=n) for n in ("A Claes", "B Maes", "C Smets"))
    weapons = make_service(
        session,
        code="wapens",
        locations=["office"],
        served_by=ServedBy.TEAM,
        team=(first, busy, free),
    )
    for member in (first, busy, free):
        make_weekly(session, member, weekday=2, starts=time(9), ends=time(12))
    bookings = [
        book(
            session,
            request=BookingRequest(weapons.code, _at(10), member.id, LocationKind.OFFICE, JAN),
            actor=CITIZEN,
            now=NOW,
            zone=BXL,
        ).booking
        for member in (first, busy)
    ]
    monkeypatch.setattr(
        absences,
        "_window_for",
        lambda session, booking, staff_id, blocked, zone: Window(
            staff_id, booking.location, booking.site_id, time(0), time(23)
        ),
    )

    outcomes = _apply(session, make_absence(session, first, starts_at=_at(8), ends_at=_at(12)))

    assert [(o.action, o.new_staff_id) for o in outcomes] == [("reassigned", free.id)]
    session.expire_all()
    assert _reserved(session, bookings[0]) == [(free.id, _at(10), _at(10, 30))]
    assert _reserved(session, bookings[1]) == [(busy.id, _at(10), _at(10, 30))]
    assert [e.details["staff_id"] for e in _audit(session, bookings[0])[1:]] == [free.id]


def test_a_case_handlers_invitation_appointment_is_cancelled(session):
    handler = make_staff(session, name="Nathalie Vermeulen")
    dossier = make_service(
        session, code="dossier", locations=["office"], served_by=ServedBy.INVITED_STAFF
    )
    make_weekly(session, handler, weekday=2, starts=time(9), ends=time(12))
    make_invitation(session, handler, dossier, valid_from=NOW, valid_until=NOW + timedelta(days=14))
    request = BookingRequest(
        dossier.code, _at(10), handler.id, LocationKind.OFFICE, JAN, invitation_code="INV-1234"
    )
    booking = book(session, request=request, actor=CITIZEN, now=NOW, zone=BXL).booking

    outcomes = _apply(session, make_absence(session, handler, starts_at=_at(8), ends_at=_at(12)))

    assert [o.action for o in outcomes] == ["cancelled"]
    assert booking.status is BookingStatus.CANCELLED


def test_bailiff_assistance_replaces_the_absent_officer_and_cancels_when_nobody_is_left(
    session, zone
):
    team = tuple(make_staff(session, name=n) for n in ("A Janssens", "B Peeters", "C Wouters"))
    assistance = make_assistance_service(session, team=team)
    for member in team:
        make_weekly(
            session, member, weekday=2, starts=time(8), ends=time(12), location=LocationKind.ON_SITE
        )
    bailiff = make_bailiff(session)
    request = BookingRequest(
        assistance.code, _at(8), team[0].id, LocationKind.ON_SITE, JAN, address=HOME
    )
    booking = book(
        session, request=request, actor=CITIZEN, now=NOW, zone=BXL, bailiff_account_id=bailiff.id
    ).booking
    assert {r.staff_id for r in booking.reservations} == {team[0].id, team[1].id}

    # The second officer is away: the third takes their place; the bailiff's contact stays.
    outcomes = _apply(session, make_absence(session, team[1], starts_at=_at(7), ends_at=_at(13)))
    assert [(o.action, o.new_staff_id) for o in outcomes] == [("reassigned", team[2].id)]
    session.expire_all()
    booking = session.get_one(Booking, booking.id)
    assert booking.staff_id == team[0].id
    assert {r[0] for r in _reserved(session, booking)} == {team[0].id, team[2].id}
    assert [e.kind for e in _events(session, booking)] == [EventKind.BOOKED]  # nobody to tell
    assert _audit(session, booking)[-1].action == "reassigned"

    # Then the first is away as well: two officers are needed and only one is left.
    outcomes = _apply(session, make_absence(session, team[0], starts_at=_at(7), ends_at=_at(13)))
    assert [o.action for o in outcomes] == ["cancelled"]
    assert _reserved(session, booking) == []
    # ...and the zone's assistance capacity it held is free again.
    used = session.scalars(
        select(AssistanceCapacity.used).where(
            AssistanceCapacity.slice_start >= _at(8), AssistanceCapacity.slice_start < _at(10)
        )
    ).all()
    assert used
    assert set(used) == {0}


def test_a_staff_member_who_leaves_keeps_no_appointment(session, zone):
    visit = zone.book(_at(14))
    next_week = zone.book(_at(14, day=WEDNESDAY + timedelta(days=7)))
    zone.officer.active = False
    session.flush()

    outcomes = apply_departure(session, staff=zone.officer, actor=GALOP, now=NOW, zone=BXL)

    assert [(o.booking.id, o.action) for o in outcomes] == [
        (visit.id, "reassigned"),
        (next_week.id, "reassigned"),
    ]
    remaining = session.scalars(
        select(Reservation).where(Reservation.staff_id == zone.officer.id)
    ).all()
    assert remaining == []


def test_an_inactive_colleague_takes_nothing(session, zone):
    visit = zone.book(_at(14))
    zone.standin.active = False
    session.flush()
    _apply(session, zone.absent(zone.officer, _at(0), _at(23, 59)))
    assert visit.status is BookingStatus.CANCELLED


def test_save_absence_creates_updates_and_recognises_the_same_absence(session, zone):
    args = {"external_id": "ABS-1", "staff_id": zone.officer.id, "actor": GALOP, "now": NOW}
    absence, change = save_absence(session, starts_at=_at(9), ends_at=_at(12), kind=None, **args)
    assert (change, absence.kind) == ("new", "leave")
    again, change = save_absence(session, starts_at=_at(9), ends_at=_at(12), kind=None, **args)
    assert (again.id, change) == (absence.id, "unchanged")
    _, change = save_absence(session, starts_at=_at(9), ends_at=_at(11), kind="sick", **args)
    assert (change, absence.ends_at, absence.kind) == ("changed", _at(11), "sick")

    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.booking_id.is_(None)).order_by(AuditEntry.id)
    ).all()
    assert actions == ["absence_created", "absence_changed"]


def test_a_withdrawn_absence_is_forgotten_and_what_it_moved_stays_moved(session, zone):
    visit = zone.book(_at(14))
    absence, _ = save_absence(
        session,
        external_id="ABS-2",
        staff_id=zone.officer.id,
        starts_at=_at(0),
        ends_at=_at(23, 59),
        kind="sick",
        actor=GALOP,
        now=NOW,
    )
    _apply(session, absence)

    assert withdraw_absence(session, external_id="ABS-2", actor=GALOP, now=NOW) is True
    assert withdraw_absence(session, external_id="ABS-2", actor=GALOP, now=NOW) is False

    assert session.scalar(select(Absence).where(Absence.external_id == "ABS-2")) is None
    session.expire_all()
    assert session.get_one(Booking, visit.id).staff_id == zone.standin.id
    withdrawn = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "absence_withdrawn")
    ).one()
    assert withdrawn.details["external_id"] == "ABS-2"
    assert "sick" not in str(withdrawn.details)  # the trail keeps the period, not the reason
