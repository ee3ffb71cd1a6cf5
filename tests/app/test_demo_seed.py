"""`flask --app app seed-demo` loads a zone every screen can use, once."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.demo.seed import seed_demo
from scheduling.addresses import Address, district_for
from scheduling.enums import BookingStatus, ServedBy
from scheduling.models import Booking, District, DistrictStreet, Reservation, Service, Staff
from scheduling.slots import find_slots

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
