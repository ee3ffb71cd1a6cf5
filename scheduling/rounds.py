"""Rounds of home visits: where an appointment is (a village, deelgemeente), how long an
officer drives between villages, and an officer's day as a round.

When the zone keeps travel times (``village_travel``), a home visit reserves its own time
only and the slot finder offers a moment only when the officer can get there from the
visit before and on to the one after (``scheduling.slots``); without them, or for an
address in no known village, a visit reserves the service's fixed travel before and after,
as it always did. Pure lookups here: they read, never write.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from math import cos, radians
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduling.addresses import Address, house_number, street_key
from scheduling.enums import BookingStatus, LocationKind
from scheduling.models import (
    Booking,
    DistrictStreet,
    RegisterAddress,
    Reservation,
    Site,
    Staff,
    Street,
    Village,
    VillageTravel,
)
from scheduling.zone_time import local_day_bounds

# A moment this close to a visit the officer already has in the same village is "on the
# round" (listed first, and marked, wherever moments are offered).
ADJACENT = timedelta(minutes=30)
# Home-visit moments start on this grid when travel is known, so a visit can follow the
# previous one as soon as the drive allows (not a whole fixed buffer later).
ROUND_STEP = timedelta(minutes=15)
# What a round keeps to itself: the visits that still happen or happened.
ON_ROUND = (BookingStatus.CONFIRMED, BookingStatus.DONE, BookingStatus.NO_SHOW)


@dataclass(frozen=True)
class Travel:
    """Driving minutes between villages; a pair the zone did not list takes the longest
    listed drive (never an optimistic guess)."""

    minutes: Mapping[tuple[int, int], int]

    @cached_property
    def longest(self) -> timedelta:
        return timedelta(minutes=max(self.minutes.values(), default=0))

    def between(self, origin: int | None, destination: int | None) -> timedelta:
        """The drive from one place to another; nothing when either is unknown (a reservation
        without a village already holds its travel)."""
        if origin is None or destination is None:
            return timedelta(0)
        known = self.minutes.get((origin, destination))
        return self.longest if known is None else timedelta(minutes=known)


def travel_table(session: Session) -> Travel | None:
    """The zone's travel times, or None when it keeps none (fixed travel, as before)."""
    rows = session.execute(
        select(VillageTravel.from_village_id, VillageTravel.to_village_id, VillageTravel.minutes)
    ).tuples()
    minutes = {(a, b): m for a, b, m in rows}
    return Travel(minutes) if minutes else None


def site_villages(session: Session) -> dict[int, int]:
    """Site id → its village, for the sites that have one."""
    rows = session.execute(select(Site.id, Site.village_id)).tuples()
    return {site: village for site, village in rows if village is not None}


_V = TypeVar("_V", bound=Village)


def nearest(villages: Sequence[_V], lat: float, lon: float) -> _V:
    """The village whose centre is nearest (an equirectangular distance: a zone is small)."""
    scale = cos(radians(lat))
    return min(villages, key=lambda v: (v.lat - lat) ** 2 + ((v.lon - lon) * scale) ** 2)


def village_of(session: Session, address: Address) -> int | None:
    """The village an address lies in: the only one of its postcode, else the one whose
    centre is nearest to where the register puts the house (or its street); None when the
    zone lists no village for the postcode or the register does not know the street."""
    villages = list(session.scalars(select(Village).where(Village.postcode == address.postcode)))
    if len(villages) <= 1:
        return villages[0].id if villages else None
    key = street_key(address.street)
    spot = session.execute(
        select(RegisterAddress.lat, RegisterAddress.lon)
        .join(Street, RegisterAddress.street_id == Street.id)
        .join(DistrictStreet, DistrictStreet.street_id == Street.id, isouter=True)
        .where(
            RegisterAddress.postcode == address.postcode,
            (Street.key_nl == key)
            | (Street.key_fr == key)
            | (Street.key_de == key)
            | (DistrictStreet.street_key == key),
        )
        # This house if the register has it, else the street's nearest number.
        .order_by(func.abs(func.coalesce(RegisterAddress.number, 0) - house_number(address.number)))
        .limit(1)
    ).first()
    if spot is None:
        return None
    return nearest(villages, spot.lat, spot.lon).id


@dataclass(frozen=True)
class Stop:
    """One appointment of a round, with the drive to it from the stop before (or from the
    officer's office for the first); nothing when a place is unknown."""

    booking: Booking
    village: str | None
    travel: timedelta


@dataclass(frozen=True)
class Round:
    stops: tuple[Stop, ...]
    back: timedelta  # from the last stop back to the office

    @property
    def travel(self) -> timedelta:
        return sum((s.travel for s in self.stops), self.back)


def day_round(session: Session, *, staff_id: int, day: date, zone: ZoneInfo) -> Round:
    """The officer's appointments of a local day in order, as a round from and back to their
    home site, with the drive before each (from the zone's travel times)."""
    start, end = local_day_bounds(day, zone)
    bookings = list(
        session.scalars(
            select(Booking)
            .where(
                # Their own appointments and those they join (a team's): each booking once.
                (Booking.staff_id == staff_id)
                | Booking.id.in_(
                    select(Reservation.booking_id).where(Reservation.staff_id == staff_id)
                ),
                Booking.start_at >= start,
                Booking.start_at < end,
                Booking.status.in_(ON_ROUND),
            )
            .order_by(Booking.start_at)
        )
    )
    travel = travel_table(session) or Travel({})
    names = dict(session.execute(select(Village.id, Village.name)).tuples().all())
    sites = site_villages(session)
    staff = session.get_one(Staff, staff_id)
    office = sites.get(staff.home_site_id) if staff.home_site_id is not None else None
    here, stops = office, []
    for booking in bookings:
        place = place_of(booking, sites)
        stops.append(
            Stop(booking, names.get(place) if place else None, travel.between(here, place))
        )
        here = place
    return Round(tuple(stops), travel.between(here, office) if stops else timedelta(0))


def place_of(booking: Booking, sites: Mapping[int, int]) -> int | None:
    """Where a booking is: its own village, else its site's."""
    if booking.village_id is not None:
        return booking.village_id
    if booking.location is LocationKind.OFFICE and booking.site_id is not None:
        return sites.get(booking.site_id)
    return None
