"""The zone's side of bailiff assistance in a real browser: the supervisor goes through the
bailiff offices, the kinds of execution, the capacity rule (a wrong time refused next to its
field, then the rule saved as it was) and the figures; an officer reads an assistance
booking with its risk answers in the agenda and on its page. axe and a screenshot on every
page and state, in Dutch.

The live server's demo data is shared by every browser test: the office and the rule are
saved unchanged, and the assistance booked here, far ahead, is cancelled at the end."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from app import commands
from app.assistance import commands as assistance
from app.demo.seed import DEMO_PASSWORD
from app.demo.zone import BAILIFF_ENTERPRISE_NUMBER as DEMO_ENTERPRISE_NUMBER
from scheduling.addresses import Address
from scheduling.enums import BookingStatus, Channel
from scheduling.models import BailiffAccount, Booking, Staff
from scheduling.trail import Actor
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

SUPERVISOR = "GALOP-5001"
OFFICE = "Gerechtsdeurwaarders Van Damme & De Smet"
DAYS_AHEAD = 42  # far from the weeks the portal's own tests book in, within the horizon


@pytest.fixture
def assisted(live_server: LiveServer) -> Iterator[tuple[int, str, str]]:
    """Assistance for the demo office with two officers, dogs and an interpreter; the
    booking's id, its local day and the personnel number of the second officer going."""
    now = datetime.now(UTC)
    config = live_server.app.config["BLAUWLIJN"]
    with steps.db(live_server) as session, session.begin():
        office = session.scalars(select(BailiffAccount).where(BailiffAccount.name == OFFICE)).one()
        request = assistance.AssistanceRequest(
            address=Address("1547", "Plaats", "1"),
            file_reference="VDDS/BROWSER/1",
            execution_kind="eviction",
            officers=2,
            duration_minutes=120,
            risks=assistance.Risks(dogs=True, interpreter_needed=True),
            notes="Twee honden; de bewoner spreekt Roemeens.",
        )
        first = now.astimezone(config.zone).date() + timedelta(days=DAYS_AHEAD)
        moments = assistance.first_moments(
            session,
            request,
            first_day=first,
            last_day=first + timedelta(days=13),
            now=now,
            config=config,
        )
        assert moments, "no free assistance in the demo zone"
        who = assistance.OfficeActor(office, Channel.API, token_id=None)
        booking = assistance.book(
            session, request, start=moments[0].start, who=who, now=now, config=config
        ).booking
        second = next(i for i in moments[0].staff_ids if i != booking.staff_id)
        number = session.get_one(Staff, second).personnel_number
        day = booking.start_at.astimezone(config.zone).date().isoformat()
        booking_id = booking.id
    yield booking_id, day, number
    with steps.db(live_server) as session, session.begin():
        left = session.get_one(Booking, booking_id)
        if left.status is BookingStatus.CONFIRMED:
            commands.cancel(session, left, actor=Actor.system(), now=datetime.now(UTC))


def test_an_officer_reads_the_risks_of_an_assistance(
    page: Page,
    live_server: LiveServer,
    check_axe: CheckAxe,
    shoot: Shoot,
    assisted: tuple[int, str, str],
) -> None:
    booking_id, day, colleague = assisted

    def look(name: str) -> None:
        assert steps.html_lang(page) == "nl", f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    page.goto(f"{live_server.url}/staff/agenda?day={day}")
    assert_on(page, "/staff/login")
    page.fill("#personnel_number", colleague)  # the colleague going along, not the lead
    page.fill("#password", DEMO_PASSWORD)
    steps.submit(page)
    assert_on(page, "/staff/agenda")
    text = page.locator("main").inner_text()
    assert "Opgelet: Honden, Tolk nodig." in text
    assert "VDDS/BROWSER/1" in text
    look("assistance-agenda")
    page.locator(f"main a[href$='/staff/appointments/{booking_id}']").click()
    assert_on(page, f"/staff/appointments/{booking_id}")
    assert "Gekende agressie: Nee" in page.locator("main").inner_text()
    look("assistance-appointment")


def test_a_supervisor_goes_through_the_assistance_admin(
    desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = desktop_page

    def look(name: str) -> None:
        assert steps.html_lang(page) == "nl", f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    steps.sign_in_with_code(page, live_server, SUPERVISOR, "/staff/admin/bailiff-offices")
    look("bailiff-offices")
    link = page.locator("main table a", has_text=OFFICE)
    office_path = str(link.get_attribute("href"))
    link.click()
    assert_on(page, office_path)
    look("bailiff-office")
    page.fill("#enterprise_number", "0212.345.669")  # one digit off
    with page.expect_navigation():
        page.locator(f"main form[action$='{office_path}'] button[type=submit]").click()
    steps.assert_error_next_to(page, "enterprise_number")
    look("bailiff-office-wrong-number")
    page.fill("#enterprise_number", DEMO_ENTERPRISE_NUMBER)  # saved as it was
    with page.expect_navigation():
        page.locator(f"main form[action$='{office_path}'] button[type=submit]").click()
    assert_on(page, "/staff/admin/bailiff-offices")
    assert page.locator(".notice-success").count() == 1

    page.goto(f"{live_server.url}/staff/admin/execution-kinds")
    look("execution-kinds")

    page.goto(f"{live_server.url}/staff/admin/assistance-capacity")
    look("assistance-capacity")
    with page.expect_navigation():
        page.locator("main button[value=add_rule]").click()
    rows = page.locator("main select[name$='-day'][name^='rule-']").count()
    last = f"rule-{rows - 1}"
    page.select_option(f"#{last}-day", "5")
    page.fill(f"#{last}-starts", "08:10")
    page.fill(f"#{last}-ends", "12:00")
    page.fill(f"#{last}-officers", "1")
    with page.expect_navigation():
        page.locator("main p.moments-actions button[value=save]").click()
    steps.assert_error_next_to(page, f"{last}-starts")
    look("assistance-capacity-wrong-time")
    page.check(f"#{last}-remove")
    with page.expect_navigation():
        page.locator("main p.moments-actions button[value=save]").click()
    assert_on(page, "/staff/admin/assistance-capacity")
    assert page.locator(".notice-success").count() == 1
    look("assistance-capacity-saved")

    page.goto(f"{live_server.url}/staff/bailiff-assistance/figures")
    assert OFFICE in page.locator("main").inner_text()
    look("bailiff-figures")
