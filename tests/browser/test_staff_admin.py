"""The demo admin in a real browser: signs in with the authenticator code, goes through every
managers' page, gives a district another stand-in, an office other opening hours and a
service another cancellation cut-off, and makes and revokes an Open311 client's key (passing
through the forms' errors). axe and a screenshot on every page and state.

The live server's demo data is shared by every browser test: what this test changes is put
back at the end, whatever happens."""

import re
from collections.abc import Iterator

import pyotp
import pytest
from playwright.sync_api import Page
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from app.reports.models import Open311Client
from scheduling.models import District, Service, Site
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

ADMIN = "GALOP-5002"  # Luc Michiels, demo zone
DISTRICT = "Gooik-Centrum en Leerbeek"
SERVICE = "wapens"
SITE = "Politiehuis Pajottenland"
OPEN311_CLIENT = "Browser test: reporting app"


@pytest.fixture
def restored(live_server: LiveServer) -> Iterator[None]:
    """Put the district's stand-in, the office's hours and the service's cut-off back after
    the test."""
    engine = live_server.app.extensions["db_engine"]
    with Session(engine) as session:
        district = session.scalars(select(District).where(District.name == DISTRICT)).one()
        service = session.scalars(select(Service).where(Service.code == SERVICE)).one()
        site = session.scalars(select(Site).where(Site.name == SITE)).one()
        standin_id, cutoff = district.standin_id, service.cancel_cutoff_minutes
        hours = site.hours
    yield
    with Session(engine) as session, session.begin():
        district = session.scalars(select(District).where(District.name == DISTRICT)).one()
        service = session.scalars(select(Service).where(Service.code == SERVICE)).one()
        site = session.scalars(select(Site).where(Site.name == SITE)).one()
        district.standin_id, service.cancel_cutoff_minutes = standin_id, cutoff
        site.hours = hours
        session.execute(delete(Open311Client).where(Open311Client.name == OPEN311_CLIENT))


def _row_link(page: Page, text: str) -> None:
    page.locator("main table a", has_text=text).first.click()


def test_an_admin_changes_a_stand_in_and_a_rule(
    desktop_page: Page,
    live_server: LiveServer,
    check_axe: CheckAxe,
    shoot: Shoot,
    restored: None,
) -> None:
    page = desktop_page

    def look(name: str) -> None:
        assert steps.html_lang(page) == "en", f"html[lang] on {name}"
        looked_at(page, check_axe, shoot, name)

    page.goto(f"{live_server.url}/staff/admin/staff?lang=en")
    assert_on(page, "/staff/login")
    page.fill("#personnel_number", ADMIN)
    page.fill("#password", DEMO_PASSWORD)
    steps.submit(page)
    assert_on(page, "/staff/login/code")
    page.fill("#code", pyotp.TOTP(DEMO_TOTP_SECRET).now())
    steps.submit(page)
    assert_on(page, "/staff/admin/staff")
    look("staff")

    _row_link(page, "Geert Demol")
    look("staff-member")

    # A district: the stand-in cannot be the officer; then another neighbourhood officer.
    page.locator("nav.admin-nav a[href$='/staff/admin/districts']").click()
    assert_on(page, "/staff/admin/districts")
    look("districts")
    _row_link(page, DISTRICT)
    district_url = page.url
    look("district")
    officer = page.input_value("#officer")
    page.select_option("#standin", officer)
    page.locator("#save-district").click()
    page.locator("#standin-error").wait_for()  # the answer has come
    steps.assert_error_next_to(page, "standin")
    look("district-errors")
    choices = page.locator("#standin option").evaluate_all("os => os.map(o => o.value)")
    before = page.input_value("#standin")
    other = next(v for v in choices if v and v not in (officer, before))
    page.select_option("#standin", other)
    page.locator("#save-district").click()
    page.locator(".notice-success").wait_for()
    assert page.url == district_url
    assert page.input_value("#standin") == other
    look("district-saved")

    page.locator("nav.admin-nav a[href$='/staff/admin/sites']").click()
    look("sites")
    _row_link(page, SITE)
    site_url = page.url
    look("site")
    # An office's hours: a Saturday that closes before it opens, then a Saturday morning.
    page.fill("#hours_5", "12:00-09:00")
    steps.submit(page)
    assert page.url == site_url
    steps.assert_error_next_to(page, "hours_5")
    assert page.input_value("#hours_5") == "12:00-09:00"
    look("site-errors")
    page.fill("#hours_5", "09:00-12:00")
    steps.submit(page)
    assert_on(page, "/staff/admin/sites")
    assert "Mon–Fri 08:00–16:30; Sat 09:00–12:00" in page.locator("main table").inner_text()
    look("sites-saved")

    # A service: a nonsense cut-off first, then a new one, seen in the list.
    page.locator("nav.admin-nav a[href$='/staff/admin/services']").click()
    look("services")
    page.locator("main table tr", has_text=SERVICE).locator("a").click()
    look("service")
    page.fill("#cancel_cutoff_minutes", "-1")
    steps.submit(page)
    page.locator("#cancel_cutoff_minutes-error").wait_for()
    steps.assert_error_next_to(page, "cancel_cutoff_minutes")
    assert page.input_value("#cancel_cutoff_minutes") == "-1"
    look("service-errors")
    page.fill("#cancel_cutoff_minutes", "36")
    page.select_option("#cancel_cutoff_minutes_unit", label="hours")
    steps.submit(page)
    page.wait_for_url(re.compile(r"/staff/admin/services$"))
    assert "36 hours" in page.locator("main table tr", has_text=SERVICE).inner_text()
    look("services-saved")

    page.locator("nav.admin-nav a[href$='/staff/admin/absences']").click()
    look("absences")
    page.locator("nav.admin-nav a[href$='/staff/admin/galop']").click()
    look("galop")
    page.locator("nav.admin-nav a[href$='/staff/admin/messages']").click()
    assert_on(page, "/staff/admin/messages")
    look("messages")

    # An Open311 client: no name first, then a key shown once, then revoked.
    page.locator("nav.admin-nav a[href$='/staff/admin/open311-clients']").click()
    assert_on(page, "/staff/admin/open311-clients")
    look("open311-clients")
    steps.submit(page)
    steps.assert_error_next_to(page, "name")
    look("open311-clients-errors")
    page.fill("#name", OPEN311_CLIENT)
    steps.submit(page)
    assert len(page.locator("main code").inner_text()) >= 43  # the key, this once
    look("open311-client-key")
    with page.expect_navigation():
        page.get_by_role("button", name=f"Revoke the key of {OPEN311_CLIENT}").click()
    assert page.locator("main code").count() == 0
    assert page.get_by_role("button", name=f"Revoke the key of {OPEN311_CLIENT}").count() == 0
    look("open311-client-revoked")
