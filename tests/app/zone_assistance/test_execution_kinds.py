"""Kinds of execution: added, renamed in three languages, deactivated (never deleted: an
inactive kind is no longer offered, bookings keep it), each wrong field next to it."""

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.assistance.commands import execution_kinds
from app.assistance.models import ExecutionKind
from scheduling.enums import Role
from scheduling.models import AuditEntry
from tests.app.zone_assistance.helpers import NOT_MANAGERS, error_of, page, post, signed_in
from tests.factories import NOW

PATH = "/staff/admin/execution-kinds"
NEW = {"code": "seizure", "name_nl": "Beslag", "name_fr": "Saisie", "name_en": "Seizure"}


@freeze_time(NOW)
def test_a_kind_is_added_renamed_and_deactivated(client, session):
    signed_in(client, session, Role.SUPERVISOR)
    assert post(client, PATH, **NEW).status_code == 302
    kind = session.scalar(select(ExecutionKind).where(ExecutionKind.code == "seizure"))
    assert kind.name("fr") == "Saisie"
    assert kind in execution_kinds(session)
    edit = f"{PATH}/{kind.id}"
    renamed = {
        "name_nl": "Bewarend beslag",
        "name_fr": "Saisie conservatoire",
        "name_en": "Seizure",
    }
    assert post(client, edit, **renamed, active="yes").status_code == 302
    session.refresh(kind)
    assert kind.name("nl") == "Bewarend beslag"
    assert post(client, edit, **renamed).status_code == 302  # "active" unticked
    session.refresh(kind)
    assert not kind.active
    assert kind not in execution_kinds(session)
    assert "seizure" in page(client, PATH)  # still listed for the zone
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.action.like("execution_kind_%"))
    ).all()
    assert actions == ["execution_kind_added", "execution_kind_updated", "execution_kind_updated"]


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("code", "", "Enter a short code"),
        ("code", "Uit huis", "Enter a short code"),
        ("code", "eviction", "already used"),
        ("name_nl", "", "Enter the name in Nederlands."),
        ("name_fr", "", "Enter the name in Français."),
        ("name_en", "x" * 201, "Keep this to 200 characters."),
    ],
)
def test_each_wrong_field_is_refused_next_to_it(client, session, field, value, error):
    session.add(ExecutionKind(code="eviction", name_nl="U", name_fr="E", name_en="E"))
    session.flush()
    signed_in(client, session, Role.SUPERVISOR)
    answer = post(client, PATH, **{**NEW, field: value})
    assert answer.status_code == 200
    assert error in error_of(answer.get_data(as_text=True), field)
    assert session.scalar(select(ExecutionKind).where(ExecutionKind.code == "seizure")) is None


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_others_get_the_403_page(client, session, role):
    kind = ExecutionKind(code="eviction", name_nl="U", name_fr="E", name_en="E")
    session.add(kind)
    session.flush()
    signed_in(client, session, role)
    assert client.get(PATH).status_code == 403
    assert client.get(f"{PATH}/{kind.id}").status_code == 403
