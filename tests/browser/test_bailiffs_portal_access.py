"""The bailiffs' portal in a real browser, in Dutch and French: signing in with the code of
an authenticator app, accepting an invitation (password and TOTP), making and revoking an
API key; axe and a screenshot of every page."""

import re
import secrets
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from playwright.sync_api import Page

from app.assistance.models import OfficeUser
from scheduling.booking import hash_token
from scheduling.models import BailiffAccount
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import OFFICE_ADMIN, OFFICE_USER, CheckAxe, Shoot, assert_on, looked_at

LANGS = ["nl", "fr"]


def _sign_out_button(page: Page, action: str) -> None:
    with page.expect_navigation():
        page.locator(f"form[action$='/deurwaarder/{action}'] button").click()


@pytest.mark.parametrize("lang", LANGS)
def test_an_office_user_signs_in_with_a_code_and_signs_out_everywhere(
    lang: str, desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = desktop_page
    page.goto(f"{live_server.url}/deurwaarder/?lang={lang}")
    assert_on(page, "/deurwaarder/login")
    assert steps.html_lang(page) == lang
    looked_at(page, check_axe, shoot, "sign-in")

    steps.submit(page)
    steps.assert_error_next_to(page, "email")
    steps.assert_error_next_to(page, "password")
    looked_at(page, check_axe, shoot, "sign-in-empty")

    # An unknown address (a wrong password would lock the demo login after a few runs).
    page.fill("#email", "niemand@example.be")
    page.fill("#password", "not the password")
    steps.submit(page)
    steps.assert_error_next_to(page, "email")
    assert page.input_value("#password") == ""  # never sent back
    looked_at(page, check_axe, shoot, "sign-in-refused")

    with steps.db(live_server) as session, session.begin():
        session.query(OfficeUser).filter_by(email=OFFICE_USER).update({"totp_last_step": None})
    page.fill("#email", OFFICE_USER)
    page.fill("#password", steps.DEMO_PASSWORD)
    steps.submit(page)
    assert_on(page, "/deurwaarder/login/code")
    looked_at(page, check_axe, shoot, "code")
    page.fill("#code", "12")
    steps.submit(page)
    steps.assert_error_next_to(page, "code")
    looked_at(page, check_axe, shoot, "code-malformed")
    page.fill("#code", pyotp.TOTP(steps.DEMO_TOTP_SECRET).now())
    steps.submit(page)
    assert_on(page, "/deurwaarder/")
    assert steps.html_lang(page) == lang
    bar = page.locator(".staff-bar").inner_text()
    assert "Luc De Smet" in bar
    assert "Van Damme" in bar
    # Not an admin: no users or API keys in the menu.
    assert page.locator("nav.staff-menu a[href$='/gebruikers']").count() == 0
    looked_at(page, check_axe, shoot, "home")

    _sign_out_button(page, "logout-everywhere")
    assert_on(page, "/deurwaarder/login")
    assert steps.html_lang(page) == lang
    looked_at(page, check_axe, shoot, "signed-out")
    page.goto(f"{live_server.url}/deurwaarder/")
    assert_on(page, "/deurwaarder/login")


@pytest.mark.parametrize("lang", LANGS)
def test_a_new_user_accepts_the_invitation(
    lang: str, desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = desktop_page
    token = secrets.token_urlsafe(32)
    with steps.db(live_server) as session, session.begin():
        office = session.query(BailiffAccount).filter_by(demo=True).first()
        assert office is not None
        session.add(
            OfficeUser(
                office_id=office.id,
                email=f"nieuw-{lang}-{secrets.token_hex(4)}@vandamme-desmet.example.be",
                name="Sofie Claes",
                language=lang,
                invite_token_hash=hash_token(token),
                invite_expires_at=datetime.now(UTC) + timedelta(days=7),
                created_at=datetime.now(UTC),
            )
        )
    page.goto(f"{live_server.url}/deurwaarder/welkom/{token}?lang={lang}")
    assert steps.html_lang(page) == lang
    looked_at(page, check_axe, shoot, "welcome")
    secret = page.locator("#totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert (page.get_attribute("#totp-uri", "href") or "").startswith("otpauth://totp/")

    steps.submit(page)
    steps.assert_error_next_to(page, "password")
    steps.assert_error_next_to(page, "code")
    looked_at(page, check_axe, shoot, "welcome-empty")
    assert page.locator("#totp-secret").inner_text().strip() == secret  # the one scanned

    password = "lange zin van dertig tekens"
    page.fill("#password", password)
    page.fill("#password_again", password)
    page.fill("#code", pyotp.TOTP(secret).now())
    steps.submit(page)
    assert_on(page, "/deurwaarder/")
    assert "Sofie Claes" in page.locator(".staff-bar").inner_text()
    looked_at(page, check_axe, shoot, "welcomed-home")

    page.goto(f"{live_server.url}/deurwaarder/welkom/{token}")
    looked_at(page, check_axe, shoot, "link-used")
    assert page.locator("main h1").count() == 1
    assert page.locator("main a[href$='/deurwaarder/login']").count() == 1


@pytest.mark.parametrize("lang", LANGS)
def test_an_office_admin_makes_and_revokes_an_api_key(
    lang: str, desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    page = desktop_page
    steps.sign_in_office(page, live_server, OFFICE_ADMIN, f"/deurwaarder/api-sleutels?lang={lang}")
    assert steps.html_lang(page) == lang
    looked_at(page, check_axe, shoot, "tokens")

    steps.submit(page)
    steps.assert_error_next_to(page, "name")
    looked_at(page, check_axe, shoot, "tokens-no-name")

    name = f"Dossiersoftware {lang} {secrets.token_hex(3)}"
    page.fill("#name", name)
    steps.submit(page)
    token = page.locator("#new-token").inner_text().strip()
    assert len(token) > 30
    assert f"Bearer {token}" in page.locator("#new-token-panel").inner_text()
    looked_at(page, check_axe, shoot, "token-made")

    row = page.locator("tr[data-token]", has_text=name)
    assert row.count() == 1
    with page.expect_navigation():
        row.locator("button[name=revoke]").click()
    assert_on(page, "/deurwaarder/api-sleutels")
    assert page.locator("tr[data-token]", has_text=name).count() == 0
    looked_at(page, check_axe, shoot, "token-revoked")

    page.goto(f"{live_server.url}/deurwaarder/gebruikers")
    assert page.locator("tr[data-user]", has_text=OFFICE_USER).count() == 1
    looked_at(page, check_axe, shoot, "users")
