"""PostgreSQL itself refuses to commit a confirmed booking that holds no reservation.

The engine already writes a booking and its reservations all or nothing
(tests/scheduling/test_booking.py); this is the database's own guard for any other path
(migration 0010). It checks at COMMIT, so these tests commit for real on a fresh database.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db import make_engine
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book, cancel, reschedule
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.models import Booking, Reservation
from scheduling.trail import Actor
from tests.factories import make_district, make_service, make_staff, make_weekly

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)  # Tuesday
WEDNESDAY_10 = datetime(2026, 12, 2, 9, tzinfo=UTC)
CITIZEN = Actor.citizen(Channel.WEB)
BXL = ZoneInfo("Europe/Brussels")


@pytest.fixture
def committed(fresh_database) -> Iterator[tuple[Session, Booking]]:
    """A session on a fresh PostgreSQL database (commits are real) with one booking."""
    engine = make_engine(fresh_database("postgresql"))
    with Session(engine, expire_on_commit=False) as session:
        officer = make_staff(session)
        make_district(session, officer, streets=(("1547", "Plaats"),))
        make_service(session, code="wijkagent")
        make_weekly(session, officer, weekday=2, starts=time(9), ends=time(12))
        request = BookingRequest(
            service_code="wijkagent",
            start=WEDNESDAY_10,
            staff_id=officer.id,
            location=LocationKind.OFFICE,
            citizen=Citizen("Jan Peeters", "+32470123456"),
            address=Address("1547", "Plaats", "3"),
        )
        booking = book(session, request=request, actor=CITIZEN, now=NOW, zone=BXL).booking
        session.commit()
        yield session, booking
    engine.dispose()


def test_a_confirmed_booking_cannot_lose_its_reservation(committed):
    session, booking = committed
    session.execute(delete(Reservation).where(Reservation.booking_id == booking.id))
    with pytest.raises(DBAPIError, match="confirmed_booking_without_reservation"):
        session.commit()
    session.rollback()
    assert session.scalars(select(Reservation)).all()


def test_a_confirmed_booking_cannot_be_written_without_one(committed):
    session, booking = committed
    session.add(
        Booking(
            reference="100000009",
            token_hash="0" * 64,
            service_id=booking.service_id,
            staff_id=booking.staff_id,
            location=LocationKind.OFFICE,
            start_at=WEDNESDAY_10 + timedelta(hours=1),
            end_at=WEDNESDAY_10 + timedelta(hours=1, minutes=30),
            status=BookingStatus.CONFIRMED,
            citizen_name="Phantom",
            citizen_phone="+32470000000",
            channel=Channel.WEB,
            created_at=NOW,
            updated_at=NOW,
        )
    )
    with pytest.raises(DBAPIError, match="confirmed_booking_without_reservation"):
        session.commit()


def test_moves_and_cancellations_commit(committed):
    """The engine's own changes pass the check: a move clears and re-adds in between."""
    session, booking = committed
    reschedule(
        session,
        booking=booking,
        start=WEDNESDAY_10 + timedelta(minutes=30),
        actor=CITIZEN,
        now=NOW,
        zone=BXL,
    )
    session.commit()
    cancel(session, booking=booking, actor=CITIZEN, now=NOW)
    session.commit()
    assert booking.status is BookingStatus.CANCELLED
    assert session.scalars(select(Reservation)).all() == []
