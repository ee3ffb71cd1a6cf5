"""The citizen's booking in a real browser, in Dutch and French, on a phone and a desktop.

One long test per language and viewport: find the wijkagent from the start page, book at the
office (passing through the error states), get the reference and the .ics, then move and
cancel from the manage link. axe checks, and a screenshot records, every page and state.
Then the other ways in: a home visit, the weapons service, an invitation (typed code and link)
and the moment someone else booked meanwhile.
"""

import re

import pytest
from playwright.sync_api import Page

from tests.browser import steps
from tests.browser.conftest import LiveServer, NewPage
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_book_at_the_office_then_move_and_cancel(
    lang: str,
    viewport: str,
    new_page: NewPage,
    live_server: LiveServer,
    check_axe: CheckAxe,
    shoot: Shoot,
) -> None:
    steps.forget_rate_limits(live_server)
    page = new_page(viewport, locale=f"{lang}-BE")
    week = steps.WEEK_FLOW[(lang, viewport)]

    def look(name: str) -> None:
        assert steps.html_lang(page) == lang, f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    # Who is my wijkagent? From the start page's form (the street has the zone's streets).
    page.goto(f"{live_server.url}/?lang={lang}")
    look("home")
    steps.find_officer(page)
    look("officer-found")

    # The answer leads into the booking, what and where already known...
    page.locator(".panel-result a[href*='/book?service=']").click()
    assert_on(page, "/book/location")
    look("location-from-officer")
    # ...and "Back" walks up the questions to the first one.
    page.locator("a.back-link").click()
    assert_on(page, "/book/address")
    page.locator("a.back-link").click()
    assert_on(page, "/book")
    look("service")
    steps.choose_service(page, "wijkagent")

    # The address: first sent empty, then right.
    assert_on(page, "/book/address")
    look("address")
    steps.submit(page)
    for field in ("postcode", "street", "number"):
        steps.assert_error_next_to(page, field)
    look("address-errors")
    steps.enter_address(page)

    assert_on(page, "/book/location")
    assert steps.OFFICER in page.locator("main").inner_text()
    look("location")
    steps.choose_location(page, "office")

    assert_on(page, "/book/moment")
    look("moment")
    steps.go_to_week(page, week)
    look("moment-later-week")
    steps.choose_moment(page, week=week, index=0)

    # Details: a wrong mobile number first; what was typed stays.
    assert_on(page, "/book/details")
    look("details")
    steps.enter_details(page, "Jan Peeters", "12345")
    steps.assert_error_next_to(page, "phone")
    assert page.input_value("#name") == "Jan Peeters"
    assert page.input_value("#phone") == "12345"
    look("details-phone-error")
    steps.enter_details(page, "Jan Peeters", "0470 12 34 56")

    assert_on(page, "/book/check")
    summary = page.locator("dl.summary").inner_text()
    assert "Jan Peeters" in summary
    assert "0470 12 34 56" in summary  # as people write it
    assert steps.OFFICER in summary
    look("check")
    manage = steps.confirm(page)

    # The confirmation: the reference, the language, the calendar file.
    look("confirmation")
    reference = page.locator(".reference").inner_text().strip()
    assert reference in page.locator("dl.summary").inner_text()
    ics = steps.download_ics(page)
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in ics

    # The manage link, later: move to another moment.
    page.goto(manage)
    look("manage")
    before = steps.when(page)
    page.locator(f"a[href='{manage.removeprefix(live_server.url)}/move']").click()
    assert_on(page, manage.removeprefix(live_server.url) + "/move")
    look("move")
    steps.choose_moment(page, week=week, index=1)
    page.wait_for_url(re.compile(re.escape(manage) + "$"))
    assert steps.when(page) != before
    assert page.locator(".notice-success").is_visible()
    look("moved")
    assert steps.download_ics(page).startswith("BEGIN:VCALENDAR")

    # ...and cancel it, with a reason, after "are you sure?".
    page.locator("a[href$='/cancel']").click()
    assert_on(page, manage.removeprefix(live_server.url) + "/cancel")
    look("cancel-question")
    page.fill("#reason", "Ik ben ziek" if lang == "nl" else "Je suis malade")
    page.locator("form[action$='/cancel'] button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(manage) + "$"))
    assert page.locator(".notice").count() == 1  # "This appointment is cancelled." once
    assert page.locator(".notice a[href*='/book?service=']").is_visible()  # book again
    assert page.locator("a[href$='/cancel']").count() == 0
    assert page.locator("a[href$='/move']").count() == 0
    assert steps.html_lang(page) == lang
    look("cancelled")


def test_book_a_home_visit(
    desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    steps.forget_rate_limits(live_server)
    page = desktop_page
    page.goto(f"{live_server.url}/book?lang=nl")
    steps.choose_service(page, "wijkagent")
    steps.enter_address(page, street="plaats")  # case does not matter
    page.check("input[name=location][value=home]")
    looked_at(page, check_axe, shoot, "location-home")
    steps.submit(page)
    steps.choose_moment(page, week=steps.WEEK_HOME_VISIT, index=0)
    steps.enter_details(page, "Marleen Vandenbergh", "0472 11 22 33")
    assert_on(page, "/book/check")
    where = page.locator("dl.summary").inner_text()
    assert "plaats 1, 1547" in where.lower()
    looked_at(page, check_axe, shoot, "check-home")
    steps.confirm(page)
    assert "plaats 1, 1547" in page.locator("dl.summary").inner_text().lower()
    assert steps.html_lang(page) == "nl"
    looked_at(page, check_axe, shoot, "confirmation-home")


def test_book_the_weapons_service(
    phone_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    """A team service at one place: no address and no place to choose."""
    steps.forget_rate_limits(live_server)
    page = phone_page
    page.goto(f"{live_server.url}/book?lang=fr")
    steps.choose_service(page, "wapens")
    assert_on(page, "/book/moment")
    looked_at(page, check_axe, shoot, "moment-weapons")
    steps.choose_moment(page, week=steps.WEEK_WEAPONS, index=0)
    steps.enter_details(page, "Sophie Lambert", "0475 98 76 54")
    assert_on(page, "/book/check")
    assert page.locator("a[href$='/book/address']").count() == 0  # no address asked
    looked_at(page, check_axe, shoot, "check-weapons")
    steps.confirm(page)
    assert steps.html_lang(page) == "fr"
    looked_at(page, check_axe, shoot, "confirmation-weapons")
    assert steps.download_ics(page).startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("way", ["typed", "link"])
def test_book_with_an_invitation(
    way: str,
    desktop_page: Page,
    live_server: LiveServer,
    check_axe: CheckAxe,
    shoot: Shoot,
) -> None:
    steps.forget_rate_limits(live_server)
    page = desktop_page
    # The seed's open invitation when typed, a fresh one with another case handler as a link:
    # the two never compete for a moment.
    if way == "typed":
        code, week = steps.seeded_invitation(live_server), steps.WEEK_INVITATION_TYPED
    else:
        code, week = steps.new_invitation(live_server, "GALOP-2002"), steps.WEEK_INVITATION_LINK
    if way == "typed":
        page.goto(f"{live_server.url}/invitation?lang=nl")
        looked_at(page, check_axe, shoot, "invitation")
        page.fill("#code", code.lower())  # typed as people type it
        steps.submit(page)
    else:
        page.goto(f"{live_server.url}/invitation?code={code}&lang=nl")
    assert_on(page, "/book/moment")
    looked_at(page, check_axe, shoot, "moment-invitation")
    steps.choose_moment(page, week=week, index=0)
    steps.enter_details(page, "Wouter Van Eeckhout", "0477 55 44 33")
    assert_on(page, "/book/check")
    # An invitation is for one service: nothing to change there.
    assert page.locator("a[href$='/book']").count() == 0
    looked_at(page, check_axe, shoot, "check-invitation")
    steps.confirm(page)
    looked_at(page, check_axe, shoot, "confirmation-invitation")


def test_a_moment_taken_meanwhile_is_explained_and_the_details_kept(
    new_page: NewPage, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    steps.forget_rate_limits(live_server)
    first, second = new_page("desktop"), new_page("phone", locale="fr-BE")
    moment = ""
    for page, lang, name, phone in (
        (first, "nl", "Dirk Van Ransbeeck", "0478 10 20 30"),
        (second, "fr", "Isabelle Delcourt", "0479 40 50 60"),
    ):
        page.goto(f"{live_server.url}/book?lang={lang}")
        steps.choose_service(page, "wijkagent")
        steps.enter_address(page)
        steps.choose_location(page, "office")
        moment = steps.choose_moment(page, week=steps.WEEK_TAKEN, index=0, value=moment or None)
        steps.enter_details(page, name, phone)
        assert_on(page, "/book/check")

    steps.confirm(first)

    steps.submit(second)
    second.wait_for_url(re.compile(r"/book/moment$"))
    notice = second.locator(".notice-error[role=alert]")
    assert notice.is_visible()
    assert moment not in steps.slot_buttons(second)
    assert steps.html_lang(second) == "fr"
    looked_at(second, check_axe, shoot, "moment-taken")

    # Another moment leads straight back to the check: name and number were kept.
    steps.choose_moment(second, week=steps.WEEK_TAKEN, index=0)
    assert_on(second, "/book/check")
    summary = second.locator("dl.summary").inner_text()
    assert "Isabelle Delcourt" in summary
    assert "0479 40 50 60" in summary  # as people write it
    steps.confirm(second)
    looked_at(second, check_axe, shoot, "booked-after-all")
