"""Asking for an earlier moment in a real browser, on a phone: the box on the details step
opens its choices, a wrong first day is said next to the field, the check page and the manage
page show the wish, and "Stop" ends it (the manage page then offers to ask again). axe checks
every state."""

import re

from playwright.sync_api import Page

from tests.browser import steps
from tests.browser.conftest import LiveServer, NewPage
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

# Weeks ahead where this test books: clear of the other booking tests' weeks and moments.
WEEK = 5
INDEX = 3


def test_ask_see_and_stop_an_earlier_moment(
    new_page: NewPage, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    steps.forget_rate_limits(live_server)
    page: Page = new_page("phone", locale="nl-BE")

    def look(name: str) -> None:
        looked_at(page, check_axe, shoot, name)

    page.goto(f"{live_server.url}/book?lang=nl")
    steps.choose_service(page, "wijkagent")
    steps.enter_address(page)
    steps.choose_location(page, "office")
    steps.choose_moment(page, week=WEEK, index=INDEX)
    assert_on(page, "/book/details")

    # The choices show once the box is ticked (CSS only: the page needs no JavaScript).
    assert not page.locator("#earlier_not_before").is_visible()
    page.fill("#name", "Jan Peeters")
    page.fill("#phone", "0470 12 34 56")
    page.check("#earlier")
    assert page.locator("#earlier_not_before").is_visible()
    page.check("#earlier_location-office")
    page.fill("#earlier_not_before", "2999-01-01")  # after the appointment
    look("earlier-details")
    steps.submit(page)
    steps.assert_error_next_to(page, "earlier_not_before")
    assert page.is_checked("#earlier_location-office")  # the choices made are kept
    look("earlier-details-error")
    page.fill("#earlier_not_before", "")
    steps.submit(page)

    assert_on(page, "/book/check")
    assert "vrijkomt: enkel op het bureau" in page.locator("dl.summary").inner_text()
    look("earlier-check")
    manage = steps.confirm(page)
    assert (
        "We sturen je een sms als er een vroeger moment vrijkomt"
        in page.locator("main").inner_text()
    )
    look("earlier-confirmation")

    page.goto(manage)
    stop = page.locator("form[action$='/earlier/stop'] button")
    assert stop.is_visible()
    with page.expect_navigation():
        stop.click()
    page.wait_for_url(re.compile(re.escape(manage) + "$"))
    assert page.locator(".notice-success").is_visible()
    assert page.locator("form[action$='/earlier/stop']").count() == 0
    ask = page.locator("form[action$='/earlier'] button")
    assert ask.is_visible()  # and they may ask again
    look("earlier-stopped")
