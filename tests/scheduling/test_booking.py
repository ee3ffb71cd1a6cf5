"""The booking service on a real database: book, refuse, cancel, move, close, and the trail."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduling.addresses import Address
from scheduling.booking import (
    BookingRequest,
    Citizen,
    book,
    booking_by_reference,
    booking_by_token,
    cancel,
    close,
    is_valid_reference,
    reschedule,
)
from scheduling.eligibility import Who, eligible_staff
from scheduling.enums import (
    ActorKind,
    BookingStatus,
    Channel,
    EventKind,
    LocationKind,
    ServedBy,
)
from scheduling.errors import (
    AddressNotInZone,
    Forbidden,
    InvalidRequest,
    NotAllowed,
    NotFound,
    SlotUnavailable,
)
from scheduling.models import AuditEntry, Booking, DomainEvent, Reservation, Service
from scheduling.slots import find_slots
from scheduling.trail import Actor
from tests.factories import (
    make_absence,
    make_assistance_service,
    make_bailiff,
    make_district,
    make_invitation,
    make_service,
    make_staff,
    make_weekly,
)

BXL = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday 1 December 2026, 09:00 local
WEDNESDAY = date(2026, 12, 2)
CITIZEN = Actor.citizen(Channel.API)
JAN = Citizen("Jan Peeters", "+32470123456")
HOME = Address("1547", "Plaats", "3")


@pytest.fixture
def zone_setup(session: Session):
    officer = make_staff(session, name="Inspecteur Wouters")
    make_district(session, officer, streets=(("1547", "Plaats"),))
    service = make_service(session, code="wijkagent")
    make_weekly(session, officer, weekday=2, starts=time(9), ends=time(13))  # office
    make_weekly(
        session, officer, weekday=2, starts=time(13), ends=time(17), location=LocationKind.HOME
    )
    return officer, service


def _at(hour: int, minute: int = 0, day=WEDNESDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BXL).astimezone(UTC)


def _request(officer, start, location=LocationKind.OFFICE, address=HOME) -> BookingRequest:
    return BookingRequest(
        service_code="wijkagent",
        start=start,
        staff_id=officer.id,
        location=location,
        citizen=JAN,
        address=address,
    )


def _slots(session, service, officer, day=WEDNESDAY, location=None, now=NOW):
    return find_slots(
        session,
        service=service,
        staff_ids=[officer.id],
        first_day=day,
        last_day=day,
        now=now,
        zone=BXL,
        location=location,
    )


def test_booking_takes_the_moment_and_leaves_a_trace(session, zone_setup):
    officer, service = zone_setup
    booked = book(session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)

    booking = booked.booking
    assert booking.status is BookingStatus.CONFIRMED
    assert is_valid_reference(booking.reference)
    assert len(booked.manage_token) >= 32  # ≥ 128 bits, url-safe
    assert booking_by_token(session, booked.manage_token).id == booking.id
    assert booking_by_reference(session, booking.reference).id == booking.id
    starts = [s.start for s in _slots(session, service, officer, location=LocationKind.OFFICE)]
    assert _at(10) not in starts
    assert _at(9, 30) in starts
    assert _at(10, 30) in starts
    audit = session.scalars(select(AuditEntry).where(AuditEntry.booking_id == booking.id)).one()
    assert (audit.action, audit.actor_kind, audit.channel) == (
        "booked",
        ActorKind.CITIZEN,
        Channel.API,
    )
    event = session.scalars(select(DomainEvent).where(DomainEvent.booking_id == booking.id)).one()
    assert event.kind is EventKind.BOOKED


def test_the_same_moment_cannot_be_booked_twice(session, zone_setup):
    officer, _ = zone_setup
    book(session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)
    with pytest.raises(SlotUnavailable):
        book(session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)


def test_the_database_refuses_overlapping_reservations_even_without_the_check(session, zone_setup):
    officer, _ = zone_setup
    booking = book(
        session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    session.add(
        Reservation(
            booking_id=booking.id,
            staff_id=officer.id,
            blocked_from=_at(10, 15),
            blocked_until=_at(10, 45),
        )
    )
    with pytest.raises(Exception, match="no_overlapping_reservations"):
        session.flush()


def test_home_visits_carry_travel_time(session, zone_setup):
    officer, service = zone_setup
    slots = _slots(session, service, officer, location=LocationKind.HOME)
    # 30 min visit + 15 min travel either side: a new visit every hour from 13:00.
    assert [s.start for s in slots] == [_at(13), _at(14), _at(15), _at(16)]

    book(
        session,
        request=_request(officer, _at(13), LocationKind.HOME),
        actor=CITIZEN,
        now=NOW,
        zone=BXL,
    )
    office = [s.start for s in _slots(session, service, officer, location=LocationKind.OFFICE)]
    assert _at(12) in office
    assert _at(12, 30) not in office  # 12:30–13:00 collides with the travel from 12:45


def test_no_moments_on_a_belgian_public_holiday(session, zone_setup):
    officer, service = zone_setup
    christmas = date(2026, 12, 25)  # a Friday
    make_weekly(session, officer, weekday=4, starts=time(9), ends=time(12))
    assert _slots(session, service, officer, day=christmas) == []
    assert len(_slots(session, service, officer, day=christmas - timedelta(days=7))) == 6


def test_no_moments_in_an_absence_or_within_the_notice_or_beyond_the_horizon(session, zone_setup):
    officer, service = zone_setup
    make_absence(session, officer, starts_at=_at(9), ends_at=_at(10, 15))
    starts = [s.start for s in _slots(session, service, officer, location=LocationKind.OFFICE)]
    assert starts[0] == _at(10, 30)  # 10:00–10:30 overlaps the absence's last quarter

    just_before = _at(9) - timedelta(minutes=30)  # notice is 60 minutes
    starts = [
        s.start
        for s in _slots(session, service, officer, location=LocationKind.OFFICE, now=just_before)
    ]
    assert starts[0] == _at(10, 30)
    far = WEDNESDAY + timedelta(days=7 * 9)  # beyond 60 days
    assert _slots(session, service, officer, day=far) == []


def test_a_start_that_is_not_a_free_moment_is_refused(session, zone_setup):
    officer, _ = zone_setup
    for start in (_at(10, 10), _at(8), _at(10) - timedelta(days=7)):
        with pytest.raises(SlotUnavailable):
            book(session, request=_request(officer, start), actor=CITIZEN, now=NOW, zone=BXL)


def test_address_and_staff_rules(session, zone_setup):
    officer, _ = zone_setup
    other = make_staff(session)
    with pytest.raises(AddressNotInZone):
        book(
            session,
            request=_request(officer, _at(10), address=Address("1000", "Wetstraat", "16")),
            actor=CITIZEN,
            now=NOW,
            zone=BXL,
        )
    with pytest.raises(InvalidRequest) as error:
        book(session, request=_request(other, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)
    assert error.value.field == "staff_id"
    with pytest.raises(NotFound):
        book(
            session,
            request=BookingRequest("nope", _at(10), officer.id, LocationKind.OFFICE, JAN),
            actor=CITIZEN,
            now=NOW,
            zone=BXL,
        )


def test_citizen_cancel_is_idempotent_frees_the_moment_and_tells_the_officer(session, zone_setup):
    officer, service = zone_setup
    booking = book(
        session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    cancel(session, booking=booking, actor=CITIZEN, now=NOW, reason="ziek")
    cancel(session, booking=booking, actor=CITIZEN, now=NOW)

    assert booking.status is BookingStatus.CANCELLED
    assert booking.sequence == 1
    assert _at(10) in [s.start for s in _slots(session, service, officer)]
    kinds = session.scalars(
        select(DomainEvent.kind).where(DomainEvent.booking_id == booking.id)
    ).all()
    assert kinds == [EventKind.BOOKED, EventKind.CANCELLED_BY_CITIZEN]


def test_staff_cancel_is_an_event_for_the_citizen(session, zone_setup):
    officer, _ = zone_setup
    booking = book(
        session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    cancel(session, booking=booking, actor=Actor.staff(officer.id), now=NOW, reason="interventie")
    event = session.scalars(select(DomainEvent).order_by(DomainEvent.id.desc())).first()
    assert event.kind is EventKind.CANCELLED_BY_STAFF
    assert event.payload["reason"] == "interventie"


def test_citizens_cannot_change_inside_the_cut_off_but_staff_can(session, zone_setup):
    officer, _ = zone_setup
    booking = book(
        session, request=_request(officer, _at(11)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    late = _at(10)  # one hour before, cut-off is two
    with pytest.raises(NotAllowed):
        cancel(session, booking=booking, actor=CITIZEN, now=late)
    with pytest.raises(NotAllowed):
        reschedule(session, booking=booking, start=_at(12), actor=CITIZEN, now=late, zone=BXL)
    cancel(session, booking=booking, actor=Actor.staff(officer.id), now=late)
    assert booking.status is BookingStatus.CANCELLED


def test_reschedule_moves_to_a_free_moment_even_overlapping_its_old_self(session, zone_setup):
    officer, _ = zone_setup
    booking = book(
        session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    other = book(
        session, request=_request(officer, _at(11)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    reschedule(session, booking=booking, start=_at(10, 30), actor=CITIZEN, now=NOW, zone=BXL)
    assert booking.start_at == _at(10, 30)
    assert booking.sequence == 1
    [reservation] = booking.reservations
    assert reservation.blocked_from == _at(10, 30)
    with pytest.raises(SlotUnavailable):
        reschedule(session, booking=other, start=_at(10, 30), actor=CITIZEN, now=NOW, zone=BXL)


def test_close_as_done_only_by_staff_after_the_start(session, zone_setup):
    officer, _ = zone_setup
    booking = book(
        session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    with pytest.raises(NotAllowed):
        close(
            session,
            booking=booking,
            outcome=BookingStatus.DONE,
            actor=Actor.staff(officer.id),
            now=NOW,
        )
    with pytest.raises(NotAllowed):
        close(session, booking=booking, outcome=BookingStatus.DONE, actor=CITIZEN, now=_at(10, 5))
    close(
        session,
        booking=booking,
        outcome=BookingStatus.NO_SHOW,
        actor=Actor.staff(officer.id),
        now=_at(10, 5),
    )
    assert booking.status is BookingStatus.NO_SHOW


def test_team_service_with_several_officers_at_once_is_for_bailiffs_only(session, zone_setup):
    _officer, _ = zone_setup
    a, b, c = (make_staff(session) for _ in range(3))
    make_district(session, a, streets=(("1547", "Kerkstraat"),))
    for s in (a, b, c):
        make_weekly(
            session, s, weekday=2, starts=time(8), ends=time(12), location=LocationKind.ON_SITE
        )
    make_assistance_service(session, team=(a, b, c))
    req = BookingRequest(
        "deurwaarder",
        _at(8),
        b.id,
        LocationKind.ON_SITE,
        JAN,
        address=Address("1547", "Kerkstraat", "1"),
    )
    with pytest.raises(Forbidden):
        book(session, request=req, actor=CITIZEN, now=NOW, zone=BXL)
    bailiff = Actor(ActorKind.BAILIFF, Channel.API, 1)
    account = make_bailiff(session)
    first = book(
        session, request=req, actor=bailiff, now=NOW, zone=BXL, bailiff_account_id=account.id
    )
    assert sorted(r.staff_id for r in first.booking.reservations) == sorted([b.id, a.id])
    # Only c is left at 08:00: one officer is not enough.
    with pytest.raises(SlotUnavailable):
        book(
            session,
            request=BookingRequest(
                "deurwaarder",
                _at(8),
                c.id,
                LocationKind.ON_SITE,
                JAN,
                address=Address("1547", "Kerkstraat", "1"),
            ),
            actor=bailiff,
            now=NOW,
            zone=BXL,
            bailiff_account_id=account.id,
        )


def test_an_invitation_opens_only_its_handlers_moments_within_its_window(session, zone_setup):
    _officer, _ = zone_setup
    handler, colleague = make_staff(session), make_staff(session)
    dossier = make_service(
        session,
        code="dossier",
        locations=["office"],
        served_by=ServedBy.INVITED_STAFF,
        travel_minutes=0,
    )
    for person in (handler, colleague):
        make_weekly(session, person, weekday=2, starts=time(9), ends=time(12))
    make_invitation(
        session,
        handler,
        dossier,
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=14),
        code="INV-77",
    )
    slots = find_slots(
        session,
        service=dossier,
        staff_ids=eligible_staff(session, dossier, Who(invitation_code="INV-77"), NOW),
        first_day=WEDNESDAY,
        last_day=WEDNESDAY,
        now=NOW,
        zone=BXL,
    )
    assert {s.staff_ids for s in slots} == {(handler.id,)}

    def request(staff, start, code="INV-77"):
        return BookingRequest(
            "dossier", start, staff.id, LocationKind.OFFICE, JAN, invitation_code=code
        )

    with pytest.raises(InvalidRequest):
        book(session, request=request(colleague, _at(9)), actor=CITIZEN, now=NOW, zone=BXL)
    with pytest.raises(NotFound):
        book(session, request=request(handler, _at(9), "INV-00"), actor=CITIZEN, now=NOW, zone=BXL)
    with pytest.raises(NotAllowed):  # the window has closed
        book(
            session,
            request=request(handler, _at(9)),
            actor=CITIZEN,
            now=NOW + timedelta(days=15),
            zone=BXL,
        )
    with pytest.raises(SlotUnavailable):  # the appointment must fall inside the period
        book(
            session,
            request=request(handler, _at(9, day=WEDNESDAY + timedelta(days=21))),
            actor=CITIZEN,
            now=NOW,
            zone=BXL,
        )
    booking = book(
        session, request=request(handler, _at(9)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    with pytest.raises(NotAllowed):  # one appointment per invitation
        book(session, request=request(handler, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)
    cancel(session, booking=booking, actor=CITIZEN, now=NOW)
    book(session, request=request(handler, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)


def test_the_stand_in_is_offered_only_while_the_wijkagent_is_absent(session):
    officer, standin = make_staff(session), make_staff(session)
    # They stand in for each other (as in the demo zone): only the searched district counts.
    make_district(session, officer, standin=standin, streets=(("1547", "Plaats"),))
    make_district(session, standin, standin=officer, streets=(("1547", "Kerkstraat"),))
    make_service(session, code="wijkagent")
    thursday = WEDNESDAY + timedelta(days=1)
    for person in (officer, standin):
        for weekday in (2, 3):
            make_weekly(session, person, weekday=weekday, starts=time(9), ends=time(12))
    make_absence(session, officer, starts_at=_at(0), ends_at=_at(23, 59))  # Wednesday only

    staffing = eligible_staff(session, _service(session), Who(address=HOME), NOW)
    assert list(staffing) == [officer.id, standin.id]
    assert staffing.covers == {standin.id: officer.id}
    slots = find_slots(
        session,
        service=_service(session),
        staff_ids=staffing,
        covers=staffing.covers,
        first_day=WEDNESDAY,
        last_day=thursday,
        now=NOW,
        zone=BXL,
    )
    by_day = {(s.start.astimezone(BXL).date(), s.staff_ids) for s in slots}
    assert {staff for day, staff in by_day if day == WEDNESDAY} == {(standin.id,)}
    assert {staff for day, staff in by_day if day == thursday} == {(officer.id,)}

    with pytest.raises(SlotUnavailable):  # not while the wijkagent is there
        book(
            session,
            request=_request(standin, _at(9, day=thursday)),
            actor=CITIZEN,
            now=NOW,
            zone=BXL,
        )
    booked = book(session, request=_request(standin, _at(9)), actor=CITIZEN, now=NOW, zone=BXL)
    assert booked.booking.staff_id == standin.id


def _service(session):
    return session.scalars(select(Service).where(Service.code == "wijkagent")).one()


# --- All or nothing: a refusal leaves nothing half-written -------------------------------------


def _count(session, model) -> int:
    return len(session.scalars(select(model)).all())


def test_a_booking_refused_by_the_database_leaves_no_booking_behind(
    session, zone_setup, monkeypatch
):
    officer, service = zone_setup
    [slot] = [s for s in _slots(session, service, officer) if s.start == _at(10)]
    book(session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)
    monkeypatch.setattr("scheduling.booking.free_slot_at", lambda *_a, **_kw: slot)
    before = (_count(session, Booking), _count(session, AuditEntry), _count(session, DomainEvent))

    with pytest.raises(SlotUnavailable):
        book(session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)

    session.commit()  # what a channel does after telling the citizen "just taken"
    session.expire_all()
    assert (
        _count(session, Booking),
        _count(session, AuditEntry),
        _count(session, DomainEvent),
    ) == before
    confirmed = session.scalars(
        select(Booking).where(Booking.status == BookingStatus.CONFIRMED)
    ).all()
    assert all(b.reservations for b in confirmed)


def test_a_refused_move_keeps_the_old_moment_held_and_nothing_else(session, zone_setup):
    officer, _ = zone_setup
    moving = book(
        session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL
    ).booking
    book(session, request=_request(officer, _at(11)), actor=CITIZEN, now=NOW, zone=BXL)
    audit_before = _count(session, AuditEntry)

    with pytest.raises(SlotUnavailable):
        reschedule(session, booking=moving, start=_at(11), actor=CITIZEN, now=NOW, zone=BXL)

    session.commit()  # no rollback by the caller: the engine undid its own half
    session.expire_all()
    assert moving.start_at == _at(10)
    assert moving.sequence == 0
    assert [(r.blocked_from, r.blocked_until) for r in moving.reservations] == [
        (_at(10), _at(10, 30))
    ]
    assert _count(session, AuditEntry) == audit_before
    # ...and the old moment is still taken for anyone else.
    with pytest.raises(SlotUnavailable):
        book(session, request=_request(officer, _at(10)), actor=CITIZEN, now=NOW, zone=BXL)
