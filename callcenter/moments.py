"""Free moments a call-taker can offer a caller: to move an appointment (same service, same
officer, same kind of place) or to book one with the wijkagent of the caller's address."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from scheduling.addresses import Address
from scheduling.eligibility import Who, eligible_staff, service_by_code
from scheduling.enums import LocationKind
from scheduling.models import Booking
from scheduling.slots import Slot, find_slots

OFFERED = 6
SEARCH_DAYS = 31


def moments_to_move(
    session: Session, booking: Booking, *, now: datetime, zone: ZoneInfo
) -> list[Slot]:
    today = now.astimezone(zone).date()
    slots = find_slots(
        session,
        service=booking.service,
        staff_ids=[booking.staff_id],
        first_day=today,
        last_day=today + timedelta(days=SEARCH_DAYS),
        now=now,
        zone=zone,
        location=booking.location,
    )
    return [s for s in slots if s.start != booking.start_at][:OFFERED]


def moments_to_book(
    session: Session, service_code: str, address: Address, *, now: datetime, zone: ZoneInfo
) -> list[Slot]:
    """The next free office moments of the service for that address (its wijkagent, or
    their stand-in); raises the engine's SchedulingError for an address outside the zone."""
    service = service_by_code(session, service_code)
    staffing = eligible_staff(session, service, Who(address=address), now)
    today = now.astimezone(zone).date()
    return find_slots(
        session,
        service=service,
        staff_ids=staffing,
        covers=staffing.covers,
        first_day=today,
        last_day=today + timedelta(days=SEARCH_DAYS),
        now=now,
        zone=zone,
        location=LocationKind.OFFICE,
    )[:OFFERED]
