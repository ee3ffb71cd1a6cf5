"""Issue 14: a call-taker books for a caller in the console (make run's simulated phone):
the moments grouped by day under a heading each, every radio named with its day and time,
"More days", office or home visit, and the topic; axe on each state."""

import re

from playwright.sync_api import Page, expect

from scheduling.models import Booking
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, looked_at

CALL_TAKERS = {"desktop": "GALOP-4004", "phone": "GALOP-4004"}


def test_booking_for_a_caller_by_day_with_more_days(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    viewport = "phone" if page.viewport_size and page.viewport_size["width"] < 500 else "desktop"
    number = "+3247088" + ("0001" if viewport == "desktop" else "0002")
    steps.take_queued_caller(page, live_server, CALL_TAKERS[viewport], number, topic="appointment")

    panel = page.locator("#caller-panel")
    panel.locator("#book-name").fill("Jan Peeters")
    panel.locator("#book-postcode").fill("1547")
    panel.locator("#book-street").fill("Plaats")
    panel.locator("#book-number").fill("1")
    panel.locator("button[formaction$='/book/moments']").first.click()
    days = panel.locator("h3.moment-day:not(.moment-round)")  # the days, not the round above them
    expect(days.first).to_be_visible()
    first_day = days.first.inner_text()
    # The radio's accessible name carries the day (the heading is a group name, not read
    # with each radio) and the time.
    first = panel.get_by_role("group", name=first_day).get_by_role("radio").first
    expect(first).to_have_accessible_name(re.compile(rf"^{re.escape(first_day)}, \d\d:\d\d – "))
    # Chosen already: the first moment on the officer's round when earlier tests left one
    # (a home visit nearby), else the first of the first day.
    on_round = panel.locator("#book-moment-round-1")
    expect(on_round if on_round.count() else first).to_be_checked()
    looked_at(page, check_axe, shoot, "console-moments-by-day")

    panel.locator("button[name=from]").click()  # More days
    expect(days.first).not_to_have_text(first_day)
    later_day = days.first.inner_text()
    looked_at(page, check_axe, shoot, "console-more-days")

    panel.locator("#book-location-home").check()
    panel.locator("#book-topic").fill("Lawaai van de buren")
    panel.locator("button[formaction$='/book/moments']").first.click()
    expect(panel.get_by_role("radio", name=re.compile(r"huisbezoek")).first).to_be_visible()
    chosen = panel.get_by_role("radio", name=re.compile(r"huisbezoek")).first
    chosen.check()
    panel.locator("form[action$='/book'] button.button:not(.button-secondary)").click()
    expect(panel.locator(".notice-success")).to_be_visible()
    looked_at(page, check_axe, shoot, "console-booked")
    with steps.db(live_server) as session:
        booking = session.query(Booking).filter_by(citizen_phone=number).one()
        assert (booking.location.value, booking.topic) == ("home", "Lawaai van de buren")
    assert later_day != first_day
