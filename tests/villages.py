"""Villages and travel times for tests of rounds: a village, and the drive between two."""

from datetime import date, datetime, time
from itertools import count

from sqlalchemy.orm import Session

from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import Channel, LocationKind
from scheduling.models import Booking, Staff, Village, VillageTravel
from scheduling.trail import Actor
from tests.factories import (
    NOW,
    ZONE,
    make_district,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)

_seq = count(1)


def make_village(session: Session, name: str | None = None, **kw: object) -> Village:
    n = next(_seq)
    village = Village(
        **{"name": name or f"Dorp {n}", "postcode": "1547", "lat": 50.71, "lon": 3.93, **kw}
    )
    session.add(village)
    session.flush()
    return village


def drive(session: Session, a: Village, b: Village, minutes: int) -> None:
    """``minutes`` from a to b and back (from a village to itself: one row)."""
    for origin, destination in {(a.id, b.id), (b.id, a.id)}:
        session.merge(
            VillageTravel(from_village_id=origin, to_village_id=destination, minutes=minutes)
        )
    session.flush()


# Wednesday 2 December 2026: the day the rounds zone's officer has a visit booked (the
# tests freeze the Tuesday before, tests.factories.NOW).
VISIT_DAY = date(2026, 12, 2)


def visit(
    session: Session,
    officer: Staff,
    start: datetime,
    *,
    location: LocationKind = LocationKind.HOME,
    number: str = "1",
) -> Booking:
    """A visit the officer already has (booked through the engine, so it is placed in its
    village like any booking)."""
    request = BookingRequest(
        "wijkagent",
        start,
        officer.id,
        location,
        Citizen("Buur Peeters", "+32470111222"),
        address=Address("1547", "Plaats", number),
    )
    actor = Actor.citizen(Channel.WEB)
    now = datetime.fromisoformat(NOW)
    return book(session, request=request, actor=actor, now=now, zone=ZONE).booking


def rounds_zone(session: Session) -> Staff:
    """The booking tests' officer of Plaats, 1547 Bever, with travel times: villages Bever
    (1547, its office Wijkpost Bever) and Herne (1540), 5 minutes within Bever and 20
    between them; office hours Wednesday 9–12 at Wijkpost Bever, home visits Wednesday
    13–17 from it."""
    bever = make_village(session, "Bever", postcode="1547", lat=50.716, lon=3.933)
    herne = make_village(session, "Herne", postcode="1540", lat=50.724, lon=4.014)
    drive(session, bever, bever, 5)
    drive(session, herne, herne, 5)
    drive(session, bever, herne, 20)
    site = make_site(session, name="Wijkpost Bever", village_id=bever.id)
    officer = make_staff(session, name="Inspecteur Wouters", phone="+32470999999")
    make_district(session, officer, streets=(("1547", "Plaats"),))
    make_service(session, code="wijkagent")
    make_weekly(session, officer, weekday=2, starts=time(9), ends=time(12), site=site)
    make_weekly(
        session,
        officer,
        weekday=2,
        starts=time(13),
        ends=time(17),
        location=LocationKind.HOME,
        site=site,
    )
    return officer
