"""`flask --app app staff-password / staff-totp / staff-totp-code`, on a database of their own
(the commands commit, as they do in a real zone)."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import create_app
from app.config import Config
from app.staff.models import StaffCredential
from scheduling.enums import Role
from scheduling.models import Staff, StaffRole
from tests.factories import TEST_SECRET_KEY
from tests.staff_login import CODE, post_code, post_login


@pytest.fixture
def cli_app(fresh_database, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    env = {"DATABASE_URL": fresh_database(kind), "SECRET_KEY": TEST_SECRET_KEY}
    app = create_app(Config.from_env(tmp_path, env=env))
    with Session(app.extensions["db_engine"]) as session, session.begin():
        staff = Staff(personnel_number="GALOP-5009", name="Chef Peeters")
        staff.roles = [StaffRole(role=Role.SUPERVISOR)]
        session.add(staff)
    yield app
    app.extensions["db_engine"].dispose()


def _credential(app: Flask) -> StaffCredential | None:
    with Session(app.extensions["db_engine"]) as session:
        staff = session.scalars(select(Staff).where(Staff.personnel_number == "GALOP-5009")).one()
        return session.get(StaffCredential, staff.id)


class _Cli:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def invoke(self, *, args: list[str], input: str | None = None) -> Result:
        # `flask` pushes an app context for every command; the test runner's group does not.
        # Only around the command: requests inside a pushed context would share its `g`.
        with self.app.app_context():
            return self.app.test_cli_runner().invoke(args=args, input=input)


def test_a_real_zone_sets_a_password_and_enrols_an_authenticator(cli_app: Flask) -> None:
    cli = _Cli(cli_app)

    too_short = cli.invoke(args=["staff-password", "GALOP-5009"], input="short\nshort\n")
    assert too_short.exit_code != 0
    assert "at least 12 characters" in too_short.output
    assert _credential(cli_app) is None

    unknown = cli.invoke(
        args=["staff-password", "GALOP-0000"], input="x" * 12 + "\n" + "x" * 12 + "\n"
    )
    assert unknown.exit_code != 0
    assert "no such staff member" in unknown.output

    password = "long enough password"
    done = cli.invoke(args=["staff-password", "galop-5009"], input=f"{password}\n{password}\n")
    assert done.exit_code == 0, done.output
    assert password not in done.output
    credential = _credential(cli_app)
    assert credential is not None
    assert credential.password_hash.startswith("$argon2id$")
    assert not credential.demo

    # A supervisor cannot sign in before an authenticator app is enrolled...
    client = cli_app.test_client()
    assert post_login(client, "GALOP-5009", password).status_code == 200

    enrolled = cli.invoke(args=["staff-totp", "GALOP-5009"])
    assert enrolled.exit_code == 0, enrolled.output
    uri = re.search(r"otpauth://totp/\S+", enrolled.output)
    assert uri is not None
    secret = pyotp.parse_uri(uri.group(0)).secret
    assert secret in enrolled.output

    # ...and can after.
    assert post_login(client, "GALOP-5009", password).location == CODE
    assert post_code(client, pyotp.TOTP(secret).now()).location == "/staff/"

    # The current code is printed for demo logins only.
    refused = cli.invoke(args=["staff-totp-code", "GALOP-5009"])
    assert refused.exit_code != 0
    assert "only for demo logins" in refused.output
    with Session(cli_app.extensions["db_engine"]) as session, session.begin():
        session.execute(update(StaffCredential).values(demo=True))
    shown = cli.invoke(args=["staff-totp-code", "GALOP-5009"])
    assert shown.exit_code == 0, shown.output
    now = datetime.now(UTC)
    codes = {pyotp.TOTP(secret).at(now + timedelta(seconds=s)) for s in (-30, 0)}
    assert shown.output.split()[0] in codes  # now, or just before the clock turned
