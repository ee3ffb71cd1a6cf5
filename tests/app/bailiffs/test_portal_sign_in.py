"""Signing in to the bailiffs' portal over HTTP: password then TOTP code always, one refusal
for every wrong case, lockout, rate limits, sign-out (here and everywhere), safe ``next``,
demo logins, /huissier. Every test runs on SQLite and PostgreSQL."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.assistance.models import OfficeUser
from app.passwords import LOCKOUT, MAX_FAILURES
from app.ratelimit import LIMITS
from scheduling.models import AuditEntry
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, make_bailiff
from tests.office_login import (
    CODE,
    HOME,
    LOGIN,
    make_office_user,
    post_code,
    post_login,
    post_on,
    sign_in_office,
)

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
REFUSED = "The e-mail address or password is not right."


def _error(html: str, field: str) -> str | None:
    found = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else None


def _signed_in(client) -> bool:
    answer = client.get(HOME)
    if answer.status_code == 302:
        assert answer.location.startswith(LOGIN)
        return False
    assert answer.status_code == 200
    return True


def _user(session, user: OfficeUser) -> OfficeUser:
    session.expire_all()  # the app wrote through its own session
    return session.get_one(OfficeUser, user.id)


def _wrong_code(at: datetime) -> str:
    totp = pyotp.TOTP(TEST_TOTP_SECRET)
    valid = {totp.at(at + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _browser(app, address: str = "127.0.0.1"):
    """Another browser (in English), from ``address``."""
    browser = app.test_client()
    browser.environ_base.update(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)
    return browser


@pytest.fixture
def office(session):
    return make_bailiff(session, name="Gerechtsdeurwaarders Peeters")


@pytest.fixture
def user(session, office):
    made = make_office_user(session, office, name="Griet Peeters", email="griet@peeters.be")
    session.commit()
    return made


@pytest.fixture
def demo_mode(app, monkeypatch):
    config = app.config["BLAUWLIJN"]

    def switch(on: bool) -> None:
        monkeypatch.setitem(app.config, "BLAUWLIJN", replace(config, demo_mode=on))

    return switch


def test_password_then_code_signs_in_and_shows_office_and_user(client, session, user):
    with freeze_time(NOW):
        assert not _signed_in(client)
        answer = post_login(client, " GRIET@peeters.be ", TEST_PASSWORD)  # case, spaces forgiven
        assert answer.location == CODE
        assert not _signed_in(client)  # half signed in opens nothing
        assert post_code(client, pyotp.TOTP(TEST_TOTP_SECRET).at(NOW)).location == HOME
        page = client.get(HOME).get_data(as_text=True)
    assert "Gerechtsdeurwaarders Peeters" in page
    assert "Griet Peeters" in page
    assert _user(session, user).last_login_at == NOW
    assert "office_user.signed_in" in session.scalars(select(AuditEntry.action)).all()


def test_every_refusal_of_a_password_reads_the_same(client, session, office, user, demo_mode):
    removed = make_office_user(session, office, email="weg@peeters.be", active=False)
    invited = make_office_user(session, office, email="nieuw@peeters.be", password_hash=None)
    demo = make_office_user(session, office, email="demo@peeters.be", demo=True)
    closed = make_bailiff(session, token="closed-token", active=False)
    of_closed = make_office_user(session, closed, email="dicht@kantoor.be")
    session.commit()
    demo_mode(False)
    pages = []
    for email, password in (
        (user.email, "wrong password"),
        ("niemand@peeters.be", TEST_PASSWORD),
        (removed.email, TEST_PASSWORD),
        (invited.email, TEST_PASSWORD),
        (demo.email, TEST_PASSWORD),
        (of_closed.email, TEST_PASSWORD),
    ):
        answer = post_login(client, email, password)
        assert answer.status_code == 200, email
        html = answer.get_data(as_text=True)
        assert REFUSED in (_error(html, "email") or ""), email
        assert "paused for 15 minutes" in html
        html = html.replace(f'value="{email}"', 'value="E"')
        pages.append(re.sub(r'name="csrf_token" value="[^"]+"', "", html))
    assert all(page == pages[0] for page in pages)


def test_empty_fields_are_named(client, user):
    html = post_login(client, "", "").get_data(as_text=True)
    assert (_error(html, "email") or "").endswith("Enter your e-mail address.")
    assert (_error(html, "password") or "").endswith("Enter your password.")


def test_a_wrong_code_and_a_reused_code_are_refused(client, session, user):
    with freeze_time(NOW) as clock:
        post_login(client, user.email, TEST_PASSWORD)
        html = post_code(client, _wrong_code(NOW)).get_data(as_text=True)
        assert "This code is not right" in (_error(html, "code") or "")
        html = post_code(client, "12ab").get_data(as_text=True)
        assert "6-digit" in (_error(html, "code") or "")
        code = pyotp.TOTP(TEST_TOTP_SECRET).at(NOW)
        assert post_code(client, code).location == HOME
        post_on(client, "/deurwaarder/logout")
        clock.tick(timedelta(seconds=5))
        post_login(client, user.email, TEST_PASSWORD)
        html = post_code(client, code).get_data(as_text=True)  # the same code: once only
        assert "This code is not right" in (_error(html, "code") or "")
        assert not _signed_in(client)


def test_five_wrong_passwords_lock_for_fifteen_minutes(client, session, user):
    with freeze_time(NOW) as clock:
        for _ in range(MAX_FAILURES):
            assert REFUSED in post_login(client, user.email, "wrong").get_data(as_text=True)
        assert _user(session, user).locked_until == NOW + LOCKOUT
        locked = post_login(client, user.email, TEST_PASSWORD).get_data(as_text=True)
        unknown = post_login(client, "x@y.be", TEST_PASSWORD).get_data(as_text=True)
        assert _error(locked, "email") == _error(unknown, "email")
        clock.tick(LOCKOUT + timedelta(seconds=1))
        assert post_login(client, user.email, TEST_PASSWORD).location == CODE


def test_wrong_codes_lock_too_and_a_right_password_does_not_clear_them(client, session, user):
    with freeze_time(NOW):
        for _ in range(MAX_FAILURES - 1):
            post_login(client, user.email, TEST_PASSWORD)
            post_code(client, _wrong_code(NOW))
        post_login(client, user.email, TEST_PASSWORD)
        answer = post_code(client, _wrong_code(NOW))
        assert answer.location == LOGIN  # locked: back to the start, told in the same words
        assert REFUSED in client.get(LOGIN).get_data(as_text=True)
        assert _user(session, user).locked_until == NOW + LOCKOUT
        assert post_login(client, user.email, TEST_PASSWORD).status_code == 200


def test_wrong_tries_are_limited_per_address_and_per_email(app, session, user):
    with freeze_time(NOW):
        guesser = _browser(app, "192.0.2.10")
        for n in range(LIMITS["office-sign-in-ip"]):
            assert post_login(guesser, f"gok{n}@x.be", "guess").status_code == 200
        assert post_login(guesser, "gok@x.be", "guess").status_code == 429
        # A right password still gets through from that address.
        assert post_login(guesser, user.email, TEST_PASSWORD).location == CODE

        for n in range(LIMITS["office-sign-in-email"]):
            other = _browser(app, f"198.51.100.{n + 1}")
            assert post_login(other, "target@x.be", "guess").status_code == 200
        last = _browser(app, "203.0.113.1")
        assert post_login(last, "target@x.be", "guess").status_code == 429


def test_sign_out_ends_this_session_and_sign_out_everywhere_every_session(app, session, user):
    with freeze_time(NOW) as clock:
        laptop, phone = _browser(app), _browser(app)
        sign_in_office(laptop, user)
        clock.tick(timedelta(seconds=30))
        sign_in_office(phone, user)
        post_on(laptop, "/deurwaarder/logout")
        assert not _signed_in(laptop)
        assert _signed_in(phone)
        clock.tick(timedelta(seconds=30))
        sign_in_office(laptop, user)
        answer = post_on(laptop, "/deurwaarder/logout-everywhere")
        assert answer.location == LOGIN
        assert not _signed_in(laptop)
        assert not _signed_in(phone)
        assert "Your session has ended" in phone.get(LOGIN).get_data(as_text=True)


def test_a_removed_user_or_closed_office_is_signed_out_at_the_next_page(client, session, user):
    with freeze_time(NOW):
        sign_in_office(client, user)
        _user(session, user).office.active = False
        session.commit()
        assert not _signed_in(client)


def test_next_is_followed_only_within_the_site(client, session, user):
    with freeze_time(NOW) as clock:
        assert client.get("/deurwaarder/?x=1").location == f"{LOGIN}?next=/deurwaarder/?x%3D1"
        post_login(client, user.email, TEST_PASSWORD, next_url="/deurwaarder/?x=1")
        assert post_code(client, pyotp.TOTP(TEST_TOTP_SECRET).now()).location == "/deurwaarder/?x=1"
        post_on(client, "/deurwaarder/logout")
        clock.tick(timedelta(seconds=30))
        post_login(client, user.email, TEST_PASSWORD, next_url="https://evil.example/")
        assert post_code(client, pyotp.TOTP(TEST_TOTP_SECRET).now()).location == HOME


def test_demo_logins_work_only_in_demo_mode(client, session, office, demo_mode):
    demo = make_office_user(session, office, demo=True)
    session.commit()
    with freeze_time(NOW):
        demo_mode(True)
        sign_in_office(client, demo)
        assert _signed_in(client)
        demo_mode(False)  # a demo session ends with demo mode too
        assert not _signed_in(client)


def test_huissier_leads_to_the_portal_in_french(client):
    answer = client.get("/huissier")
    assert answer.status_code == 302
    assert answer.location == "/deurwaarder/?lang=fr"
    login = client.get(answer.location)
    assert login.location.startswith(LOGIN)
    page = client.get(login.location).get_data(as_text=True)
    assert '<html lang="fr">' in page
