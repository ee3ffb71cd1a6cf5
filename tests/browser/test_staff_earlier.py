"""``/staff/earlier`` in a real browser, on a phone and a desktop: a demo wijkagent sees the
citizen who waits and the moment offered to them; axe finds nothing, the tables fit."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page
from sqlalchemy import select

from app.demo.seed import DEMO_PASSWORD
from app.earlier.models import EarlierOffer, EarlierWish, OfferStatus, WishStatus
from scheduling.enums import BookingStatus, Channel, LocationKind, Role
from scheduling.models import Booking
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at


def _a_waiting_citizen(live_server: LiveServer) -> tuple[str, str]:
    """A demo wijkagent's coming appointment with a wish and an open offer: (personnel
    number, booking code)."""
    now = datetime.now(UTC)
    with steps.db(live_server) as session, session.begin():
        booking = next(
            b
            for b in session.scalars(
                select(Booking)
                .where(
                    Booking.status == BookingStatus.CONFIRMED,
                    Booking.start_at > now + timedelta(days=3),
                )
                .order_by(Booking.start_at)
            )
            if b.staff.role_set == frozenset({Role.DISTRICT_OFFICER})
            and session.scalar(select(EarlierWish).where(EarlierWish.booking_id == b.id)) is None
        )
        wish = EarlierWish(
            booking=booking,
            asked_at=now,
            channel=Channel.WEB,
            location=None,
            status=WishStatus.WAITING,
        )
        session.add(wish)
        session.add(
            EarlierOffer(
                wish=wish,
                staff_id=booking.staff_id,
                start_at=booking.start_at - timedelta(days=1, minutes=7),
                location=LocationKind.OFFICE,
                site_id=booking.site_id,
                offered_at=now,
                expires_at=now + timedelta(minutes=30),
                status=OfferStatus.OPEN,
            )
        )
        return booking.staff.personnel_number, booking.reference


def test_the_officer_sees_who_waits_and_what_was_offered(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    number, reference = _a_waiting_citizen(live_server)
    page.goto(f"{live_server.url}/staff/?lang=en")
    page.fill("#personnel_number", number)
    page.fill("#password", DEMO_PASSWORD)
    steps.submit(page)
    assert_on(page, "/staff/")
    page.locator("nav.staff-menu a", has_text="Earlier moments").click()
    assert_on(page, "/staff/earlier")
    main = page.locator("main")
    assert main.get_by_text(reference).count() == 2  # who waits, and the offer made
    assert main.get_by_text("waiting for an answer").is_visible()
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    looked_at(page, check_axe, shoot, "staff-earlier")
