"""The reporting point in a real browser: a report with a photo on a phone and on a desktop
(axe on every page and error state), the discreet flow with the keyboard alone, and the
quick-exit button leaving to the configured address so that "Back" does not return."""

from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from sqlalchemy import select

from app.reports.access import RESTRICTED_TEAM
from app.reports.models import Report, ReportPhoto
from tests.browser import steps
from tests.browser.conftest import LiveServer, NewPage
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at
from tests.browser.test_keyboard import focused, press_and_load, tab_to


@pytest.fixture(autouse=True)
def fresh_limits(live_server: LiveServer) -> None:
    steps.forget_rate_limits(live_server)


def _jpeg() -> bytes:
    out = BytesIO()
    Image.effect_noise((640, 480), 64).convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


def _press(page: Page, selector: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.locator(selector).click()


def test_a_report_with_a_photo(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    base = live_server.url
    page.goto(f"{base}/melden?lang=fr")
    looked_at(page, check_axe, shoot, "start")
    _press(page, "a[href='/melden/illegal_dumping/where']")
    assert_on(page, "/melden/illegal_dumping/where")
    looked_at(page, check_axe, shoot, "where")
    page.fill("#street", "Plaats")
    steps.submit(page)  # the street alone: the postcode and number are missing
    steps.assert_error_next_to(page, "postcode")
    looked_at(page, check_axe, shoot, "where-errors")
    page.fill("#postcode", steps.POSTCODE)
    page.fill("#number", steps.NUMBER)
    steps.submit(page)

    assert_on(page, "/melden/illegal_dumping/when")
    looked_at(page, check_axe, shoot, "when")
    page.check("#when")
    steps.submit(page)
    assert_on(page, "/melden/illegal_dumping/what")
    looked_at(page, check_axe, shoot, "what")
    page.fill("#description", "Des sacs de déchets à côté de la bulle à verre")
    steps.submit(page)

    assert_on(page, "/melden/illegal_dumping/photos")
    looked_at(page, check_axe, shoot, "photos")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    page.set_input_files(
        "#photos", {"name": "dessin.svg", "mimeType": "image/svg+xml", "buffer": svg}
    )
    _press(page, "button[name=action][value=add]")
    assert "dessin.svg" in page.locator("#photos-error").inner_text()
    looked_at(page, check_axe, shoot, "photos-refused")
    page.set_input_files(
        "#photos", {"name": "sacs.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    _press(page, "button[name=action][value=add]")
    assert page.locator(".photo-list li").count() == 1
    looked_at(page, check_axe, shoot, "photos-added")
    _press(page, "button[name=action][value=continue]")

    assert_on(page, "/melden/illegal_dumping/who")
    looked_at(page, check_axe, shoot, "who")
    page.fill("#name", "Marie Dubois")
    page.fill("#email", "marie@example.be")
    steps.submit(page)
    assert_on(page, "/melden/illegal_dumping/check")
    looked_at(page, check_axe, shoot, "check")
    steps.submit(page)
    assert_on(page, "/melden/done")
    looked_at(page, check_axe, shoot, "done")
    number = page.locator(".reference").inner_text().strip()
    assert "/status/" in page.locator(".status-link a").inner_text()

    with steps.db(live_server) as session:
        report = session.scalars(select(Report).where(Report.number == number)).one()
        assert report.assigned_staff is not None
        assert report.assigned_staff.personnel_number == "GALOP-1009"  # Plaats' wijkagent
        assert report.language == "fr"
        photos = session.scalars(select(ReportPhoto).where(ReportPhoto.report_id == report.id))
        assert len(photos.all()) == 1


def test_the_discreet_flow_with_the_keyboard_only(
    new_page: NewPage, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = new_page("desktop", locale="nl-BE")
    page.goto(f"{live_server.url}/melden/discreet?lang=nl")
    looked_at(page, check_axe, shoot, "entry")
    assert page.title().startswith("Melden aan de politie")

    tab_to(page, "input[name=category]")
    page.keyboard.press("ArrowDown")  # chooses the second phenomenon
    chosen = focused(page)
    assert chosen["checked"] is True
    tab_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")

    assert_on(page, "/melden/discreet/where")
    looked_at(page, check_axe, shoot, "where")
    tab_to(page, "#landmark")
    page.keyboard.type("Online, in een chatgroep")
    tab_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")

    assert_on(page, "/melden/discreet/when")
    tab_to(page, "input[name=when]")
    page.keyboard.press("Space")
    assert focused(page)["checked"] is True
    looked_at(page, check_axe, shoot, "when")
    tab_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")

    assert_on(page, "/melden/discreet/what")
    tab_to(page, "#description")
    page.keyboard.type("Haatberichten over mijn afkomst")
    looked_at(page, check_axe, shoot, "what")
    tab_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")

    assert_on(page, "/melden/discreet/photos")
    looked_at(page, check_axe, shoot, "photos")
    tab_to(page, "button[name=action][value=continue]")
    press_and_load(page, "Enter")

    assert_on(page, "/melden/discreet/who")
    tab_to(page, "input[name=contact_how]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert (focused(page)["value"], focused(page)["checked"]) == ("not_at_all", True)
    looked_at(page, check_axe, shoot, "who")
    tab_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")

    assert_on(page, "/melden/discreet/check")
    looked_at(page, check_axe, shoot, "check")
    tab_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")
    assert_on(page, "/melden/done")
    looked_at(page, check_axe, shoot, "done")
    number = page.locator(".reference").inner_text().strip()
    with steps.db(live_server) as session:
        report = session.scalars(select(Report).where(Report.number == number)).one()
        assert (report.assigned_team, report.reporter_name) == (RESTRICTED_TEAM, None)


@pytest.fixture
def exit_page(live_server: LiveServer) -> Iterator[str]:
    """Quick exit pointed at a loopback page (tests talk only to loopback)."""
    app = live_server.app
    config = app.config["BLAUWLIJN"]
    url = f"{live_server.url}/accessibility?left=1"
    app.config["BLAUWLIJN"] = replace(config, quick_exit_url=url)
    yield url
    app.config["BLAUWLIJN"] = config


def test_quick_exit_leaves_to_the_configured_page_and_back_does_not_return(
    new_page: NewPage, browser: Browser, live_server: LiveServer, exit_page: str, shoot: Shoot
) -> None:
    page = new_page("phone", locale="nl-BE")
    page.goto(f"{live_server.url}/melden?lang=nl")
    _press(page, "a[href='/melden/discreet']")
    page.check("#category")
    steps.submit(page)
    assert_on(page, "/melden/discreet/where")
    button = page.locator("a[data-quick-exit]")
    assert button.is_visible()
    shoot(page, "where-with-quick-exit")
    _press(page, "a[data-quick-exit]")
    assert page.url == exit_page
    page.go_back()
    assert "/melden/discreet/where" not in page.url  # replaced in the history

    # Without JavaScript the button is a plain link to the same page...
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{live_server.url}/melden/discreet?lang=nl")
        with plain.expect_navigation():
            plain.locator("a[data-quick-exit]").click()
        assert plain.url == exit_page
        # ...and "use my location", which needs JavaScript, is not offered.
        plain.goto(f"{live_server.url}/melden/illegal_dumping/where?lang=nl")
        assert not plain.locator("#locate").is_visible()
    finally:
        context.close()
    page.goto(f"{live_server.url}/melden/illegal_dumping/where?lang=nl")
    assert page.locator("#locate").is_visible()


def test_a_lost_object_asks_its_kind_in_english(
    desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = desktop_page
    page.goto(f"{live_server.url}/melden/lost_object/where?lang=en")
    page.fill("#landmark", "The bus stop by the church")
    steps.submit(page)
    assert_on(page, "/melden/lost_object/when")
    page.check("#when-moment")
    page.fill("#day", "01/01/2000")
    steps.submit(page)  # no time given
    steps.assert_error_next_to(page, "clock")
    looked_at(page, check_axe, shoot, "when-errors")
    page.check("#when")
    steps.submit(page)
    assert_on(page, "/melden/lost_object/what")
    steps.submit(page)  # nothing chosen or described
    steps.assert_error_next_to(page, "description")
    assert page.locator("#object_type-error").is_visible()
    looked_at(page, check_axe, shoot, "what-errors")
