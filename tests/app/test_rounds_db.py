"""Rounds on a real database: the village of an address in the demo register, and an
officer's day as a round (each booking once, a team's too; a move that changes the village;
the long day at the end of October)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from app.demo.seed import seed_demo
from scheduling import rounds
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import Channel, LocationKind, ServedBy
from scheduling.models import Booking, Service, Site, Staff, Village, VillageTravel
from scheduling.trail import Actor
from tests.factories import (
    make_district,
    make_one_off,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)

BXL = ZoneInfo("Europe/Brussels")
NOW = datetime(2027, 6, 1, 8, tzinfo=UTC)
DAY = date(2027, 6, 15)  # a Tuesday in summer time (UTC+2)
AUTUMN = date(2027, 10, 31)  # 03:00 CEST → 02:00 CET: a 25-hour day
WEB = Actor.citizen(Channel.WEB)
BEVER_ADDRESS, GALMAARDEN_ADDRESS = (
    Address("1547", "Plaats", "1"),
    Address("1570", "Marktplein", "2"),
)
DRIVE = 12  # Bever ↔ Galmaarden, in this test's zone


def _village(session: Session, name: str) -> int:
    return session.scalars(select(Village.id).where(Village.name == name)).one()


# --- village_of on the demo register --------------------------------------------------------


@pytest.fixture
def demo(session, app):
    return seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)


@pytest.mark.parametrize(
    ("address", "village"),
    [
        (Address("1547", "Plaats", "1"), "Bever"),  # the postcode's only village
        (Address("1547", "Place", "1"), "Bever"),  # its French name
        (Address("1755", "Koekoekstraat", "3"), "Gooik"),  # a district street of Gooik
        (Address("1755", "Bruneaustraat", "3"), "Kester"),
        (Address("1755", "Dorpsstraat", "5"), "Leerbeek"),  # common streets, dealt to sections
        (Address("1755", "Molenstraat", "5"), "Oetingen"),
        (Address("1755", "molenstraat", "5"), "Oetingen"),  # as a citizen types it
        (Address("1750", "Kasteelstraat", "2"), "Gaasbeek"),
        (Address("1570", "Statiestraat", "2"), "Tollembeek"),
        (Address("1755", "Dorpsstraat", "9999"), "Leerbeek"),  # past the last number: the street
    ],
)
def test_village_of_an_address_in_the_demo_register(session, demo, address, village):
    assert rounds.village_of(session, address) == _village(session, village)


def test_the_nearest_centre_decides_not_the_section_the_register_names(session, demo):
    """Kapelstraat (1755) is a street of Leerbeek in the demo register, but its houses lie
    nearer Kester's centre: rounds plan by where the house is."""
    assert rounds.village_of(session, Address("1755", "Kapelstraat", "1")) == _village(
        session, "Kester"
    )


def test_no_village_for_an_unknown_street_or_a_postcode_outside_the_zone(session, demo):
    assert rounds.village_of(session, Address("1755", "Nergensstraat", "1")) is None
    assert rounds.village_of(session, Address("9000", "Veldstraat", "1")) is None


def test_the_demo_sites_stand_in_their_villages(session, demo):
    sites = rounds.site_villages(session)
    wp_bever = session.scalars(select(Site.id).where(Site.code == "wp-bever")).one()
    assert sites[wp_bever] == _village(session, "Bever")
    travel = rounds.travel_table(session)
    assert travel is not None
    bever, galmaarden = _village(session, "Bever"), _village(session, "Galmaarden")
    assert travel.between(bever, bever) == timedelta(minutes=4)
    assert travel.between(bever, galmaarden) == travel.between(galmaarden, bever)


# --- day_round ------------------------------------------------------------------------------


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


class Zone:
    """Two villages 12 minutes apart, a wijkpost in Bever, its wijkagent (home visits
    09:00-13:00 on DAY and 01:00-05:00 on AUTUMN, office hours 14:00-17:00 on DAY's weekday),
    a colleague, and a service for the two of them at once at the wijkpost."""

    def __init__(self, session: Session) -> None:
        bever = Village(name="Bever", postcode="1547", lat=50.717, lon=3.945)
        galmaarden = Village(name="Galmaarden", postcode="1570", lat=50.744, lon=3.967)
        session.add_all([bever, galmaarden])
        session.flush()
        session.add_all(
            VillageTravel(from_village_id=a.id, to_village_id=b.id, minutes=m)
            for a, b, m in (
                (bever, bever, 4),
                (galmaarden, galmaarden, 4),
                (bever, galmaarden, DRIVE),
                (galmaarden, bever, DRIVE),
            )
        )
        self.bever, self.galmaarden = bever.id, galmaarden.id
        self.site = make_site(session, village_id=bever.id)
        self.officer = make_staff(session, home_site_id=self.site.id)
        self.colleague = make_staff(session)
        make_district(session, self.officer, streets=(("1547", "Plaats"), ("1570", "Marktplein")))
        self.service = make_service(session, code="wijkagent", horizon_days=200)
        self.team = make_service(
            session,
            code="samen",
            served_by=ServedBy.TEAM,
            team=(self.officer, self.colleague),
            locations=["office"],
            staff_required=2,
            horizon_days=200,
        )
        for day, starts, ends in ((DAY, time(9), time(13)), (AUTUMN, time(1), time(5))):
            make_one_off(
                session, self.officer, on=day, starts=starts, ends=ends, location=LocationKind.HOME
            )
        for person in (self.officer, self.colleague):
            make_weekly(
                session,
                person,
                weekday=DAY.weekday(),
                starts=time(14),
                ends=time(17),
                site=self.site,
            )


