"""Access to staff pages per role and per object, through probe pages built the way the real
staff pages are (``staff_blueprint`` + ``staff_required`` + ``get_visible``/``visible_rows``):
every refusal is one 403 page that tells nothing."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Blueprint, Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import sessionmaker

from app import create_app
from app.config import Config
from app.db import get_session
from app.staff import staff_blueprint
from app.staff.access import MANAGERS, get_visible, staff_required, visible_rows
from scheduling.enums import Role
from scheduling.models import Invitation, Staff
from tests.factories import (
    TEST_SECRET_KEY,
    make_credential,
    make_invitation,
    make_service,
    make_staff,
)
from tests.staff_login import LOGIN, sign_in, sign_in_as

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)


def _probe_pages() -> Blueprint:
    probe = staff_blueprint("probe", __name__, "/staff/probe")

    @probe.get("/managers")
    @staff_required(*MANAGERS)
    def managers(me: Staff) -> str:
        return "for managers"

    @probe.get("/officers")
    @staff_required(Role.DISTRICT_OFFICER, Role.CASE_HANDLER)
    def officers(me: Staff) -> str:
        return "for officers"

    @probe.get("/anyone")
    @staff_required()
    def anyone(me: Staff) -> str:
        return f"hello {me.name}"

    @probe.get("/invitations/<int:ident>")
    @staff_required()
    def invitation(me: Staff, ident: int) -> str:
        return get_visible(Invitation, ident).dossier_code

    @probe.get("/invitations")
    @staff_required()
    def invitations(me: Staff) -> str:
        query = select(Invitation.dossier_code).where(visible_rows(Invitation.staff_id))
        return ",".join(sorted(get_session().scalars(query)))

    return probe


@pytest.fixture(autouse=True)
def english(client):
    """The texts below are the English msgids; the pages default to Dutch."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(scope="module")
def probe_app_for_db(
    database_url: str, postgres_only: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("probe")
    config = Config.from_env(
        instance, env={"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET_KEY}
    )
    app = create_app(config)
    app.config["TESTING"] = True
    app.register_blueprint(_probe_pages())
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(probe_app_for_db: Flask, connection: Connection) -> Iterator[FlaskClient]:
    """A client of the probe app, its requests inside this test's rolled-back transaction."""
    original = probe_app_for_db.extensions["db_sessionmaker"]
    probe_app_for_db.extensions["db_sessionmaker"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield probe_app_for_db.test_client()
    probe_app_for_db.extensions["db_sessionmaker"] = original


@pytest.fixture
def dossiers(session):
    """Two case handlers' invitations: (mine, theirs); 'mine' belongs to GALOP-2001."""
    me = make_staff(session, personnel_number="GALOP-2001", roles=(Role.CASE_HANDLER,))
    other = make_staff(session, personnel_number="GALOP-2002", roles=(Role.CASE_HANDLER,))
    service = make_service(session)
    window = {"valid_from": NOW, "valid_until": NOW + timedelta(days=30)}
    mine = make_invitation(session, me, service, code="INV-1", dossier_code="PV MINE", **window)
    theirs = make_invitation(
        session, other, service, code="INV-2", dossier_code="PV THEIRS", **window
    )
    return me, mine, theirs


def _body(answer) -> str:
    return answer.get_data(as_text=True)


def _page(answer) -> str:
    """The page without its language links (they repeat the address the browser asked for)."""
    return re.sub(r'href="[^"]*\?lang=\w+"', "", _body(answer))


def test_not_signed_in_goes_to_the_sign_in_page_and_back(client):
    for path in ("/staff/probe/anyone", "/staff/probe/managers", "/staff/probe/invitations/1"):
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer.location.startswith(f"{LOGIN}?next=")


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ((Role.DISTRICT_OFFICER,), {"anyone", "officers"}),
        ((Role.CASE_HANDLER, Role.WEAPONS_SERVICE), {"anyone", "officers"}),
        ((Role.CALL_TAKER,), {"anyone"}),
        ((Role.SUPERVISOR,), {"anyone", "managers"}),
        ((Role.ADMIN,), {"anyone", "managers"}),
    ],
)
def test_pages_open_to_the_roles_they_name(client, session, roles, allowed):
    sign_in_as(client, session, *roles)
    for page in ("anyone", "officers", "managers"):
        status = client.get(f"/staff/probe/{page}").status_code
        assert status == (200 if page in allowed else 403), (roles, page)


def test_an_officer_sees_own_rows_only_and_every_refusal_looks_the_same(client, session, dossiers):
    me, mine, theirs = dossiers
    make_credential(session, me)
    sign_in(client, me)

    assert _body(client.get(f"/staff/probe/invitations/{mine.id}")) == "PV MINE"
    assert _body(client.get("/staff/probe/invitations")) == "PV MINE"

    not_mine = client.get(f"/staff/probe/invitations/{theirs.id}")
    missing = client.get(f"/staff/probe/invitations/{theirs.id + 1000}")
    wrong_role = client.get("/staff/probe/managers")
    assert not_mine.status_code == missing.status_code == wrong_role.status_code == 403
    assert _page(not_mine) == _page(missing) == _page(wrong_role)
    page = _page(not_mine)
    assert "PV THEIRS" not in page
    assert "GALOP-2002" not in page
    assert re.search(r"<h1>No access</h1>", page)
    assert not_mine.headers["Cache-Control"] == "no-store"


def test_managers_see_every_row(client, session, dossiers):
    _, mine, theirs = dossiers
    sign_in_as(client, session, Role.SUPERVISOR)
    assert _body(client.get(f"/staff/probe/invitations/{theirs.id}")) == "PV THEIRS"
    assert _body(client.get(f"/staff/probe/invitations/{mine.id}")) == "PV MINE"
    assert _body(client.get("/staff/probe/invitations")) == "PV MINE,PV THEIRS"
    assert client.get(f"/staff/probe/invitations/{theirs.id + 1000}").status_code == 404
