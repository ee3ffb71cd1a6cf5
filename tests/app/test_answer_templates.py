"""The answer templates page (/staff/admin/answer-templates): admins and supervisors list,
add, edit and deactivate templates with a title and text in all three languages; everyone
else is refused; the demo seed brings three."""

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.demo import seed
from app.reports.models import AnswerTemplate
from scheduling.enums import Role
from scheduling.models import AuditEntry
from tests.app.reports.factories import NOW
from tests.staff_login import csrf_of, sign_in_as

LIST = "/staff/admin/answer-templates"
NEW = "/staff/admin/answer-templates/new"
FULL = {
    "title_nl": "Doorgestuurd",
    "title_fr": "Transmis",
    "title_en": "Forwarded =cmd",
    "text_nl": "Wij hebben het doorgestuurd.\nMet vriendelijke groet",
    "text_fr": "Nous l'avons transmis.",
    "text_en": "We passed it on.",
}


@pytest.fixture
def frozen():
    with freeze_time(NOW) as clock:
        yield clock


def _post(client, path, **fields):
    return client.post(path, data={"csrf_token": csrf_of(client, path), **fields})


@pytest.mark.parametrize("path", [LIST, NEW])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert "/staff/login" in answer.location


@pytest.mark.parametrize(
    "role", [Role.CALL_TAKER, Role.INTAKE, Role.ZONE_CHIEF, Role.DISTRICT_OFFICER]
)
def test_other_roles_are_refused(client, session, frozen, role):
    sign_in_as(client, session, role)
    template = AnswerTemplate(code="x", titles={"nl": "x"}, texts={"nl": "x"})
    session.add(template)
    session.flush()
    for path in (LIST, NEW, f"{LIST}/{template.id}"):
        assert client.get(path).status_code == 403, path
    assert client.post(NEW, data=FULL).status_code in (400, 403)  # never added
    assert session.scalar(select(AnswerTemplate).where(AnswerTemplate.code != "x")) is None


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR])
def test_admins_and_supervisors_add_edit_and_deactivate(client, session, frozen, role):
    me = sign_in_as(client, session, role)
    answer = _post(client, NEW, **FULL)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    template = session.scalars(select(AnswerTemplate)).one()
    assert template.code == "forwarded-cmd"
    assert template.titles == {"nl": "Doorgestuurd", "fr": "Transmis", "en": "Forwarded =cmd"}
    assert template.texts["nl"] == "Wij hebben het doorgestuurd.\nMet vriendelijke groet"
    assert template.active
    assert "Doorgestuurd" in client.get(LIST).get_data(as_text=True)

    edit = f"{LIST}/{template.id}"
    answer = _post(client, edit, **(FULL | {"title_fr": "Transmis à la commune"}))  # unticked
    assert answer.status_code == 302
    session.refresh(template)
    assert template.titles["fr"] == "Transmis à la commune"
    assert not template.active
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == me.id)))
    assert {"answer_template_added", "answer_template_updated"} <= actions


def test_every_language_is_required_and_errors_stand_next_to_the_field(client, session, frozen):
    sign_in_as(client, session, Role.ADMIN)
    answer = _post(client, NEW, **(FULL | {"title_fr": "", "text_en": "bad\u202etext"}))
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert 'id="title_fr-error"' in html
    assert 'id="text_en-error"' in html
    assert 'value="Doorgestuurd"' in html  # what was typed is kept
    assert session.scalar(select(AnswerTemplate)) is None


def test_the_demo_seed_brings_three_templates_once(session):
    seed._insert_answer_templates(session)
    seed._insert_answer_templates(session)
    templates = list(session.scalars(select(AnswerTemplate)))
    assert {t.code for t in templates} == {
        "forwarded-to-the-municipality",
        "not-a-police-matter",
        "general-answer-with-opening-hours",
    }
    for template in templates:
        assert set(template.titles) == set(template.texts) == {"nl", "fr", "en"}
        assert all(template.titles.values())
        assert all(template.texts.values())
