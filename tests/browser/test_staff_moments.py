"""A new officer in a real browser sets up a week: office hours on Monday and Wednesday and home
visits on Thursday, through the form's errors, the preview and saving; the citizen booking
pages then offer exactly those moments. axe and a screenshot on every state of the page."""

import secrets
import string
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page
from sqlalchemy import select

from scheduling.models import Site
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at
from tests.factories import TEST_PASSWORD, make_credential, make_district, make_staff

MON, WED, THU = 0, 2, 3
BRUSSELS = ZoneInfo("Europe/Brussels")


def _new_officer(live_server: LiveServer) -> tuple[str, int, str, int]:
    """A wijkagent with a sign-in and a district of one street of their own, but no moments:
    their personnel number and id, the street, and the id of their wijkpost."""
    suffix = "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))
    street = f"Momentenlaan {suffix}"
    with steps.db(live_server) as session, session.begin():
        site = session.scalars(select(Site).where(Site.code == "wp-bever")).one()
        officer = make_staff(session, name=f"Agent {suffix}", personnel_number=f"NEW-{suffix}")
        make_credential(session, officer)
        make_district(session, officer, streets=(("1547", street),), name=street, site_id=site.id)
        return officer.personnel_number, officer.id, street, site.id


def _fill_row(page: Page, i: int, day: int, starts: str, ends: str, where: str) -> None:
    page.select_option(f"#week-{i}-day", str(day))
    page.fill(f"#week-{i}-starts", starts)
    page.fill(f"#week-{i}-ends", ends)
    page.select_option(f"#week-{i}-where", where)


def _press(page: Page, action: str) -> None:
    page.locator(f"main form button[name=action][value={action}]:visible").click()
    page.wait_for_load_state()


def _offered(page: Page, live_server: LiveServer, street: str, where: str) -> list[datetime]:
    """The moments the citizen booking pages offer at ``where`` in the next two weeks."""
    page.goto(f"{live_server.url}/book?service=wijkagent&postcode=1547&street={street}&number=1")
    steps.choose_location(page, where)
    assert_on(page, "/book/moment")
    values = steps.slot_buttons(page)
    page.goto(f"{live_server.url}/book/moment?week=1")
    values += steps.slot_buttons(page)
    return [datetime.fromisoformat(v.partition("|")[0]).astimezone(BRUSSELS) for v in values]


def test_a_new_officer_sets_up_a_week(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    number, officer_id, street, site_id = _new_officer(live_server)
    office = f"office-{site_id}"

    def look(name: str) -> None:
        assert steps.html_lang(page) == "nl", f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    page.goto(f"{live_server.url}/staff/")
    page.fill("#personnel_number", number)
    page.fill("#password", TEST_PASSWORD)
    steps.submit(page)
    page.locator("nav.staff-menu a[href$='/staff/moments']").click()  # the staff menu
    assert_on(page, "/staff/moments")
    assert page.locator("#week-0-day").input_value() == ""  # nothing yet: one empty row
    look("no-moments-yet")

    # Monday's office hours, typed the wrong way round first.
    _fill_row(page, 0, MON, "12:00", "09:00", office)
    _press(page, "preview")
    steps.assert_error_next_to(page, "week-0-ends")
    assert page.input_value("#week-0-starts") == "12:00"  # what was typed is kept
    look("errors")

    _fill_row(page, 0, MON, "09:00", "12:00", office)
    _press(page, "add_week")
    _fill_row(page, 1, WED, "09:00", "12:00", office)
    _press(page, "add_week")
    assert page.input_value("#week-1-ends") == "12:00"
    _fill_row(page, 2, THU, "13:00", "17:00", "home")
    look("three-rows")

    _press(page, "preview")
    assert page.locator("dl.moment-preview dt").count() > 0
    look("preview")

    page.locator("#save").click()
    page.wait_for_load_state()
    assert_on(page, "/staff/moments")
    assert page.locator(".notice-success").count() == 1
    assert page.input_value("#week-2-ends") == "17:00"
    look("saved")

    at_the_office = _offered(page, live_server, street, "office")
    assert at_the_office, "no office moments offered"
    assert {m.weekday() for m in at_the_office} <= {MON, WED}
    assert {(m.hour, m.minute) for m in at_the_office} <= {
        (h, m) for h in (9, 10, 11) for m in (0, 30)
    }
    looked_at(page, check_axe, shoot, "citizen-office-moments")
    at_home = _offered(page, live_server, street, "home")
    assert at_home, "no home visits offered"
    assert {m.weekday() for m in at_home} == {THU}
    buttons = page.locator("button.slot").evaluate_all("bs => bs.map(b => b.value)")
    assert all(v.endswith(f"|{officer_id}") for v in buttons)
