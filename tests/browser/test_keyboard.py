"""The whole booking with the keyboard alone: Tab, typing, Space/Enter and arrow keys.

No mouse click and no ``fill()``: every field is reached with Tab and typed into, every
button and link pressed from the keyboard. Each step asserts which element has the focus.
Dutch on a desktop, French on a phone.
"""

import re
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser import steps
from tests.browser.conftest import LiveServer, NewPage
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

MAX_TABS = 60


def focused(page: Page) -> dict[str, Any]:
    """What has the focus: tag, id, name, value, href and (for radios) checked."""
    return dict(
        page.evaluate(
            """() => {
            const e = document.activeElement;
            return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'),
                    value: e.value ?? null, href: e.getAttribute('href'),
                    checked: e.checked ?? null};
            }"""
        )
    )


def is_focused(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement.matches(s)", selector))


def tab_to(page: Page, selector: str) -> int:
    """Press Tab until the focused element matches ``selector``; how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if is_focused(page, selector):
            return presses
    raise AssertionError(f"{selector!r} never got the focus; it ended on {focused(page)}")


def tab_once_to(page: Page, selector: str) -> None:
    page.keyboard.press("Tab")
    assert is_focused(page, selector), f"after Tab: {focused(page)}, not {selector!r}"


def press_and_load(page: Page, key: str) -> None:
    """Press a key on the focused link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)


def assert_focus_is_visible(page: Page) -> None:
    """The focused element looks different from when it has no focus: an outline, or another
    background (WCAG 2.4.7 Focus Visible)."""
    style = """() => {
        const s = getComputedStyle(document.activeElement);
        return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                background: s.backgroundColor};
    }"""
    with_focus = page.evaluate(style)
    page.evaluate("window.__focused = document.activeElement; document.activeElement.blur()")
    without = page.evaluate("() => getComputedStyle(window.__focused).backgroundColor")
    page.evaluate("window.__focused.focus()")
    outlined = with_focus["outline"] != "none" and with_focus["width"] >= 2
    assert outlined or with_focus["background"] != without, with_focus


def keyboard_to_week(page: Page, week: int) -> None:
    """On a moments page, follow the "Later" link with the keyboard up to ``week`` weeks
    ahead and on until a week has free moments."""
    current = steps.week_offset(page)
    while current < week or not steps.slot_buttons(page):
        tab_to(page, f".week-nav a[href*='week={current + 1}']")
        press_and_load(page, "Enter")
        current += 1
        assert steps.week_offset(page) == current


# English books with another wijkagent (Lennik), so it never competes with the nl/fr runs.
LENNIK = steps.Resident("1750", "Markt", "1", "Bart Vanderstraeten")


