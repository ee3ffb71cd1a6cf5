"""The bailiffs' portal in a real browser, in Dutch (desktop) and French (phone): request
assistance at an address in Gooik (first sent incomplete), the first moments, book one, the
booking's page, move it, cancel it, the office's list and its calendar page. axe checks,
and a screenshot records, every page and state.

The demo office's users sign in through the pages (password, then the authenticator's
code). Each language searches in weeks of its own, so the two never
compete for the demo team's moments.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import Page

from app import current
from tests.browser import steps
from tests.browser.conftest import LiveServer, NewPage
from tests.browser.steps import CheckAxe, Shoot, looked_at

USERS = {"nl": "griet@vandamme-desmet.example.be", "fr": "luc@vandamme-desmet.example.be"}
WEEKS_AHEAD = {"nl": 3, "fr": 5}  # the demo service books up to 90 days ahead
VIEWPORT = {"nl": "desktop", "fr": "phone"}


def _press(page: Page, selector: str) -> None:
    with page.expect_navigation(wait_until="load", timeout=15_000):
        page.locator(selector).first.click()


def _window(lang: str, live_server: LiveServer) -> tuple[str, str]:
    with live_server.app.app_context():
        today = current.now().astimezone(current.zone()).date()
    first = today + timedelta(weeks=WEEKS_AHEAD[lang])
    return first.isoformat(), (first + timedelta(days=6)).isoformat()


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_request_book_move_and_cancel_assistance(
    lang: str, new_page: NewPage, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    steps.forget_rate_limits(live_server)
    page = new_page(VIEWPORT[lang], locale=f"{lang}-BE")

    def look(name: str) -> None:
        assert steps.html_lang(page) == lang, f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    steps.sign_in_office(page, live_server, USERS[lang], f"/deurwaarder/aanvraag?lang={lang}")
    look("request")

    # Sent without an address or answers: each error next to its field.
    _press(page, "button[name=search]")
    for field in ("postcode", "street", "number", "file_reference", "execution_kind"):
        steps.assert_error_next_to(page, field)
    assert page.locator("#weapons-error").is_visible()
    look("request-errors")

    # Filled in: an address in Gooik, two officers for two hours, the risk answers.
    first_day, last_day = _window(lang, live_server)
    page.fill("#postcode", "1755")
    page.fill("#street", "Dorpstraat")
    page.fill("#number", "12")
    page.fill("#file_reference", f"BROWSER-{lang}")
    page.select_option("#execution_kind", "eviction")
    for name in ("known_aggression", "weapons", "vulnerable_persons", "interpreter_needed"):
        page.check(f"#{name}-no")
    page.check("#dogs")
    page.fill("#notes", "Hond in de tuin.")
    page.fill("#first_day", first_day)
    page.fill("#last_day", last_day)
    _press(page, "button[name=search]")
    moments = page.locator("button[name=start]")
    assert moments.count() >= 2, "the demo team has two moments a day on three days a week"
    assert page.locator("#file_reference").input_value() == f"BROWSER-{lang}"
    look("first-moments")

    # Booked: the booking's own page.
    _press(page, "button[name=start]")
    assert "/deurwaarder/boekingen/" in page.url
    assert f"BROWSER-{lang}" in page.locator("main").inner_text()
    look("booked")

    # Moved: the first moments for the same request in the same week, the next one chosen.
    move = page.locator("form[action$='/verplaatsen']")
    move.locator("#first_day").fill(first_day)
    move.locator("#last_day").fill(last_day)
    _press(page, "form[action$='/verplaatsen'] button:not([name=start])")
    look("move-moments")
    before = page.locator("dl.summary dd").first.inner_text()
    _press(page, "form[action$='/verplaatsen'] button[name=start]")
    assert "/deurwaarder/boekingen/" in page.url
    assert page.locator("dl.summary dd").first.inner_text() != before
    look("moved")

    # Cancelled, with a reason.
    page.fill("#reason", "Schuldenaar heeft betaald.")
    _press(page, "form[action$='/annuleren'] button")
    assert page.locator("form[action$='/annuleren']").count() == 0
    look("cancelled")

    # The office's list and its calendar page.
    page.goto(f"{live_server.url}/deurwaarder/")
    assert f"BROWSER-{lang}" in page.locator("main").inner_text()
    look("bookings")
    page.goto(f"{live_server.url}/deurwaarder/agenda")
    look("calendar")
    _press(page, "form[action$='/agenda'] button")
    assert "/deurwaarder/agenda/" in page.locator("#feed-url").input_value()
    look("calendar-address")
