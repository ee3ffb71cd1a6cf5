"""Who of an office may use the portal: invitations (e-mailed link, 7 days, once), accepting
one (password and TOTP), resets and removal, through app.assistance.office_users and the
office admin's users page (another office's user is a 404, a non-admin gets 403)."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.assistance import office_users
from app.assistance.models import OfficeUser
from app.notify.models import OutboxMessage
from app.ratelimit import LIMITS
from scheduling.enums import MessageKind, NoticeChannel
from scheduling.errors import InvalidRequest
from scheduling.trail import Actor
from tests.factories import make_bailiff
from tests.office_login import HOME, LOGIN, make_office_user, post_on, sign_in_office

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
ZONE = Actor.staff(1)  # a supervisor on the zone's admin pages
USERS = "/deurwaarder/gebruikers"
NEW_PASSWORD = "lange zin van dertig tekens"


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def office(session):
    return make_bailiff(session, name="Deurwaarders Peeters")


@pytest.fixture
def admin(session, office):
    made = make_office_user(session, office, office_admin=True, name="Griet Peeters")
    session.commit()
    return made


def _invite(app, session, office, **kw) -> OfficeUser:
    values = {
        "email": "Luc@Peeters.be",
        "name": "Luc Peeters",
        "language": "fr",
        "office_admin": False,
        **kw,
    }
    with app.test_request_context():
        return office_users.invite(
            session, office=office, now=NOW, config=app.config["BLAUWLIJN"], by=ZONE, **values
        )


def _link(session, user: OfficeUser) -> str:
    """The path of the last invitation link e-mailed to ``user``."""
    mail = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == user.email)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert mail is not None
    found = re.search(r"https?://[^/\s]+(/deurwaarder/welkom/\S+)", mail.body)
    assert found
    return found.group(1)


def test_an_invitation_is_emailed_in_the_users_language_with_a_one_time_link(app, session, office):
    user = _invite(app, session, office)
    assert user.email == "luc@peeters.be"
    assert user.password_hash is None
    assert user.invite_expires_at == NOW + timedelta(days=7)
    mail = session.scalars(select(OutboxMessage)).one()
    assert mail.kind is MessageKind.OFFICE_INVITATION
    assert mail.channel is NoticeChannel.EMAIL
    assert mail.language == "fr"
    token = _link(session, user).rsplit("/", 1)[1]
    assert token not in (user.invite_token_hash or "")  # only its hash is kept
    # Invited again before accepting: a fresh link (the old one stops).
    again = _invite(app, session, office)
    assert again.id == user.id
    assert _link(session, user).rsplit("/", 1)[1] != token


@pytest.mark.parametrize("email", ["not an address", "a@b.be, c@d.be", "griet@peeters.be"])
def test_a_malformed_or_taken_address_is_refused_naming_the_field(app, session, office, email):
    make_office_user(session, office, email="griet@peeters.be")
    with pytest.raises(InvalidRequest) as refused:
        _invite(app, session, office, email=email)
    assert refused.value.field == "email"


def test_another_offices_user_cannot_be_invited_again(app, session, office):
    other = make_bailiff(session, token="other")
    _invite(app, session, other)
    with pytest.raises(InvalidRequest):
        _invite(app, session, office)


def test_accepting_sets_password_and_totp_then_signs_in(app, client, session, office):
    user = _invite(app, session, office)
    session.commit()
    link = _link(session, user)
    with freeze_time(NOW):
        html = client.get(link).get_data(as_text=True)
        secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', html).group(1)
        assert "otpauth://totp/" in html
        data = {"password": "te kort", "password_again": "te kort", "code": "123456"}
        html = post_on(client, link, link, **data).get_data(as_text=True)
        assert "at least 12 characters" in html
        assert secret in html  # the same secret is offered again
        data = {
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
            "code": pyotp.TOTP(secret).at(NOW),
        }
        answer = post_on(client, link, link, **data)
        assert answer.location == HOME
        assert client.get(HOME).status_code == 200
        # The link works once.
        gone = client.get(link)
        assert gone.status_code == 404
        assert "new link" in gone.get_data(as_text=True)
    session.expire_all()
    accepted = session.get_one(OfficeUser, user.id)
    assert accepted.totp_secret == secret
    assert accepted.invite_token_hash is None


def test_an_expired_link_says_so_and_whom_to_ask(app, client, session, office):
    user = _invite(app, session, office)
    session.commit()
    with freeze_time(NOW + timedelta(days=7, seconds=1)):
        answer = client.get(_link(session, user))
    assert answer.status_code == 404
    html = answer.get_data(as_text=True)
    assert "This link no longer works" in html
    assert "administrator" in html
    assert client.get("/deurwaarder/welkom/made-up").status_code == 404


def test_the_users_page_lists_invites_resets_and_removes(client, session, office, admin):
    luc = make_office_user(session, office, name="Luc Peeters", email="luc@peeters.be")
    session.commit()
    with freeze_time(NOW) as clock:
        sign_in_office(client, admin)
        page = client.get(USERS).get_data(as_text=True)
        assert "Luc Peeters" in page
        assert "luc@peeters.be" in page
        data = {"name": "Els", "email": "els@peeters.be", "language": "nl", "office_admin": "yes"}
        assert post_on(client, USERS, USERS, **data).location == USERS
        page = client.get(USERS).get_data(as_text=True)
        assert "els@peeters.be" in page
        assert "Invited" in page
        html = post_on(client, USERS, USERS, name="", email="x", language="de").get_data(
            as_text=True
        )
        assert 'id="name-error"' in html
        assert 'id="language-error"' in html

        # Luc lost his phone: signed out, password and code cleared, a new link.
        phone = client.application.test_client()
        clock.tick(timedelta(seconds=30))
        sign_in_office(phone, luc)
        post_on(client, f"{USERS}/{luc.id}/opnieuw", USERS)
        assert phone.get(HOME).status_code == 302
        session.expire_all()
        assert session.get_one(OfficeUser, luc.id).password_hash is None
        assert _link(session, luc)

        assert post_on(client, f"{USERS}/{luc.id}/verwijderen", USERS).location == USERS
        session.expire_all()
        assert not session.get_one(OfficeUser, luc.id).active
        assert "luc@peeters.be" not in client.get(USERS).get_data(as_text=True)


def test_the_last_admin_cannot_be_removed(app, session, office, admin):
    with pytest.raises(InvalidRequest):
        office_users.remove(session, user=admin, now=NOW, by=ZONE)
    second = make_office_user(session, office, office_admin=True)
    office_users.remove(session, user=admin, now=NOW, by=ZONE)
    assert not admin.active
    assert second.active


def test_another_offices_user_is_not_found_and_non_admins_are_refused(
    client, session, office, admin
):
    other = make_bailiff(session, token="other")
    stranger = make_office_user(session, other, office_admin=True)
    plain = make_office_user(session, office)
    session.commit()
    with freeze_time(NOW) as clock:
        sign_in_office(client, admin)
        for action in ("opnieuw", "verwijderen"):
            assert post_on(client, f"{USERS}/{stranger.id}/{action}", USERS).status_code == 404
        session.expire_all()
        assert session.get_one(OfficeUser, stranger.id).active
        post_on(client, "/deurwaarder/logout")
        clock.tick(timedelta(seconds=30))
        sign_in_office(client, plain)
        assert client.get(USERS).status_code == 403
        assert client.get("/deurwaarder/api-sleutels").status_code == 403
        assert "/deurwaarder/gebruikers" not in client.get(HOME).get_data(as_text=True)


def test_a_removed_users_session_ends(client, session, office, admin):
    plain = make_office_user(session, office)
    session.commit()
    with freeze_time(NOW):
        sign_in_office(client, plain)
        with client.application.test_request_context():
            office_users.remove(
                session, user=session.get_one(OfficeUser, plain.id), now=NOW, by=ZONE
            )
        session.commit()
        assert client.get(HOME).location.startswith(LOGIN)


def test_a_removed_user_invited_again_starts_afresh(app, session, office, admin):
    luc = make_office_user(session, office, email="luc@peeters.be")
    office_users.remove(session, user=luc, now=NOW, by=ZONE)
    again = _invite(app, session, office)
    assert again.id == luc.id
    assert again.active
    assert again.password_hash is None
    assert again.totp_secret is None


def test_unknown_links_are_limited_per_address(app, session):
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "192.0.2.20"
    for n in range(LIMITS["office-invitation-ip"]):
        assert guesser.get(f"/deurwaarder/welkom/guess-{n}").status_code == 404
    assert guesser.get("/deurwaarder/welkom/guess").status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.21"
    assert elsewhere.get("/deurwaarder/welkom/guess").status_code == 404
