"""Staff sign-in over HTTP: passwords, lockout, new sessions, timeouts, sign-out, TOTP, demo
logins and safe ``next`` links. Every test runs on SQLite and PostgreSQL."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from freezegun import freeze_time
from sqlalchemy import delete, func, select

from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from app.ratelimit import LIMITS
from app.security import safe_next
from app.staff.credentials import LOCKOUT, MAX_FAILURES, set_password
from app.staff.models import StaffCredential
from app.staff.sessions import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, SECOND_STEP_TIMEOUT
from app.staff.sign_in import IP_BUCKET
from scheduling.enums import Role
from scheduling.models import AuditEntry
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, make_credential, make_staff
from tests.staff_login import (
    CODE,
    LOGIN,
    csrf_of,
    post_code,
    post_login,
    sign_in,
    sign_out,
)

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)  # Tuesday 09:00 in Brussels
HOME = "/staff/"
REFUSED = "The personnel number or password is not right."


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


def _wrong_code(secret: str, at: datetime) -> str:
    """A well-formed code that is valid in none of the accepted time steps."""
    totp = pyotp.TOTP(secret)
    valid = {totp.at(at + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


@pytest.fixture(autouse=True)
def english(client):
    """The texts below are the English msgids; the pages default to Dutch."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def officer(session):
    staff = make_staff(session, personnel_number="GALOP-1001", name="Inspecteur Wouters")
    make_credential(session, staff)
    return staff


@pytest.fixture
def supervisor(session):
    staff = make_staff(
        session, personnel_number="GALOP-5001", name="Ann Vandenbroucke", roles=(Role.SUPERVISOR,)
    )
    make_credential(session, staff, totp_secret=TEST_TOTP_SECRET)
    return staff


def _credential(session, staff) -> StaffCredential:
    session.expire_all()  # the app wrote through its own session
    credential = session.get(StaffCredential, staff.id)
    assert credential is not None
    return credential


# --- Password ------------------------------------------------------------------------------


def test_sign_in_shows_who_and_what_their_roles_open(client, officer, session):
    assert not _signed_in(client)
    answer = post_login(client, "galop-1001 ", TEST_PASSWORD)  # case and spaces forgiven
    assert answer.status_code == 302
    assert answer.location == HOME
    page = client.get(HOME).get_data(as_text=True)
    assert "Inspecteur Wouters" in page
    assert "GALOP-1001" in page
    assert "My agenda" in page
    assert "Staff and districts" not in page  # a supervisor's section
    assert client.get(HOME).headers["Cache-Control"] == "no-store"
    actions = session.scalars(select(AuditEntry.action)).all()
    assert "staff.signed_in" in actions
    assert _credential(session, officer).last_login_at is not None


def test_wrong_password_unknown_number_and_inactive_staff_get_the_same_answer(
    client, officer, session
):
    inactive = make_staff(session, personnel_number="GALOP-1002", active=False)
    make_credential(session, inactive)
    no_password = make_staff(session, personnel_number="GALOP-1003")

    pages = []
    for number, password in (
        ("GALOP-1001", "wrong password"),
        ("GALOP-9999", "wrong password"),
        ("GALOP-1002", TEST_PASSWORD),
        ("GALOP-1003", TEST_PASSWORD),
    ):
        answer = post_login(client, number, password)
        assert answer.status_code == 200
        html = answer.get_data(as_text=True)
        assert REFUSED in (_error(html, "personnel_number") or "")
        assert password not in html  # never echoed
        # Apart from the number typed and the CSRF token, the pages are the same.
        html = html.replace(f'value="{number}"', 'value="NUMBER"')
        pages.append(re.sub(r'name="csrf_token" value="[^"]+"', "", html))
        assert not _signed_in(client)
    assert all(page == pages[0] for page in pages)
    assert no_password.id  # staff without a credential exist, and still learn nothing


