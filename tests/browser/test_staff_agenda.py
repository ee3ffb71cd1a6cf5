"""A demo wijkagent in a real browser: opens the agenda (day, week, day sheet), opens an
appointment and cancels it, passing through the form's error. axe and a screenshot on every
page and state."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page
from sqlalchemy import select

from app.demo.seed import DEMO_PASSWORD
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.models import Booking, District, Service, Staff
from scheduling.slots import find_slots
from scheduling.trail import Actor
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

# Pieter Van Cutsem: no other browser test books with him, so his agenda is this test's.
OFFICER = "GALOP-1001"
DAYS_AHEAD = 7  # past the seed's first days, within the service's horizon


def _appointment(live_server: LiveServer, citizen: str) -> tuple[int, str]:
    """A home visit with the officer, booked through the engine; its id and local day."""
    now = datetime.now(UTC)
    zone = live_server.app.config["BLAUWLIJN"].zone
    with steps.db(live_server) as session, session.begin():
        officer = session.scalars(select(Staff).where(Staff.personnel_number == OFFICER)).one()
        district = session.scalars(
            select(District).where(District.officer_id == officer.id)
        ).first()
        assert district is not None
        street = district.streets[0]
        address = Address(street.postcode, street.street, str(street.number_from or 1))
        service = session.scalars(select(Service).where(Service.code == "wijkagent")).one()
        first = now.astimezone(zone).date() + timedelta(days=DAYS_AHEAD)
        slots = find_slots(
            session,
            service=service,
            staff_ids=[officer.id],
            first_day=first,
            last_day=first + timedelta(days=13),
            now=now,
            zone=zone,
            location=LocationKind.HOME,
        )
        assert slots, "no free home visit with the demo officer"
        booking = book(
            session,
            request=BookingRequest(
                "wijkagent",
                slots[0].start,
                officer.id,
                LocationKind.HOME,
                Citizen(citizen, "+32470999777"),
                address=address,
                topic="Parkeerproblemen in de straat",
            ),
            actor=Actor.citizen(Channel.WEB),
            now=now,
            zone=zone,
        ).booking
        return booking.id, booking.start_at.astimezone(zone).date().isoformat()


def _status(live_server: LiveServer, booking_id: int) -> tuple[BookingStatus, str | None]:
    with steps.db(live_server) as session:
        booking = session.get_one(Booking, booking_id)
        return booking.status, booking.cancel_reason


def test_an_officer_opens_the_agenda_and_cancels_an_appointment(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    def look(name: str) -> None:
        assert steps.html_lang(page) == "nl", f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    citizen = f"Agenda Tester {page.viewport_size['width'] if page.viewport_size else 0}"
    booking_id, day = _appointment(live_server, citizen)
    detail = f"/staff/appointments/{booking_id}"

    page.goto(f"{live_server.url}/staff/agenda?day={day}")
    assert_on(page, "/staff/login")
    page.fill("#personnel_number", OFFICER)
    page.fill("#password", DEMO_PASSWORD)
    steps.submit(page)
    assert_on(page, "/staff/agenda")
    assert citizen in page.locator("main").inner_text()
    look("agenda-day")

    page.locator("nav.agenda-nav a[href*='view=week']").click()
    page.wait_for_url("**view=week**")
    assert citizen in page.locator("main").inner_text()
    look("agenda-week")

    page.goto(f"{live_server.url}/staff/agenda?day={day}")
    page.locator("main a[href*='/staff/agenda/day-sheet']").first.click()
    assert_on(page, "/staff/agenda/day-sheet")
    assert citizen in page.locator("main").inner_text()
    look("day-sheet")
    page.emulate_media(media="print")  # on paper: the sheet alone
    for chrome in (".site-header", ".site-footer", ".staff-bar", ".no-print"):
        assert page.locator(chrome).is_hidden(), chrome
    assert page.locator("table.day-sheet").is_visible()
    shoot(page, "day-sheet-printed")
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/staff/agenda?day={day}")
    page.locator(f"main a[href$='{detail}']").click()
    assert_on(page, detail)
    assert "Parkeerproblemen in de straat" in page.locator("main").inner_text()
    look("appointment")

    cancel = page.locator("main form[action$='/cancel'] button[type=submit]")
    with page.expect_navigation():  # the answer comes back to the same address
        cancel.click()  # no reason given
    steps.assert_error_next_to(page, "cancel_reason")
    assert _status(live_server, booking_id) == (BookingStatus.CONFIRMED, None)
    look("appointment-no-reason")

    page.fill("#cancel_reason", "De wijkagent is die dag opgeroepen voor een inzet.")
    with page.expect_navigation():
        cancel.click()
    assert_on(page, detail)
    assert page.locator(".notice-success").count() == 1
    assert page.locator("main .state-cancelled").count() >= 1
    assert page.locator("main form[action$='/cancel']").count() == 0
    assert _status(live_server, booking_id) == (
        BookingStatus.CANCELLED,
        "De wijkagent is die dag opgeroepen voor een inzet.",
    )
    look("appointment-cancelled")
