"""A demo case handler in a real browser, in Dutch and French: invites a citizen (passing through
the form's errors), sees the link open the citizen's booking, withdraws the invitation, then
makes the calendar address and the feed answers. axe and a screenshot on every page and state."""

import re

import pytest
from playwright.sync_api import Page

from app.demo.seed import DEMO_PASSWORD
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

CASE_HANDLER = "GALOP-2001"  # Nathalie Vermeulen, demo zone
PUBLIC_BASE_URL = "http://127.0.0.1:5000"  # the live server's config keeps the default


def _sign_in(page: Page) -> None:
    page.fill("#personnel_number", CASE_HANDLER)
    page.fill("#password", DEMO_PASSWORD)
    steps.submit(page)


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_a_case_handler_invites_a_citizen_and_subscribes_to_the_agenda(
    lang: str, page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    def look(name: str) -> None:
        assert steps.html_lang(page) == lang, f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    page.goto(f"{live_server.url}/staff/invitations?lang={lang}")
    assert_on(page, "/staff/login")
    _sign_in(page)
    assert_on(page, "/staff/invitations")
    look("invitations")

    page.locator("main a[href$='/staff/invitations/new']").click()
    assert_on(page, "/staff/invitations/new")
    today = page.input_value("#valid_from")  # the next 14 days, unless changed
    assert today
    assert page.input_value("#valid_until") > today
    look("new-invitation")

    # Wrong answers first: each told next to its field.
    page.fill("#phone", "02 555 12 12")  # a landline: no SMS reaches it
    page.fill("#dossier_code", "")
    page.fill("#valid_from", "2020-01-01")
    steps.submit(page)
    for field in ("phone", "dossier_code", "valid_from"):
        steps.assert_error_next_to(page, field)
    assert page.input_value("#phone") == "02 555 12 12"  # what was typed is kept
    look("new-invitation-errors")

    page.fill("#phone", "0470 12 34 56")
    page.fill("#dossier_code", f"PV 2026/{lang.upper()}42")
    page.fill("#valid_from", today)
    page.fill("#valid_until", today)  # one day will do
    page.check(f"input[name=language][value={lang}]")
    steps.submit(page)
    assert re.search(r"/staff/invitations/\d+$", page.url), page.url
    code = page.locator("dd.invitation-code").inner_text().strip()
    assert re.fullmatch(r"INV-[2-9A-HJKMNP-Z]{8}", code), code
    link = page.locator("dd.invitation-link").inner_text().strip()
    assert link == f"{PUBLIC_BASE_URL}/invitation?code={code}&lang={lang}"
    sms = page.locator("blockquote.sms-text")
    assert sms.get_attribute("lang") == lang
    assert link in sms.inner_text()
    look("invitation-made")
    detail = page.url

    page.goto(f"{live_server.url}/staff/invitations")
    assert page.locator(f"main a:text-is('{code}')").count() == 1
    look("invitations-with-one")

    # The link opens the citizen's booking with this case handler (not booked here).
    page.goto(link.replace(PUBLIC_BASE_URL, live_server.url))
    assert_on(page, "/book/moment")
    looked_at(page, check_axe, shoot, "citizen-opens-the-link")

    # Withdrawn (also so that no open invitation of this test stays behind in the demo).
    page.goto(detail)
    # The answer comes back to the same address: wait for it, not for the URL (already there).
    with page.expect_navigation():
        page.locator("main form[action$='/withdraw'] button[type=submit]").click()
    assert page.url == detail
    assert page.locator("form[action$='/withdraw']").count() == 0
    assert page.locator(".state-withdrawn").count() == 1
    look("invitation-withdrawn")

    # The calendar subscription, from the staff menu.
    page.locator("nav.staff-menu a[href$='/staff/calendar']").click()
    assert_on(page, "/staff/calendar")
    look("calendar")
    page.locator("main form[action$='/staff/calendar'] button[type=submit]").click()
    url = page.input_value("#feed-url")
    assert url.startswith(f"{PUBLIC_BASE_URL}/staff/calendar/")
    assert url.endswith(".ics")
    look("calendar-address")
    feed = page.request.get(url.replace(PUBLIC_BASE_URL, live_server.url))
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.text().startswith("BEGIN:VCALENDAR")
    page.goto(f"{live_server.url}/staff/calendar")
    assert page.locator("#feed-url").count() == 0  # shown once only
