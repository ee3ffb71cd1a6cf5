"""Portal users for tests, and signing a test client in to /deurwaarder through the real
forms (e-mail and password, then the TOTP code).

    user = make_office_user(session, office, office_admin=True)
    sign_in_office(client, user)            # asserts it worked

A code is accepted once: to sign the same user in twice under one frozen clock, move the
clock 30 s between the two.
"""

import re
from datetime import datetime
from itertools import count

import pyotp
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.assistance.models import OfficeUser
from app.passwords import hash_password
from scheduling.models import BailiffAccount
from tests.factories import NOW, TEST_PASSWORD, TEST_TOTP_SECRET

LOGIN = "/deurwaarder/login"
CODE = "/deurwaarder/login/code"
HOME = "/deurwaarder/"

_seq = count(1)
_hash = hash_password(TEST_PASSWORD)  # once: argon2 is slow on purpose


def make_office_user(
    session: Session, office: BailiffAccount, *, office_admin: bool = False, **kw: object
) -> OfficeUser:
    """A user of ``office`` who accepted their invitation: TEST_PASSWORD, TEST_TOTP_SECRET."""
    n = next(_seq)
    user = OfficeUser(
        **{
            "office_id": office.id,
            "email": f"user{n}@kantoor.example.be",
            "name": f"Gebruiker {n}",
            "language": "nl",
            "office_admin": office_admin,
            "password_hash": _hash,
            "totp_secret": TEST_TOTP_SECRET,
            "auth_version": 1,
            "created_at": datetime.fromisoformat(NOW),
            **kw,
        }
    )
    session.add(user)
    session.flush()
    return user


def csrf_of(client: FlaskClient, path: str = LOGIN) -> str:
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, f"no form on {path}"
    return found.group(1)


def post_login(
    client: FlaskClient, email: str, password: str, *, next_url: str | None = None
) -> TestResponse:
    data = {"csrf_token": csrf_of(client), "email": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN, data=data)


def post_code(client: FlaskClient, code: str) -> TestResponse:
    return client.post(CODE, data={"csrf_token": csrf_of(client, CODE), "code": code})


def sign_in_office(
    client: FlaskClient, user: OfficeUser, *, password: str = TEST_PASSWORD
) -> TestResponse:
    """Sign ``user`` in with password and the current code; asserts it worked."""
    answer = post_login(client, user.email, password)
    assert answer.location == CODE, answer.get_data(as_text=True)
    answer = post_code(client, pyotp.TOTP(user.totp_secret or "").now())
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert not answer.location.startswith(LOGIN), answer.location
    return answer


def post_on(client: FlaskClient, path: str, page: str = HOME, **data: str) -> TestResponse:
    """Press a button of ``page`` that posts to ``path`` (with this session's CSRF token)."""
    return client.post(path, data={"csrf_token": csrf_of(client, page), **data})
