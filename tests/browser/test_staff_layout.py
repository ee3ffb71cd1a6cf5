"""The staff pages' frame in a real browser: the staff menu on every main page (the current
one marked), and the bookable moments table without horizontal scrolling on a 1280 px screen
and on a phone (each row a card there). axe and a screenshot on every page."""

import secrets
import string

from playwright.sync_api import Page
from sqlalchemy import select

from scheduling.models import Site
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at
from tests.factories import TEST_PASSWORD, make_credential, make_district, make_staff

MENU = [
    "Agenda",
    "Today",
    "Bookable moments",
    "Earlier moments",
    "Calendar subscription",
    "Reports and questions",
]
PAGES = {  # a main staff page → its menu entry
    "/staff/agenda": "Agenda",
    "/staff/agenda?view=week": "Agenda",
    "/staff/moments": "Bookable moments",
    "/staff/earlier": "Earlier moments",
    "/staff/calendar": "Calendar subscription",
}


def _signed_in_officer(page: Page, live_server: LiveServer) -> None:
    """A new wijkagent with a district of their own, signed in, reading English."""
    suffix = "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))
    with steps.db(live_server) as session, session.begin():
        site = session.scalars(select(Site).where(Site.code == "wp-bever")).one()
        officer = make_staff(session, name=f"Agent {suffix}", personnel_number=f"LAY-{suffix}")
        make_credential(session, officer)
        street = f"Menustraat {suffix}"
        make_district(session, officer, streets=(("1547", street),), name=street, site_id=site.id)
        number = officer.personnel_number
    page.goto(f"{live_server.url}/staff/?lang=en")
    page.fill("#personnel_number", number)
    page.fill("#password", TEST_PASSWORD)
    steps.submit(page)
    assert_on(page, "/staff/")


def _fits(page: Page) -> None:
    """Nothing wider than the window: neither the page nor a table's own scrolling region."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    regions = page.locator(".table-scroll").evaluate_all(
        "rs => rs.map(r => [r.scrollWidth, r.clientWidth])"
    )
    assert all(scroll <= client for scroll, client in regions), regions


def test_the_staff_menu_is_on_every_main_page(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    _signed_in_officer(page, live_server)
    menu = page.locator("nav.staff-menu")
    for path, current in PAGES.items():
        page.goto(f"{live_server.url}{path}")
        assert menu.is_visible(), path
        assert menu.locator("a").all_inner_texts() == MENU, path
        assert menu.locator("a[aria-current=page]").all_inner_texts() == [current], path
        _fits(page)
        looked_at(page, check_axe, shoot, path.strip("/").replace("/", "-"))
    menu.locator("a", has_text="Agenda").click()
    assert_on(page, "/staff/agenda")


def test_the_moments_table_fits_without_scrolling_sideways(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    _signed_in_officer(page, live_server)
    page.goto(f"{live_server.url}/staff/moments")
    for action in ("add_week", "add_open", "add_close"):
        with page.expect_navigation():
            page.locator(f"main form button[name=action][value={action}]").click()
    # The longest place name in a row, and an error in a cell: the widest a row gets.
    options = page.locator("#week-0-where option").evaluate_all("os => os.map(o => o.value)")
    page.select_option("#week-0-where", options[-1])
    page.fill("#week-0-starts", "12:00")
    page.fill("#week-0-ends", "09:00")
    page.fill("#open-0-starts", "10:00")  # an opening and a closure without their day
    page.fill("#close-0-starts", "10:00")
    with page.expect_navigation():
        page.locator("main form button[name=action][value=preview]:visible").click()
    assert page.locator(".moments-table .error-message").count() > 0
    assert page.locator("#open-0-day").is_visible()
    assert page.locator("#close-0-day").is_visible()
    _fits(page)
    looked_at(page, check_axe, shoot, "moments-with-every-kind-of-row")
