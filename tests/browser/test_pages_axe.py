"""axe and a screenshot for the pages around the booking, in each language and viewport:
the start page (its offices' hours and descriptions in the page's language), "who is my
wijkagent?" (empty, found with where and when the officer receives, not found), the accessibility
statement, the invitation page (empty, wrong code), a cancelled appointment, one too
close to change online, and the page of a link that does not work (404)."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

# The demo's main office, as each language writes it (app/demo/zone.py).
WALK_IN = {"nl": "ma–vr 08:00–16:30", "fr": "lun.–ven. 08:00–16:30", "en": "Mon–Fri 08:00–16:30"}
DESCRIBED = {
    "nl": "Het hoofdcommissariaat",
    "fr": "Le commissariat central",
    "en": "The zone's main police station",
}


@dataclass(frozen=True)
class Appointments:
    cancelled: str  # manage tokens
    too_close: str


@pytest.fixture(scope="module")
def appointments(live_server: LiveServer) -> Appointments:
    days = steps.PAGES_AXE_DAYS_AHEAD
    return Appointments(
        cancelled=steps.engine_booking(live_server, days_ahead=days, language="nl", cancelled=True),
        too_close=steps.engine_booking(live_server, days_ahead=days, language="fr", too_close=True),
    )


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_pages_have_no_axe_violations(
    lang: str,
    page: Page,
    live_server: LiveServer,
    appointments: Appointments,
    check_axe: CheckAxe,
    shoot: Shoot,
) -> None:
    base = live_server.url

    def visit(path: str, name: str) -> None:
        separator = "&" if "?" in path else "?"
        response = page.goto(f"{base}{path}{separator}lang={lang}")
        assert response is not None
        assert response.ok, f"{path}: {response.status}"
        look(name)

    def look(name: str) -> None:
        assert steps.html_lang(page) == lang, f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    visit("/", "home")
    main_office = page.locator(".office-list li", has_text="Politiehuis Pajottenland")
    assert WALK_IN[lang] in main_office.inner_text()
    assert DESCRIBED[lang] in main_office.inner_text()
    visit("/accessibility", "accessibility")

    visit("/officer", "officer-empty")
    assert page.locator(".error-summary, .panel-result").count() == 0
    steps.submit(page)  # sent empty: each field says what it needs
    assert_on(page, "/officer")
    for field in ("postcode", "street", "number"):
        steps.assert_error_next_to(page, field)
    look("officer-sent-empty")
    visit(
        f"/officer?postcode={steps.POSTCODE}&street={steps.STREET}&number={steps.NUMBER}",
        "officer-found",
    )
    assert steps.OFFICER in page.locator(".panel-result").inner_text()
    assert page.locator(".panel-result .office-hours").count() == 1  # when they receive
    visit(f"/officer?postcode={steps.POSTCODE}&street=Nergensstraat&number=1", "officer-unknown")
    steps.assert_error_next_to(page, "street")
    assert page.input_value("#street") == "Nergensstraat"  # what was typed stays

    visit("/invitation", "invitation")
    page.fill("#code", "INV-000000")
    steps.submit(page)
    assert_on(page, "/invitation")
    steps.assert_error_next_to(page, "code")
    look("invitation-wrong-code")

    visit(f"/appointment/{appointments.cancelled}", "appointment-cancelled")
    assert page.locator(".notice a[href*='/book?service=']").is_visible()  # book again
    assert page.locator("form[action$='/cancel'], a[href$='/move']").count() == 0
    assert page.locator("a[href$='/calendar.ics']").count() == 0

    visit(f"/appointment/{appointments.too_close}", "appointment-too-close")
    assert page.locator("form[action$='/cancel'], a[href$='/move']").count() == 0
    assert "054 31 35 01" in page.locator("main .panel").inner_text()  # call us instead
    page.goto(f"{base}/appointment/{appointments.too_close}/move")
    assert page.url == f"{base}/appointment/{appointments.too_close}"

    stale = page.goto(f"{base}/appointment/{'x' * 32}?lang={lang}")
    assert stale is not None
    assert stale.status == 404
    assert "054 31 35 01" in page.locator("main").inner_text()  # call us instead
    look("link-not-found")