def test_empty_fields_are_named_next_to_each_field(client, officer):
    html = post_login(client, "", "").get_data(as_text=True)
    assert (_error(html, "personnel_number") or "").endswith("Enter your personnel number.")
    assert (_error(html, "password") or "").endswith("Enter your password.")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client, officer, session):
    with freeze_time(NOW) as clock:
        for _ in range(MAX_FAILURES):
            assert REFUSED in post_login(client, "GALOP-1001", "wrong").get_data(as_text=True)
        assert _credential(session, officer).locked_until == NOW + LOCKOUT

        # Locked: even the right password is refused, in the same words as an unknown number.
        locked = post_login(client, "GALOP-1001", TEST_PASSWORD).get_data(as_text=True)
        unknown = post_login(client, "GALOP-9999", TEST_PASSWORD).get_data(as_text=True)
        assert _error(locked, "personnel_number") == _error(unknown, "personnel_number")
        assert not _signed_in(client)

        clock.tick(LOCKOUT - timedelta(seconds=1))
        post_login(client, "GALOP-1001", TEST_PASSWORD)
        assert not _signed_in(client)

        clock.tick(timedelta(seconds=2))
        assert post_login(client, "GALOP-1001", TEST_PASSWORD).status_code == 302
        assert _signed_in(client)
        assert _credential(session, officer).failed_logins == 0


def test_a_right_password_resets_the_count_of_wrong_ones(client, officer, session):
    for _ in range(MAX_FAILURES - 1):
        post_login(client, "GALOP-1001", "wrong")
    sign_in(client, officer)
    sign_out(client)
    for _ in range(MAX_FAILURES - 1):
        post_login(client, "GALOP-1001", "wrong")
    assert _credential(session, officer).locked_until is None
    sign_in(client, officer)


def test_wrong_sign_ins_from_an_address_never_lock_out_the_right_password(
    app, officer, supervisor, session
):
    """Anonymous guesses fill the address's limit; staff who know their password still get in
    from that address (their own accounts lock on their own wrong tries)."""
    station = app.test_client()
    station.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    with freeze_time(NOW):
        for n in range(30):
            assert post_login(station, f"GALOP-{9000 + n}", "guess").status_code == 200

        assert post_login(station, "GALOP-1001", TEST_PASSWORD).status_code == 302
        assert _signed_in(station)
        sign_out(station)
        assert post_login(station, "GALOP-5001", TEST_PASSWORD).location == CODE
        assert post_code(station, pyotp.TOTP(TEST_TOTP_SECRET).at(NOW)).status_code == 302
        assert _signed_in(station)
        sign_out(station)

        # Wrong tries from there are refused, and still count on the account.
        assert post_login(station, "GALOP-1001", "wrong").status_code == 429
        assert _credential(session, officer).failed_logins == 1
        elsewhere = app.test_client()
        elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.99"
        assert post_login(elsewhere, "GALOP-9999", "guess").status_code == 200


# --- Sessions ------------------------------------------------------------------------------


def test_sign_in_starts_a_new_session(app, client, officer):
    client.get(LOGIN)
    before = client.get_cookie("session")
    assert before is not None
    csrf_before = csrf_of(client)

    sign_in(client, officer)
    after = client.get_cookie("session")
    assert after is not None
    assert after.value != before.value
    assert _signed_in(client)

    # A copy of the session taken before sign-in (fixation, a shared computer) stays nobody's.
    thief = app.test_client()
    thief.set_cookie("session", before.value)
    assert not _signed_in(thief)
    # ...and the CSRF token of before sign-in no longer works.
    assert client.post("/staff/logout", data={"csrf_token": csrf_before}).status_code == 400
    assert csrf_of(client, HOME) != csrf_before


def test_the_chosen_language_survives_sign_in(client, officer):
    client.get(f"{LOGIN}?lang=fr")
    sign_in(client, officer)
    assert '<html lang="fr">' in client.get(HOME).get_data(as_text=True)


