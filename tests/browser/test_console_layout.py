"""Issue 14: the console uses a desktop screen's width. From 1280 px on, the queue and the
caller panel sit side by side; on a phone they stack (queue above, panel below)."""

from playwright.sync_api import Page, expect

from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, looked_at


def _with_a_caller_taken(page: Page, live_server: LiveServer, personnel: str, caller: str) -> None:
    steps.sign_in_to_console(page, live_server, personnel)
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "ready")
    with steps.db(live_server) as session, session.begin():
        call_id = steps.queued_caller(session, caller, waited=20, topic="question").id
    page.locator(f"#queue-rows tr[data-call='{call_id}'] button").click()
    expect(page.locator("#phone-state")).to_have_attribute("data-state", "in-call")
    expect(page.locator("#caller-panel .caller-panel")).to_be_visible()


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


def test_on_a_desktop_the_queue_and_the_caller_sit_side_by_side(
    desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = desktop_page
    _with_a_caller_taken(page, live_server, "GALOP-4003", "+32470770001")
    queue, caller = _box(page, "#queue"), _box(page, "#caller-panel")
    assert queue["x"] + queue["width"] <= caller["x"]  # queue left, caller right
    assert caller["y"] < queue["y"] + queue["height"]  # and level with each other
    assert queue["y"] < caller["y"] + caller["height"]
    assert caller["width"] >= 500
    assert queue["width"] >= 400
    assert caller["x"] + caller["width"] <= 1280  # no sideways scrolling
    looked_at(page, check_axe, shoot, "desktop-side-by-side")


def test_on_a_phone_they_stack(
    phone_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = phone_page
    _with_a_caller_taken(page, live_server, "GALOP-4003", "+32470770002")
    queue, caller = _box(page, "#queue"), _box(page, "#caller-panel")
    assert caller["y"] >= queue["y"] + queue["height"]
    assert abs(caller["x"] - queue["x"]) < 40
    looked_at(page, check_axe, shoot, "phone-stacked")
