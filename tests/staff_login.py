"""Signing a test client in to the staff pages through the real forms (password, then code).

    staff = sign_in_as(client, session, Role.SUPERVISOR)   # new staff member, signed in
    sign_in(client, existing_staff)                        # one with a make_credential

The code is the current one of TEST_TOTP_SECRET, and a code is accepted once: to sign the
same supervisor in twice under one frozen clock, move the clock 30 s between the two.
"""

import re

import pyotp
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.staff.credentials import SECOND_FACTOR_ROLES
from scheduling.enums import Role
from scheduling.models import Staff
from tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET, make_credential, make_staff

LOGIN = "/staff/login"
CODE = "/staff/login/code"


def csrf_of(client: FlaskClient, path: str = LOGIN) -> str:
    """The CSRF token of the form on ``path`` (this client's session)."""
    html = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, f"no form on {path}"
    return found.group(1)


def post_login(
    client: FlaskClient, number: str, password: str, *, next_url: str | None = None
) -> TestResponse:
    data = {"csrf_token": csrf_of(client), "personnel_number": number, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN, data=data)


def post_code(client: FlaskClient, code: str) -> TestResponse:
    return client.post(CODE, data={"csrf_token": csrf_of(client, CODE), "code": code})


def sign_in(
    client: FlaskClient,
    staff: Staff,
    *,
    password: str = TEST_PASSWORD,
    totp_secret: str = TEST_TOTP_SECRET,
) -> TestResponse:
    """Sign ``staff`` in (giving the TOTP code when asked); asserts it worked."""
    answer = post_login(client, staff.personnel_number, password)
    if answer.status_code == 302 and answer.location.endswith(CODE):
        answer = post_code(client, pyotp.TOTP(totp_secret).now())
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert not answer.location.startswith(LOGIN), answer.location
    return answer


def sign_in_as(client: FlaskClient, session: Session, *roles: Role, **staff_kw: object) -> Staff:
    """A new staff member with ``roles`` (a wijkagent when none) and a credential (with a
    TOTP secret for supervisors and admins), signed in on ``client``."""
    staff = make_staff(session, roles=roles or (Role.DISTRICT_OFFICER,), **staff_kw)
    second_factor = bool(frozenset(roles) & SECOND_FACTOR_ROLES)
    make_credential(session, staff, totp_secret=TEST_TOTP_SECRET if second_factor else None)
    sign_in(client, staff)
    return staff


def sign_out(client: FlaskClient) -> TestResponse:
    """Press "Sign out" on the staff home page."""
    return client.post("/staff/logout", data={"csrf_token": csrf_of(client, "/staff/")})