def test_idle_timeout(client, officer):
    with freeze_time(NOW) as clock:
        sign_in(client, officer)
        clock.tick(IDLE_TIMEOUT - timedelta(minutes=1))
        assert _signed_in(client)
        clock.tick(IDLE_TIMEOUT - timedelta(minutes=1))  # each request restarts the clock
        assert _signed_in(client)
        clock.tick(IDLE_TIMEOUT + timedelta(seconds=1))
        answer = client.get(HOME)
        assert answer.status_code == 302
        page = client.get(answer.location).get_data(as_text=True)
        assert "Your session has ended" in page
        assert not _signed_in(client)


def test_absolute_timeout_even_when_busy(client, officer):
    with freeze_time(NOW) as clock:
        sign_in(client, officer)
        step = timedelta(minutes=25)
        while datetime.now(UTC) + step < NOW + ABSOLUTE_TIMEOUT:
            clock.tick(step)
            assert _signed_in(client)
        clock.move_to(NOW + ABSOLUTE_TIMEOUT - timedelta(seconds=1))
        assert _signed_in(client)
        clock.tick(timedelta(seconds=2))
        assert not _signed_in(client)


def test_sign_out_ends_the_session_and_every_copy_of_it(app, client, officer):
    sign_in(client, officer)
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert _signed_in(copy)

    assert client.get("/staff/logout").status_code == 405  # a link cannot sign anyone out
    assert client.post("/staff/logout", data={}).status_code == 400  # nor another site (CSRF)
    answer = sign_out(client)
    assert answer.status_code == 302
    assert answer.location == LOGIN
    assert "You are signed out." in client.get(LOGIN).get_data(as_text=True)
    assert not _signed_in(client)
    assert not _signed_in(copy)  # the server-side version moved on
    sign_in(client, officer)  # and signing in again works


def test_a_new_password_ends_existing_sessions(client, officer, session):
    sign_in(client, officer)
    set_password(session, officer, "a brand new password", now=NOW)
    assert not _signed_in(client)
    post_login(client, "GALOP-1001", TEST_PASSWORD)
    assert not _signed_in(client)
    sign_in(client, officer, password="a brand new password")


def test_a_deactivated_staff_member_is_signed_out(client, officer, session):
    sign_in(client, officer)
    officer.active = False
    session.flush()
    assert not _signed_in(client)


# --- Second factor -------------------------------------------------------------------------


def test_a_supervisor_needs_the_code_and_half_signed_in_opens_nothing(client, supervisor):
    with freeze_time(NOW):
        assert client.get(f"{HOME}?from=mail").location.startswith(LOGIN)
        answer = post_login(client, "GALOP-5001", TEST_PASSWORD, next_url="/staff/?from=mail")
        assert answer.status_code == 302
        assert answer.location == CODE

        assert not _signed_in(client)  # password alone: nothing opens
        assert "Personnel number" in client.get(LOGIN).get_data(as_text=True)

        wrong = post_code(client, _wrong_code(TEST_TOTP_SECRET, NOW))
        assert wrong.status_code == 200
        assert "This code is not right" in (_error(wrong.get_data(as_text=True), "code") or "")
        assert not _signed_in(client)

        malformed = post_code(client, "12ab")
        assert "6-digit code" in (_error(malformed.get_data(as_text=True), "code") or "")

        right = post_code(client, pyotp.TOTP(TEST_TOTP_SECRET).at(NOW))
        assert right.status_code == 302
        assert right.location == "/staff/?from=mail"
        page = client.get(HOME).get_data(as_text=True)
        assert "Staff and districts" in page
        assert "My agenda" not in page  # not an officer


def test_a_code_works_once(client, supervisor):
    with freeze_time(NOW) as clock:
        code = pyotp.TOTP(TEST_TOTP_SECRET).at(NOW)
        post_login(client, "GALOP-5001", TEST_PASSWORD)
        assert post_code(client, code).status_code == 302
        sign_out(client)

        post_login(client, "GALOP-5001", TEST_PASSWORD)
        assert post_code(client, code).status_code == 200  # replayed: refused
        assert not _signed_in(client)
        clock.tick(timedelta(seconds=30))
        assert post_code(client, pyotp.TOTP(TEST_TOTP_SECRET).now()).status_code == 302
        assert _signed_in(client)