@pytest.mark.parametrize(
    ("lang", "viewport", "resident"),
    [
        ("nl", "desktop", steps.DEMO_RESIDENT),
        ("fr", "phone", steps.DEMO_RESIDENT),
        ("en", "desktop", LENNIK),
    ],
    ids=["nl-desktop", "fr-phone", "en-desktop"],
)
def test_the_whole_booking_with_the_keyboard_only(
    lang: str,
    viewport: str,
    resident: steps.Resident,
    new_page: NewPage,
    live_server: LiveServer,
    check_axe: CheckAxe,
    shoot: Shoot,
) -> None:
    steps.forget_rate_limits(live_server)
    page = new_page(viewport, locale=f"{lang}-BE")
    week = steps.WEEK_KEYBOARD[(lang, viewport)]
    page.goto(f"{live_server.url}/?lang={lang}")

    # The skip link is the first Tab stop, shows itself, and moves the focus to the main part.
    page.keyboard.press("Tab")
    assert is_focused(page, "a.skip-link[href='#main']"), focused(page)
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None
    assert box["x"] >= 0  # on screen now
    assert box["y"] >= 0
    assert_focus_is_visible(page)
    shoot(page, "skip-link")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    # From there the first stop is "Start booking".
    assert tab_to(page, "main a.button[href$='/book']") == 1

    # Find my wijkagent: the start page's form.
    tab_to(page, "#postcode")
    page.keyboard.type(resident.postcode)
    tab_once_to(page, "#street")
    page.keyboard.type(resident.street)
    tab_once_to(page, "#number")
    page.keyboard.type(resident.number)
    tab_once_to(page, "form[action$='/officer'] button[type=submit]")
    assert_focus_is_visible(page)
    press_and_load(page, "Enter")
    assert_on(page, "/officer")
    assert resident.officer in page.locator(".panel-result").inner_text()
    looked_at(page, check_axe, shoot, "officer-found")

    # Book with them.
    tab_to(page, ".panel-result a[href*='/book?service=']")
    press_and_load(page, "Enter")
    assert_on(page, "/book/location")  # the answer already knows what and where
    for earlier in ("/book/address", "/book"):  # "Back" up to the first question
        tab_to(page, "a.back-link")
        press_and_load(page, "Enter")
        assert_on(page, earlier)

    # What: the radios, with the arrow keys.
    tab_to(page, "input[name=service]")
    assert focused(page)["value"] == "wijkagent"
    page.keyboard.press("ArrowDown")  # moves to the next service and chooses it
    now = focused(page)
    assert now["value"] != "wijkagent"
    assert now["checked"] is True
    page.keyboard.press("ArrowUp")
    now = focused(page)
    assert (now["value"], now["checked"]) == ("wijkagent", True)
    looked_at(page, check_axe, shoot, "service-chosen")
    tab_once_to(page, "main form button[type=submit]")
    assert_focus_is_visible(page)
    press_and_load(page, "Space")

    # Where do you live.
    assert_on(page, "/book/address")
    tab_to(page, "#postcode")
    page.keyboard.type(resident.postcode)
    tab_once_to(page, "#street")
    page.keyboard.type(resident.street)
    tab_once_to(page, "#number")
    page.keyboard.type(resident.number)
    tab_once_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")

    # Where to meet: the office, chosen with the arrow keys.
    assert_on(page, "/book/location")
    tab_to(page, "input[name=location]")
    assert focused(page)["value"] == "office"
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == "home"
    page.keyboard.press("ArrowUp")
    now = focused(page)
    assert (now["value"], now["checked"]) == ("office", True)
    tab_once_to(page, "main form button[type=submit]")
    press_and_load(page, "Enter")

    # When: the week links, then a moment button.
    assert_on(page, "/book/moment")
    keyboard_to_week(page, week)
    tab_to(page, "button.slot")
    assert_focus_is_visible(page)
    looked_at(page, check_axe, shoot, "moment-focused")
    press_and_load(page, "Enter")

    # Who: name and mobile number.
    assert_on(page, "/book/details")
    tab_to(page, "#name")
    page.keyboard.type("Kevin De Bruyn" if lang == "nl" else "Nadia El Amrani")
    tab_once_to(page, "#phone")
    page.keyboard.type("0486 12 34 56" if lang == "nl" else "0496 65 43 21")
    tab_once_to(page, "#email")
    tab_to(page, "main form button[type=submit]")  # past "How we use your details"
    press_and_load(page, "Enter")

    # Check and confirm.
    assert_on(page, "/book/check")
    tab_to(page, "main form button[type=submit]")
    assert_focus_is_visible(page)
    press_and_load(page, "Enter")
    page.wait_for_url(re.compile(r"/appointment/[^/?]+\?new=1$"))
    assert steps.REFERENCE.match(page.locator(".reference").inner_text().strip())
    assert steps.html_lang(page) == lang
    manage = page.url.split("?")[0]
    looked_at(page, check_axe, shoot, "confirmation")

    # The calendar file.
    tab_to(page, "a[href$='/calendar.ics']")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.path().read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")

    # Move it: the manage page's link, then another moment.
    before = steps.when(page)
    tab_to(page, "a[href$='/move']")
    press_and_load(page, "Enter")
    assert_on(page, manage.removeprefix(live_server.url) + "/move")
    keyboard_to_week(page, week)
    tab_to(page, "button.slot")
    page.keyboard.press("Tab")  # the next moment
    assert is_focused(page, "button.slot")
    press_and_load(page, "Space")
    assert page.url == manage
    assert steps.when(page) != before

    # Cancel it, with a reason, after "are you sure?".
    tab_to(page, "a[href$='/cancel']")
    press_and_load(page, "Enter")
    assert_on(page, manage.removeprefix(live_server.url) + "/cancel")
    tab_to(page, "#reason")
    page.keyboard.type("Op reis" if lang == "nl" else "En voyage")
    tab_once_to(page, "form[action$='/cancel'] button[type=submit]")
    assert_focus_is_visible(page)
    press_and_load(page, "Enter")
    assert page.url == manage
    assert page.locator(".notice").count() == 1  # "This appointment is cancelled." once
    assert page.locator("a[href$='/cancel']").count() == 0
    looked_at(page, check_axe, shoot, "cancelled")
