"""/staff/admin/villages in a real browser, on a phone and a desktop: the demo admin reads the
villages and the travel grid, gets a wrong minute explained in its cell and a wrong latitude
next to its field, saves one way and sees the way back follow. axe on every state.

The live server's demo data is shared by every browser test: the drive changed here is put
back at the end, whatever happens."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from scheduling.models import Village, VillageTravel
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, looked_at

ADMIN = "GALOP-5002"
PAGE = "/staff/admin/villages?lang=en"
FROM, TO = "Bever", "Herne"


@pytest.fixture
def pair(live_server: LiveServer) -> Iterator[tuple[int, int]]:
    """Bever's and Herne's ids; their drives both ways put back after the test."""
    with steps.db(live_server) as session:
        ids = {v.name: v.id for v in session.scalars(select(Village))}
        a, b = ids[FROM], ids[TO]
        kept = {
            (r.from_village_id, r.to_village_id): r.minutes
            for r in session.scalars(select(VillageTravel))
            if {r.from_village_id, r.to_village_id} == {a, b}
        }
    yield a, b
    with steps.db(live_server) as session, session.begin():
        for x, y in ((a, b), (b, a)):
            row = session.get(VillageTravel, (x, y))
            if (x, y) not in kept:
                if row is not None:
                    session.delete(row)
            elif row is None:
                session.add(VillageTravel(from_village_id=x, to_village_id=y, minutes=kept[(x, y)]))
            else:
                row.minutes = kept[(x, y)]


def _save(page: Page, button: str) -> None:
    with page.expect_navigation(wait_until="load", timeout=15_000):
        page.get_by_role("button", name=button).click()


def test_the_admin_keeps_the_travel_grid(
    page: Page,
    live_server: LiveServer,
    check_axe: CheckAxe,
    shoot: Shoot,
    pair: tuple[int, int],
) -> None:
    a, b = pair
    steps.forget_rate_limits(live_server)
    steps.sign_in_with_code(page, live_server, ADMIN, PAGE)
    main = page.locator("main")
    assert main.locator("table").first.get_by_text("Sint-Kwintens-Lennik").count() == 1
    looked_at(page, check_axe, shoot, "admin-villages")

    there, back = f"#travel-{a}-{b}", f"#travel-{b}-{a}"
    # The grid scrolls inside its region; the page itself fits the screen.
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.fill(there, "300")
    _save(page, "Save the travel times")
    error = page.locator(f"#travel-{a}-{b}-error")
    assert "from 0 to 240" in error.inner_text()
    assert page.get_attribute(there, "aria-invalid") == "true"
    assert page.locator(f".error-summary a[href='#travel-{a}-{b}']").count() == 1
    looked_at(page, check_axe, shoot, "admin-villages-travel-error")

    page.fill(there, "17")
    _save(page, "Save the travel times")
    assert page.locator(".notice-success").is_visible()
    assert page.input_value(there) == "17"
    assert page.input_value(back) == "17"  # one way entered: the way back follows

    page.fill("#name", "Browsertest")
    page.fill("#postcode", "1547")
    page.fill("#lat", "3.93")  # a longitude where the latitude goes
    page.fill("#lon", "50.71")
    _save(page, "Add the village")
    steps.assert_error_next_to(page, "lat")
    steps.assert_error_next_to(page, "lon")
    looked_at(page, check_axe, shoot, "admin-villages-new-errors")
    with steps.db(live_server) as session:
        assert session.scalar(select(Village).where(Village.name == "Browsertest")) is None