def test_wrong_codes_lock_the_account_too(client, supervisor, session):
    with freeze_time(NOW):
        post_login(client, "GALOP-5001", TEST_PASSWORD)
        wrong = _wrong_code(TEST_TOTP_SECRET, NOW)
        for _ in range(MAX_FAILURES - 1):
            assert post_code(client, wrong).status_code == 200
        last = post_code(client, wrong)
        assert last.status_code == 302
        assert last.location == LOGIN
        assert _credential(session, supervisor).locked_until == NOW + LOCKOUT
        assert client.get(CODE).location == LOGIN  # the half signed-in state is gone
        assert REFUSED in post_login(client, "GALOP-5001", TEST_PASSWORD).get_data(as_text=True)


def test_a_right_password_does_not_reset_the_count_of_wrong_codes(client, supervisor, session):
    """The attack: the password, 4 wrong codes, the password again, 4 more... (84 codes were
    tried, then one was right). Only a right code starts the count again."""
    with freeze_time(NOW) as clock:
        wrong = _wrong_code(TEST_TOTP_SECRET, NOW)
        assert post_login(client, "GALOP-5001", TEST_PASSWORD).location == CODE
        for _ in range(MAX_FAILURES - 1):
            assert post_code(client, wrong).status_code == 200

        assert post_login(client, "GALOP-5001", TEST_PASSWORD).location == CODE
        last = post_code(client, wrong)
        assert last.status_code == 302
        assert last.location == LOGIN
        assert _credential(session, supervisor).locked_until == NOW + LOCKOUT
        # Locked: the right password and code open nothing until the pause is over.
        assert REFUSED in post_login(client, "GALOP-5001", TEST_PASSWORD).get_data(as_text=True)
        assert client.get(CODE).location == LOGIN
        assert not _signed_in(client)

        clock.tick(LOCKOUT + timedelta(seconds=1))
        wrong = _wrong_code(TEST_TOTP_SECRET, datetime.now(UTC))
        for _ in range(MAX_FAILURES - 1):  # a right code ends the row of wrong ones
            assert post_login(client, "GALOP-5001", TEST_PASSWORD).location == CODE
            assert post_code(client, wrong).status_code == 200
        assert post_code(client, pyotp.TOTP(TEST_TOTP_SECRET).now()).status_code == 302
        assert _credential(session, supervisor).failed_logins == 0
        sign_out(client)
        assert post_login(client, "GALOP-5001", TEST_PASSWORD).location == CODE
        assert post_code(client, wrong).status_code == 200
        assert _credential(session, supervisor).locked_until == NOW + LOCKOUT  # not again


