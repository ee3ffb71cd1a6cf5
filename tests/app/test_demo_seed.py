"""`flask --app app seed-demo` loads a zone every screen can use, once."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select

from app.demo.seed import seed_demo
from app.staff.models import StaffCredential
from scheduling.absences import apply_absence
from scheduling.addresses import Address, district_for
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import BookingStatus, Channel, LocationKind, Role, ServedBy
from scheduling.models import (
    Absence,
    Booking,
    District,
    DistrictStreet,
    Reservation,
    Service,
    Staff,
    StaffRole,
)
from scheduling.slots import find_slots
from scheduling.trail import Actor

GALOP = Actor.system(Channel.GALOP)

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


def test_seed_is_idempotent_and_every_street_finds_its_district(session, app):
    first = seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)
    second = seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)
    assert first.loaded
    assert not second.loaded
    assert session.scalar(select(func.count()).select_from(Staff)) == first.counts["staff"]
    assert "demo-deurwaarder-5405" in second.summary()

    for street in session.scalars(select(DistrictStreet)):
        number = str(street.number_from or 1)
        found = district_for(session, Address(street.postcode, street.street, number))
        assert found.id == street.district_id, street.street


def test_a_zone_loaded_before_the_transfer_gets_its_service_mobiles(session, app):
    zone = app.config["BLAUWLIJN"].zone
    seed_demo(session, now=NOW, zone=zone)
    phones = dict(session.execute(select(Staff.personnel_number, Staff.phone)).all())
    assert phones["GALOP-1001"] == "+32470001001"
    assert len(set(phones.values())) == len(phones)  # one number each
    for staff in session.scalars(select(Staff)):
        staff.phone = None  # as a zone loaded by an earlier version
    session.flush()
    seed_demo(session, now=NOW, zone=zone)
    assert dict(session.execute(select(Staff.personnel_number, Staff.phone)).all()) == phones


def test_a_zone_loaded_before_the_reporting_point_gets_its_staff_with_demo_logins(session, app):
    zone = app.config["BLAUWLIJN"].zone
    seed_demo(session, now=NOW, zone=zone)
    lead = session.scalars(select(Staff).where(Staff.personnel_number == "GALOP-6102")).one()
    session.execute(delete(StaffCredential).where(StaffCredential.staff_id == lead.id))
    session.execute(delete(StaffRole).where(StaffRole.staff_id == lead.id))
    session.delete(lead)  # as a zone loaded by an earlier version
    session.flush()
    again = seed_demo(session, now=NOW, zone=zone)
    lead = session.scalars(select(Staff).where(Staff.personnel_number == "GALOP-6102")).one()
    assert lead.role_set == {Role.RESTRICTED_LEAD}
    assert session.scalar(
        select(StaffCredential.totp_secret).where(StaffCredential.staff_id == lead.id)
    )
    assert "GALOP-6102" in again.summary()


def test_seeded_appointments_went_through_the_engine(session, app):
    seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)
    confirmed = session.scalars(
        select(Booking).where(Booking.status == BookingStatus.CONFIRMED)
    ).all()
    assert len(confirmed) >= 10
    reserved = set(session.scalars(select(Reservation.booking_id)))
    assert {b.id for b in confirmed} <= reserved


def test_every_wijkagent_has_free_moments_in_the_next_fortnight(session, app):
    zone = app.config["BLAUWLIJN"].zone
    seed_demo(session, now=NOW, zone=zone)
    service = session.scalars(
        select(Service).where(Service.served_by == ServedBy.DISTRICT_OFFICER)
    ).one()
    today = NOW.astimezone(zone).date()
    for district in session.scalars(select(District)):
        slots = find_slots(
            session,
            service=service,
            staff_ids=[district.officer_id],
            first_day=today,
            last_day=today + timedelta(days=14),
            now=NOW,
            zone=zone,
        )
        assert slots, district.name


def test_an_absent_wijkagents_thursday_home_visit_passes_to_the_stand_in(session, app):
    """The demo's pairs share Thursday-morning home visits, so GALOP's absences show both
    outcomes: passed to the stand-in where they are free, cancelled otherwise."""
    zone = app.config["BLAUWLIJN"].zone
    seed_demo(session, now=NOW, zone=zone)
    wijkagent = session.scalars(select(Service).where(Service.code == "wijkagent")).one()
    district = district_for(session, Address("1547", "Plaats", "1"))
    thursday = NOW.astimezone(zone).date() + timedelta(days=2)  # 3 December 2026
    [first, *_] = find_slots(
        session,
        service=wijkagent,
        staff_ids=[district.officer_id],
        first_day=thursday,
        last_day=thursday,
        now=NOW,
        zone=zone,
        location=LocationKind.HOME,
    )
    booked = book(
        session,
        request=BookingRequest(
            service_code="wijkagent",
            start=first.start,
            staff_id=district.officer_id,
            location=LocationKind.HOME,
            citizen=Citizen("Jan Peeters", "+32470123456"),
            address=Address("1547", "Plaats", "1"),
        ),
        actor=Actor.citizen(Channel.WEB),
        now=NOW,
        zone=zone,
    ).booking
    absence = Absence(
        staff_id=district.officer_id,
        starts_at=first.start - timedelta(hours=1),
        ends_at=first.start + timedelta(hours=4),
        kind="sick",
        external_id="demo-test-1",
    )
    session.add(absence)
    session.flush()
    [outcome] = apply_absence(session, absence=absence, actor=GALOP, now=NOW, zone=zone)
    assert outcome.action == "reassigned"
    assert booked.staff_id == district.standin_id
    assert booked.status is BookingStatus.CONFIRMED
