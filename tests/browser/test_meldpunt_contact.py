"""The contact form in a real browser: a question sent empty (each field says what it needs),
then sent, its confirmation with the date the zone answers by, and its status page — adding
information and withdrawing it; axe on every page, on a phone and a desktop, in the three
languages; the whole way with the keyboard alone; and a sensitive report's status page."""

import re
from datetime import UTC, datetime
from itertools import count

import pytest
from playwright.sync_api import Page

from app.reports import commands
from app.reports.commands import Submission
from tests.browser import steps
from tests.browser.conftest import LiveServer, NewPage
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

QUESTION = "Kan ik mijn fiets laten graveren?"
DONE = {
    "nl": "Uw vraag is verstuurd",
    "fr": "Votre question a été envoyée",
    "en": "Your question has been sent",
}
ANSWER_BY = {
    "nl": "We antwoorden uiterlijk op",
    "fr": "Nous répondons au plus tard le",
    "en": "We answer by",
}
_numbers = count(10)


def mobile() -> str:
    """A new number per question: the form allows three questions per number an hour."""
    return f"0470 55 66 {next(_numbers):02d}"


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_a_question_from_form_to_status_page(
    lang: str, page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    steps.forget_rate_limits(live_server)
    page.goto(f"{live_server.url}/contact?lang={lang}")
    assert steps.html_lang(page) == lang
    looked_at(page, check_axe, shoot, "contact")

    steps.submit(page)  # sent empty
    assert_on(page, "/contact")
    for field in ("question", "phone", "name"):
        steps.assert_error_next_to(page, field)
    looked_at(page, check_axe, shoot, "contact-errors")

    page.fill("#question", QUESTION)
    page.fill("#phone", mobile())
    page.fill("#name", "An Peeters")
    steps.submit(page)
    assert_on(page, "/contact/done")
    assert DONE[lang] in page.locator("h1").inner_text()
    number = page.locator(".reference").inner_text()
    assert re.fullmatch(r"V-\d{4}-\d{6}", number)
    assert ANSWER_BY[lang] in page.locator("main").inner_text()
    looked_at(page, check_axe, shoot, "contact-done")

    with page.expect_navigation():
        page.locator("main a[href*='/status/']").click()
    assert number in page.locator("main").inner_text()
    assert QUESTION in page.locator("main").inner_text()
    looked_at(page, check_axe, shoot, "status")

    page.fill("#text", "Het is een elektrische fiets.")
    steps.submit(page)
    assert "Het is een elektrische fiets." in page.locator(".history").inner_text()
    looked_at(page, check_axe, shoot, "status-added")

    with page.expect_navigation():
        page.locator("main a[href$='/withdraw']").click()
    looked_at(page, check_axe, shoot, "status-withdraw")
    steps.submit(page)
    assert page.locator("#text").count() == 0  # withdrawn: nothing more to add
    looked_at(page, check_axe, shoot, "status-withdrawn")


def _focused_is(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement.matches(s)", selector))


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _focused_is(page, selector):
            return
    raise AssertionError(f"{selector!r} never got the focus")


def _press_and_load(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


@pytest.mark.parametrize(("lang", "viewport"), [("fr", "phone"), ("nl", "desktop")])
def test_a_question_with_the_keyboard_alone(
    lang: str,
    viewport: str,
    new_page: NewPage,
    live_server: LiveServer,
    check_axe: CheckAxe,
    shoot: Shoot,
) -> None:
    steps.forget_rate_limits(live_server)
    page = new_page(viewport, locale=f"{lang}-BE")
    page.goto(f"{live_server.url}/contact?lang={lang}")

    _tab_to(page, "#question")
    page.keyboard.type(QUESTION)
    _tab_to(page, "input[name=answer_by]")  # the chosen way is the group's one stop
    page.keyboard.press("Space")
    _tab_to(page, "#phone")
    page.keyboard.type(mobile())
    _tab_to(page, "#name")
    page.keyboard.type("An Peeters")
    _tab_to(page, "main form button[type=submit]")
    _press_and_load(page, "Enter")
    assert_on(page, "/contact/done")
    looked_at(page, check_axe, shoot, "keyboard-done")

    _tab_to(page, "main a[href*='/status/']")
    _press_and_load(page, "Enter")
    assert QUESTION in page.locator("main").inner_text()

    _tab_to(page, "#text")
    page.keyboard.type("Nog een vraag erbij.")
    _tab_to(page, "form[action$='/add'] button[type=submit]")
    _press_and_load(page, "Enter")
    assert "Nog een vraag erbij." in page.locator(".history").inner_text()
    looked_at(page, check_axe, shoot, "keyboard-status")


def test_a_sensitive_report_s_status_page_names_nothing(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    config = live_server.app.config["BLAUWLIJN"]
    with steps.db(live_server) as session, session.begin():
        submitted = commands.submit_report(
            session,
            Submission(category_code="radicalisation", description="Mijn neef radicaliseert"),
            now=datetime.now(UTC),
            zone=config.zone,
        )
        token = submitted.status_token
    page.goto(f"{live_server.url}/status/{token}?lang=nl")
    assert page.title().startswith("Uw bericht aan de politie")
    assert "adicali" not in page.content()
    leave = page.locator("main a[rel=noreferrer]")
    assert leave.get_attribute("href") == config.quick_exit_url
    assert leave.is_visible()
    looked_at(page, check_axe, shoot, "status-sensitive")
