"""The moment picker in a real browser, on a phone and a desktop: with a home visit already
booked at Plaats 1, Bever, a neighbour's home-visit search lists the moments around it first,
"Je wijkagent is die … in Bever"; one of them is chosen. axe on the page.

The visit booked here is cancelled at the end (the demo data is shared by every test)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book, cancel
from scheduling.eligibility import Who, eligible_staff
from scheduling.enums import Channel, LocationKind
from scheduling.models import Booking, Service
from scheduling.slots import find_slots
from scheduling.trail import Actor
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

# Home visits are on Tuesday and Friday; week 1 is the home-visit flow's (steps.py): this
# test's visits lie three weeks ahead, where no other test books one.
WEEK_ROUND = 3
WEB = Actor.citizen(Channel.WEB)


@pytest.fixture
def visit(live_server: LiveServer) -> Iterator[int]:
    """A home visit at Plaats 1, Bever, the first of week WEEK_ROUND; its week offset."""
    now = datetime.now(UTC)
    zone = live_server.app.config["BLAUWLIJN"].zone
    today = now.astimezone(zone).date()
    address = Address(steps.POSTCODE, steps.STREET, steps.NUMBER)
    with steps.db(live_server) as session, session.begin():
        service = session.scalars(select(Service).where(Service.code == "wijkagent")).one()
        staffing = eligible_staff(session, service, Who(address=address), now)
        first = today + timedelta(weeks=WEEK_ROUND)
        slot = find_slots(
            session,
            service=service,
            staff_ids=staffing,
            covers=staffing.covers,
            place=staffing.place,
            first_day=first,
            last_day=first + timedelta(days=6),
            now=now,
            zone=zone,
            location=LocationKind.HOME,
        )[2]  # not the window's first: there are moments before and after it
        booked = book(
            session,
            request=BookingRequest(
                "wijkagent",
                slot.start,
                slot.staff_ids[0],
                LocationKind.HOME,
                Citizen("Buur Tester", "+32470999777"),
                address=address,
            ),
            actor=WEB,
            now=now,
            zone=zone,
        )
        booking_id = booked.booking.id
        week = (slot.start.astimezone(zone).date() - today).days // 7
    yield week
    with steps.db(live_server) as session, session.begin():
        cancel(
            session,
            booking=session.get_one(Booking, booking_id),
            actor=WEB,
            now=datetime.now(UTC),
            reason="Test",
        )


def test_moments_on_the_round_come_first_and_say_where_the_wijkagent_is(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot, visit: int
) -> None:
    steps.forget_rate_limits(live_server)
    page.goto(f"{live_server.url}/book?lang=nl")
    steps.choose_service(page, "wijkagent")
    steps.enter_address(page, number="3")
    steps.choose_location(page, "home")
    steps.go_to_week(page, visit)
    assert steps.week_offset(page) == visit
    listed = page.locator("section.on-round")
    assert listed.is_visible()
    marks = listed.locator(".round-mark").all_inner_texts()
    assert marks
    assert all(m.startswith("Je wijkagent is die ") and m.endswith(" in Bever") for m in marks)
    # The list stands above the week.
    assert listed.bounding_box()["y"] < page.locator("#week-title").bounding_box()["y"]  # type: ignore[index]
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    looked_at(page, check_axe, shoot, "picker-on-round")
    chosen = listed.locator("button.round-slot").first.get_attribute("value")
    with page.expect_navigation(wait_until="load"):
        listed.locator("button.round-slot").first.click()
    assert_on(page, "/book/details")
    assert chosen
