"""What the tests of the zone's bailiff-assistance pages share: signing in in English,
posting a form with its CSRF token, and the error next to a field."""

import html as html_text
import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from scheduling.enums import Role
from scheduling.models import Staff
from tests.staff_login import csrf_of, sign_in_as

NOT_MANAGERS = (Role.DISTRICT_OFFICER, Role.CALL_TAKER, Role.CASE_HANDLER)


def signed_in(client: FlaskClient, session: Session, *roles: Role) -> Staff:
    """Signed in, reading the pages in English (the texts the tests look for)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return sign_in_as(client, session, *roles)


def page(client: FlaskClient, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return html_text.unescape(answer.get_data(as_text=True))


def post(client: FlaskClient, path: str, form_path: str | None = None, **data: object):
    token = csrf_of(client, form_path or path)
    return client.post(path, data={"csrf_token": token, **data})


def error_of(html: str, field: str) -> str:
    """The error shown next to ``field`` (its block has the error's id)."""
    found = re.search(rf'id="{re.escape(field)}-error">(.*?)</p>', html, re.S)
    assert found, f"no error next to {field!r}"
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", found.group(1))
    return html_text.unescape(re.sub(r"<[^>]+>", "", text)).strip()
