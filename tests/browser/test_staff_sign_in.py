"""Staff sign-in in a real browser with the demo logins: no JavaScript needed, errors next to
their fields, the supervisor's code step, signing out; axe and a screenshot of every page."""

import pyotp
import pytest
from playwright.sync_api import Page

from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

OFFICER = "GALOP-1009"  # the wijkagent of the example address
SUPERVISOR = "GALOP-5001"


def _sign_in(page: Page, number: str, password: str) -> None:
    page.fill("#personnel_number", number)
    page.fill("#password", password)
    steps.submit(page)


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_an_officer_signs_in_and_out(
    lang: str, page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page.goto(f"{live_server.url}/staff/?lang={lang}")
    assert_on(page, "/staff/login")
    assert steps.html_lang(page) == lang
    looked_at(page, check_axe, shoot, "sign-in")

    steps.submit(page)
    steps.assert_error_next_to(page, "personnel_number")
    steps.assert_error_next_to(page, "password")
    looked_at(page, check_axe, shoot, "sign-in-empty")

    # An unknown number (a wrong password would lock the demo login after a few runs).
    _sign_in(page, "GALOP-0000", "not the password")
    steps.assert_error_next_to(page, "personnel_number")
    assert page.input_value("#password") == ""  # never sent back
    looked_at(page, check_axe, shoot, "sign-in-refused")

    _sign_in(page, OFFICER, DEMO_PASSWORD)
    assert_on(page, "/staff/")
    assert OFFICER in page.locator("main").inner_text()
    looked_at(page, check_axe, shoot, "staff-home")

    steps.submit(page)  # the page's one form: sign out
    assert_on(page, "/staff/login")
    assert steps.html_lang(page) == lang
    looked_at(page, check_axe, shoot, "signed-out")
    page.goto(f"{live_server.url}/staff/")
    assert_on(page, "/staff/login")


def test_a_supervisor_gives_the_code_of_the_authenticator_app(
    desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = desktop_page
    page.goto(f"{live_server.url}/staff/login?lang=en")
    _sign_in(page, SUPERVISOR, DEMO_PASSWORD)
    assert_on(page, "/staff/login/code")
    looked_at(page, check_axe, shoot, "code")

    page.fill("#code", "12")
    steps.submit(page)
    steps.assert_error_next_to(page, "code")
    looked_at(page, check_axe, shoot, "code-malformed")

    page.fill("#code", pyotp.TOTP(DEMO_TOTP_SECRET).now())
    steps.submit(page)
    assert_on(page, "/staff/")
    assert "Staff and districts" in page.locator("main").inner_text()
    looked_at(page, check_axe, shoot, "staff-home-supervisor")