def _book(
    session: Session,
    service: Service,
    staff: Staff,
    start: datetime,
    location: LocationKind,
    address: Address | None = None,
) -> Booking:
    request = BookingRequest(
        service_code=service.code,
        start=start,
        staff_id=staff.id,
        location=location,
        citizen=Citizen("Burger", "+32470000001"),
        address=address,
    )
    return book(session, request=request, actor=WEB, now=NOW, zone=BXL).booking


@pytest.fixture
def zone(session, app):
    assert app.config["BLAUWLIJN"].zone == BXL
    return Zone(session)


def test_a_day_is_a_round_from_the_wijkpost_and_back(session, zone):
    galmaarden = _book(
        session, zone.service, zone.officer, _utc(DAY, 7), LocationKind.HOME, GALMAARDEN_ADDRESS
    )
    bever = _book(
        session, zone.service, zone.officer, _utc(DAY, 8), LocationKind.HOME, BEVER_ADDRESS
    )
    assert (galmaarden.village_id, bever.village_id) == (zone.galmaarden, zone.bever)
    round_ = rounds.day_round(session, staff_id=zone.officer.id, day=DAY, zone=BXL)
    assert [s.booking for s in round_.stops] == [galmaarden, bever]
    assert [s.village for s in round_.stops] == ["Galmaarden", "Bever"]
    assert [s.travel for s in round_.stops] == [timedelta(minutes=DRIVE)] * 2
    assert round_.back == timedelta(minutes=4)  # in Bever, back to Bever's wijkpost
    assert round_.travel == timedelta(minutes=2 * DRIVE + 4)
    assert (
        rounds.day_round(
            session, staff_id=zone.officer.id, day=DAY + timedelta(days=1), zone=BXL
        ).stops
        == ()
    )


def test_a_team_booking_is_in_each_members_round_once(session, zone):
    led = _book(session, zone.team, zone.officer, _utc(DAY, 12), LocationKind.OFFICE)
    joined = _book(session, zone.team, zone.colleague, _utc(DAY, 13), LocationKind.OFFICE)
    assert led.staff_id == zone.officer.id
    assert joined.staff_id == zone.colleague.id
    mine = rounds.day_round(session, staff_id=zone.officer.id, day=DAY, zone=BXL)
    assert [s.booking for s in mine.stops] == [led, joined]  # their own and the one they join
    assert [s.village for s in mine.stops] == ["Bever", "Bever"]
    theirs = rounds.day_round(session, staff_id=zone.colleague.id, day=DAY, zone=BXL)
    assert [s.booking for s in theirs.stops] == [led, joined]
    # The colleague has no wijkpost: the drive out and back is not known, not invented.
    assert theirs.stops[0].travel == timedelta(0)
    assert theirs.back == timedelta(0)


def test_a_move_to_the_wijkpost_changes_the_village_and_the_round(session, zone, app):
    visit = _book(
        session, zone.service, zone.officer, _utc(DAY, 7), LocationKind.HOME, GALMAARDEN_ADDRESS
    )
    before = rounds.day_round(session, staff_id=zone.officer.id, day=DAY, zone=BXL)
    assert before.travel == timedelta(minutes=2 * DRIVE)
    commands.move(
        session,
        visit,
        start=_utc(DAY, 12),
        actor=Actor.staff(zone.officer.id),
        now=NOW,
        config=app.config["BLAUWLIJN"],
        location=LocationKind.OFFICE,
    )
    assert visit.village_id == zone.bever
    after = rounds.day_round(session, staff_id=zone.officer.id, day=DAY, zone=BXL)
    assert [s.village for s in after.stops] == ["Bever"]
    assert after.travel == timedelta(minutes=4 + 4)
    commands.move(
        session,
        visit,
        start=_utc(DAY, 9),
        actor=Actor.staff(zone.officer.id),
        now=NOW,
        config=app.config["BLAUWLIJN"],
        location=LocationKind.HOME,
    )
    assert visit.village_id == zone.galmaarden  # back home to the citizen's village


def test_the_long_autumn_day_holds_visits_on_both_sides_of_the_change(session, zone):
    """02:00 CEST (00:00 UTC) in Galmaarden, then 02:30 CET (01:30 UTC) in Bever: the clock
    reads later but not by much; the round has both, in real order, with the drive between."""
    first = _book(
        session, zone.service, zone.officer, _utc(AUTUMN, 0), LocationKind.HOME, GALMAARDEN_ADDRESS
    )
    second = _book(
        session, zone.service, zone.officer, _utc(AUTUMN, 1, 30), LocationKind.HOME, BEVER_ADDRESS
    )
    assert first.start_at.astimezone(BXL).strftime("%H:%M%z") == "02:00+0200"
    assert second.start_at.astimezone(BXL).strftime("%H:%M%z") == "02:30+0100"
    round_ = rounds.day_round(session, staff_id=zone.officer.id, day=AUTUMN, zone=BXL)
    assert [s.booking for s in round_.stops] == [first, second]
    assert round_.travel == timedelta(minutes=DRIVE + DRIVE + 4)
