"""The zone's bailiff offices page: create, change, each wrong field refused next to it with
nothing written, who may open it, and an office made inactive stopped on the API."""

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.assistance.models import OfficeUser
from app.demo.zone import BAILIFF_ENTERPRISE_NUMBER
from app.enterprise_number import enterprise_number
from scheduling.enums import ActorKind, Role
from scheduling.models import AuditEntry, BailiffAccount
from tests.app.zone_assistance.helpers import NOT_MANAGERS, error_of, page, post, signed_in
from tests.factories import NOW, make_bailiff
from tests.office_login import make_office_user

LIST = "/staff/admin/bailiff-offices"
NEW = "/staff/admin/bailiff-offices/new"
GOOD = {
    "name": "Deurwaarders Peeters",
    "enterprise_number": "BE 0212 345 668",
    "address": "Markt 1, 1570 Galmaarden",
    "email": "Kantoor@Peeters.example.be",
    "phone": "02 396 29 71",
    "language": "fr",
    "active": "yes",
}


@freeze_time(NOW)
@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_a_manager_creates_an_office_written_as_the_register_writes_it(client, session, role):
    me = signed_in(client, session, role)
    answer = post(client, NEW, **GOOD)
    assert answer.status_code == 302
    office = session.scalar(select(BailiffAccount).where(BailiffAccount.name == GOOD["name"]))
    assert office.enterprise_number == "0212.345.668"
    assert office.phone == "+3223962971"
    assert office.email == "Kantoor@peeters.example.be"
    assert office.language == "fr"
    assert office.active
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "bailiff_office_created"))
    assert entry.actor_id == me.id
    assert entry.details == {"bailiff_account_id": office.id}
    assert GOOD["name"] in page(client, LIST)


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("name", "", "Enter the office's name."),
        ("enterprise_number", "", "Enter the enterprise number."),
        ("enterprise_number", "0212.345.669", "check the digits"),
        ("enterprise_number", "BE0212345668X", "check the digits"),
        ("address", "", "Enter the office's address."),
        ("address", "x" * 301, "Keep this to 300 characters."),
        ("email", "", "Enter the office's e-mail address."),
        ("email", "a@x.be, b@y.be", "Enter one e-mail address"),
        ("phone", "", "Enter the office's phone number."),
        ("phone", "12", "Enter a phone number like"),
        ("language", "de", "Choose a language from the list."),
        ("name", "Deurwaarder\u202e", "Remove the special characters"),
    ],
)
def test_each_wrong_field_is_refused_next_to_it(client, session, field, value, error):
    signed_in(client, session, Role.SUPERVISOR)
    answer = post(client, NEW, **{**GOOD, field: value})
    assert answer.status_code == 200
    assert error in error_of(answer.get_data(as_text=True), field)
    assert session.scalar(select(BailiffAccount)) is None


def test_the_errors_are_in_the_staff_members_language(client, session):
    signed_in(client, session, Role.SUPERVISOR)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    answer = post(client, NEW, **{**GOOD, "enterprise_number": "0212.345.669"})
    assert "numéro d'entreprise" in error_of(answer.get_data(as_text=True), "enterprise_number")


@freeze_time(NOW)
def test_a_change_is_saved_and_audited_by_field_name(client, session):
    office = make_bailiff(session, enterprise_number="0212.345.668", address="Markt 1")
    signed_in(client, session, Role.ADMIN)
    path = f"{LIST}/{office.id}"
    answer = post(client, path, **{**GOOD, "name": office.name, "phone": "+3225550000"})
    assert answer.status_code == 302
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "bailiff_office_updated"))
    assert entry.details["changed"] == ["address", "email", "language"]


@freeze_time(NOW)
def test_an_office_made_inactive_is_refused_on_the_api(client, session):
    office = make_bailiff(session, token="office-token", enterprise_number="0212.345.668")
    session.commit()
    headers = {"Authorization": "Bearer office-token", "Content-Type": "application/json"}
    kinds = "/api/v1/assistance/kinds"
    assert client.get(kinds, headers=headers).status_code == 200
    signed_in(client, session, Role.SUPERVISOR)
    values = {**GOOD, "name": office.name, "email": office.email, "phone": office.phone}
    assert post(client, f"{LIST}/{office.id}", **{**values, "active": ""}).status_code == 302
    session.refresh(office)
    assert not office.active
    assert client.get(kinds, headers=headers).status_code == 401


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_others_get_the_403_page(client, session, role):
    office = make_bailiff(session)
    signed_in(client, session, role)
    for path in (LIST, NEW, f"{LIST}/{office.id}"):
        assert client.get(path).status_code == 403
    assert client.post(NEW, data=GOOD).status_code in (400, 403)


# --- The office's users ------------------------------------------------------------------


@freeze_time(NOW)
def test_the_zone_invites_resets_and_removes_an_office_user(client, session):
    office = make_bailiff(session)
    make_office_user(session, office, office_admin=True)  # the last admin is never removed
    signed_in(client, session, Role.SUPERVISOR)
    path = f"{LIST}/{office.id}"
    invited = post(
        client,
        f"{path}/users",
        path,
        user_name="Griet Van Damme",
        user_email="griet@deurwaarders.example.be",
        user_language="nl",
        office_admin="yes",
    )
    assert invited.status_code == 302
    user = session.scalar(
        select(OfficeUser).where(OfficeUser.email == "griet@deurwaarders.example.be")
    )
    assert user.office_admin
    assert user.invite_token_hash
    assert user.password_hash is None
    assert "Invited" in page(client, path)
    version = user.auth_version
    assert post(client, f"{path}/users/{user.id}/reset", path).status_code == 302
    session.refresh(user)
    assert user.auth_version > version
    assert post(client, f"{path}/users/{user.id}/remove", path).status_code == 302
    session.refresh(user)
    assert not user.active
    actions = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.action.like("office_user.%"), AuditEntry.actor_kind == ActorKind.STAFF
        )
    ).all()
    assert sorted(actions) == ["office_user.invited", "office_user.removed", "office_user.reset"]


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("user_name", "", "Enter the user's name."),
        ("user_email", "", "Enter the user's e-mail address."),
        ("user_email", "not an address", "Enter one e-mail address"),
        ("user_language", "xx", "Choose a language from the list."),
    ],
)
def test_a_wrong_invitation_is_refused_next_to_the_field(client, session, field, value, error):
    office = make_bailiff(session)
    signed_in(client, session, Role.SUPERVISOR)
    path = f"{LIST}/{office.id}"
    data = {"user_name": "Luc", "user_email": "luc@x.example.be", "user_language": "fr"}
    answer = post(client, f"{path}/users", path, **{**data, field: value})
    assert answer.status_code == 200
    assert error in error_of(answer.get_data(as_text=True), field)
    assert session.scalar(select(OfficeUser)) is None


@freeze_time(NOW)
def test_another_offices_user_is_not_found_through_this_office(client, session):
    office, other = make_bailiff(session), make_bailiff(session, token="other")
    signed_in(client, session, Role.SUPERVISOR)
    post(
        client,
        f"{LIST}/{other.id}/users",
        f"{LIST}/{other.id}",
        user_name="Luc",
        user_email="luc@x.example.be",
        user_language="fr",
    )
    user = session.scalar(select(OfficeUser))
    path = f"{LIST}/{office.id}"
    assert post(client, f"{path}/users/{user.id}/remove", path).status_code == 404
    assert user.active


def test_the_demo_offices_enterprise_number_passes_the_check():
    assert enterprise_number(BAILIFF_ENTERPRISE_NUMBER) == BAILIFF_ENTERPRISE_NUMBER