def test_wrong_codes_count_against_the_address_too(app, session):
    """Codes tried for many accounts from one address fill its limit as wrong passwords do."""
    station = app.test_client()
    station.environ_base["REMOTE_ADDR"] = "192.0.2.20"
    limit = LIMITS[IP_BUCKET]
    accounts = []
    for n in range(-(-limit // MAX_FAILURES)):
        staff = make_staff(session, personnel_number=f"GALOP-50{n:02d}", roles=(Role.SUPERVISOR,))
        make_credential(session, staff, totp_secret=TEST_TOTP_SECRET)
        accounts.append(staff)
    with freeze_time(NOW):
        wrong = _wrong_code(TEST_TOTP_SECRET, NOW)
        for staff in accounts:
            assert post_login(station, staff.personnel_number, TEST_PASSWORD).location == CODE
            for _ in range(MAX_FAILURES):
                post_code(station, wrong)
        assert post_login(station, "GALOP-9999", "guess").status_code == 429


def test_the_code_step_expires(client, supervisor):
    with freeze_time(NOW) as clock:
        post_login(client, "GALOP-5001", TEST_PASSWORD)
        clock.tick(SECOND_STEP_TIMEOUT + timedelta(seconds=1))
        code = {"csrf_token": csrf_of(client), "code": pyotp.TOTP(TEST_TOTP_SECRET).now()}
        answer = client.post(CODE, data=code)
        assert answer.status_code == 302
        assert answer.location == LOGIN
        assert client.get(CODE).location == LOGIN
        assert not _signed_in(client)


def test_a_supervisor_without_an_enrolled_app_cannot_sign_in(client, session):
    staff = make_staff(session, personnel_number="GALOP-5002", roles=(Role.ADMIN,))
    make_credential(session, staff)  # no TOTP secret
    answer = post_login(client, "GALOP-5002", TEST_PASSWORD)
    assert answer.status_code == 200
    assert "authenticator app" in (_error(answer.get_data(as_text=True), "personnel_number") or "")
    assert not _signed_in(client)
    assert client.get(CODE).location == LOGIN


# --- Demo logins ---------------------------------------------------------------------------


@pytest.fixture
def demo_mode(app, monkeypatch):
    """Call to turn demo mode on (as `make run` does) or off for the running app."""
    config = app.config["BLAUWLIJN"]

    def switch(on: bool) -> None:
        monkeypatch.setitem(app.config, "BLAUWLIJN", replace(config, demo_mode=on))

    return switch


def test_demo_logins_work_only_in_demo_mode(client, session, demo_mode):
    staff = make_staff(session, personnel_number="GALOP-1009")
    make_credential(session, staff, demo=True)
    answer = post_login(client, "GALOP-1009", TEST_PASSWORD)
    assert REFUSED in answer.get_data(as_text=True)
    assert not _signed_in(client)

    demo_mode(True)
    sign_in(client, staff)
    assert _signed_in(client)
    demo_mode(False)  # a session of a demo login ends with demo mode too
    assert not _signed_in(client)


def test_seeded_demo_logins(app, client, session, demo_mode):
    result = seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)
    summary = result.summary()
    assert DEMO_PASSWORD in summary
    assert DEMO_TOTP_SECRET in summary
    assert REFUSED in post_login(client, "GALOP-1009", DEMO_PASSWORD).get_data(as_text=True)

    demo_mode(True)
    assert post_login(client, "GALOP-1009", DEMO_PASSWORD).location == HOME
    sign_out(client)
    assert post_login(client, "GALOP-5001", DEMO_PASSWORD).location == CODE
    assert post_code(client, pyotp.TOTP(DEMO_TOTP_SECRET).now()).location == HOME

    # A zone loaded before staff sign-in existed gets its demo logins on the next seed.
    session.execute(delete(StaffCredential))
    seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)
    demo_logins = select(func.count()).where(StaffCredential.demo.is_(True))
    assert session.scalar(demo_logins) == result.counts["staff"]


# --- Where to go after signing in ----------------------------------------------------------


def test_a_page_asked_for_is_shown_after_sign_in(client, officer):
    answer = client.get(f"{HOME}?week=2")
    assert answer.status_code == 302
    assert answer.location == "/staff/login?next=/staff/?week%3D2"
    form = client.get(answer.location).get_data(as_text=True)
    assert 'name="next" value="/staff/?week=2"' in form
    landed = post_login(client, "GALOP-1001", TEST_PASSWORD, next_url="/staff/?week=2")
    assert landed.location == "/staff/?week=2"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/staff/",
        "//evil.example/staff/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "javascript:alert(1)",
        "staff/",
    ],
)
def test_next_never_leaves_the_site(client, officer, target):
    form = client.get(LOGIN, query_string={"next": target}).get_data(as_text=True)
    assert 'name="next"' not in form
    assert post_login(client, "GALOP-1001", TEST_PASSWORD, next_url=target).location == HOME


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/staff/", "/staff/"),
        ("/staff/agenda?day=2026-12-01", "/staff/agenda?day=2026-12-01"),
        ("/callcenter/", "/callcenter/"),
        ("", None),
        (None, None),
        ("https://evil.example", None),
        ("http:/evil.example", None),
        ("//evil.example", None),
        ("///evil.example", None),
        ("/\\evil.example", None),
        ("/staff/\r\nSet-Cookie: x=1", None),
        ("/" + "a" * 2000, None),
    ],
)
def test_safe_next(target, safe):
    assert safe_next(target) == safe
