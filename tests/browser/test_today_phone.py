"""``/staff/today`` on a phone in a real browser: the round reads, axe finds nothing; offline
(Playwright's ``set_offline``) a reload still shows the round from the service worker's
copy and a note made then waits on the phone; back online it reaches the server exactly
once; signing out leaves no copy and no queued mark behind (Clear-Site-Data)."""

import hashlib
import secrets
import string
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page
from sqlalchemy import func, select

from app.staff.models import VisitMark
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.models import Booking, Reservation, Service, Site
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at
from tests.factories import TEST_PASSWORD, make_credential, make_district, make_staff

BXL = ZoneInfo("Europe/Brussels")
CITIZEN = "Marie Claes"
NOTE = "Hond aan de ketting, bel aan de achterdeur"


def _officer_with_a_round(live_server: LiveServer) -> tuple[str, int]:
    """A new wijkagent with two appointments today, from local midnight (so both have begun
    whatever the hour, and the day is today wherever the test runs): (number, booking id)."""
    suffix = "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))
    now = datetime.now(UTC)
    midnight = datetime.combine(now.astimezone(BXL).date(), time(0), tzinfo=BXL).astimezone(UTC)
    with steps.db(live_server) as session, session.begin():
        site = session.scalars(select(Site).where(Site.code == "wp-bever")).one()
        service = session.scalars(select(Service).where(Service.code == "wijkagent")).one()
        officer = make_staff(
            session, name=f"Agent {suffix}", personnel_number=f"TOD-{suffix}", home_site_id=site.id
        )
        make_credential(session, officer)
        street = f"Rondestraat {suffix}"
        make_district(session, officer, streets=(("1547", street),), name=street, site_id=site.id)
        ids = []
        for n, location in enumerate((LocationKind.OFFICE, LocationKind.HOME)):
            start = midnight + timedelta(minutes=45 * n)
            booking = Booking(
                reference=f"{secrets.randbelow(10**9):09d}",
                token_hash=hashlib.sha256(secrets.token_bytes(16)).hexdigest(),
                service_id=service.id,
                staff_id=officer.id,
                location=location,
                site_id=site.id if location is LocationKind.OFFICE else None,
                start_at=start,
                end_at=start + timedelta(minutes=30),
                status=BookingStatus.CONFIRMED,
                citizen_name=CITIZEN,
                citizen_phone="+32470111222",
                address_postcode="1547",
                address_street=street,
                address_number="7",
                channel=Channel.WEB,
                created_at=now - timedelta(days=2),
                updated_at=now - timedelta(days=2),
                topic="Buurtruzie",
            )
            booking.reservations = [
                Reservation(
                    staff_id=officer.id,
                    blocked_from=start,
                    blocked_until=start + timedelta(minutes=30),
                )
            ]
            session.add(booking)
            session.flush()
            ids.append(booking.id)
        return officer.personnel_number, ids[1]


def _marks(live_server: LiveServer, booking_id: int) -> int:
    with steps.db(live_server) as session:
        return session.scalar(
            select(func.count()).select_from(VisitMark).where(VisitMark.booking_id == booking_id)
        )


def test_the_day_reads_offline_and_a_mark_made_there_arrives_once(
    phone_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = phone_page
    number, visit_id = _officer_with_a_round(live_server)
    page.goto(f"{live_server.url}/staff/?lang=en")
    page.fill("#personnel_number", number)
    page.fill("#password", TEST_PASSWORD)
    steps.submit(page)
    assert_on(page, "/staff/")
    page.locator("nav.staff-menu a", has_text="Today").click()
    assert_on(page, "/staff/today")
    page.wait_for_selector("#today[data-offline=ready]")  # the service worker kept it
    assert page.locator(".today-visit").count() == 2
    assert page.get_by_text(CITIZEN).first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "window.innerWidth"
    )
    looked_at(page, check_axe, shoot, "today-online")

    answered: list[int] = []  # the marks the server answered, as the phone saw them
    page.on(
        "response",
        lambda r: answered.append(r.status) if r.url.endswith("/staff/today/marks") else None,
    )
    page.context.set_offline(True)
    tomorrow = (datetime.now(BXL).date() + timedelta(days=1)).isoformat()
    other = page.context.new_page()
    with pytest.raises(PlaywrightError):  # truly offline: another day was never kept
        other.goto(f"{live_server.url}/staff/today?day={tomorrow}")
    other.close()
    page.reload()
    assert page.locator(".today-visit").count() == 2  # read from the phone's copy
    visit = page.locator(f"#visit-{visit_id}")
    visit.locator("textarea").fill(NOTE)
    visit.get_by_role("button", name="Save note").click()
    status = visit.locator(".today-mark-status")
    assert "sent as soon as there is a connection" in status.inner_text()
    assert _marks(live_server, visit_id) == 0
    shoot(page, "today-offline-mark")

    page.context.set_offline(False)  # the page hears "online" and sends what waits
    status.get_by_text("Sent.").wait_for()
    assert _marks(live_server, visit_id) == 1
    page.reload()  # the next load sends nothing again
    page.wait_for_selector("#today[data-offline=ready]")
    assert page.evaluate("localStorage.getItem('blauwlijn-today-marks')") is None
    assert page.get_by_text(NOTE).is_visible()
    assert _marks(live_server, visit_id) == 1
    assert answered == [201]  # sent once, not again on the next load
    looked_at(page, check_axe, shoot, "today-after-mark")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert_on(page, "/staff/login")
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then(r => r.length)") == 0


def test_the_80mm_sheet_prints_one_narrow_column(
    desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = desktop_page
    number, _ = _officer_with_a_round(live_server)
    page.goto(f"{live_server.url}/staff/?lang=en")
    page.fill("#personnel_number", number)
    page.fill("#password", TEST_PASSWORD)
    steps.submit(page)
    page.goto(f"{live_server.url}/staff/today")
    page.get_by_role("link", name="80 mm sheet").click()
    assert_on(page, "/staff/today/sheet")
    looked_at(page, check_axe, shoot, "sheet-80mm")
    page.emulate_media(media="print")
    assert page.locator(".staff-menu").is_hidden()  # only the sheet on paper
    box = page.locator(".sheet-80").bounding_box()
    assert box is not None
    assert box["width"] <= 72 / 25.4 * 96 + 1  # 72 mm printable on 80 mm paper, CSS px
    assert page.locator(".sheet-80-visit").count() == 2
    shoot(page, "sheet-80mm-print")
