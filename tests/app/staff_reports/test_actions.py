"""Every action on a case through its page: what it changes, the line it leaves in the
history, and a field error in the staff member's language for bad input (never a 500)."""

import re
from dataclasses import replace

import pytest
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.ratelimit import LIMITS
from app.reports import commands
from app.reports.commands import Place, Promise, Reporter, Submission
from app.reports.enums import ReportEventKind, ReportStatus
from app.reports.models import AnswerTemplate
from scheduling.enums import MessageKind, OutboxStatus, Role
from scheduling.hours import parse_hours
from tests.app.reports.factories import BXL, NOW, submit
from tests.factories import make_staff
from tests.staff_login import csrf_of, sign_in_as

BEVER = Place(street_name="Kerkstraat", house_number="1", postcode="1547", municipality="Bever")


def act(client, session, report, action: str, **data):
    """Press the action's button on the case page; the test's objects then read afresh."""
    page = f"/staff/reports/{report.id}"
    answer = client.post(f"{page}/{action}", data={"csrf_token": csrf_of(client, page), **data})
    session.expire_all()
    return answer


def case(client, report) -> str:
    answer = client.get(f"/staff/reports/{report.id}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def done(answer, report) -> None:
    assert answer.status_code == 302, answer.get_data(as_text=True)[-2000:]
    assert answer.location.endswith(f"/staff/reports/{report.id}")


def field_error(answer, name: str) -> str:
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    found = re.search(
        rf'id="{name}-error"><span class="visually-hidden">[^<]+</span> ([^<]+)<', html
    )
    assert found, html[-3000:]
    return found.group(1)


@pytest.fixture
def desk(frozen, session, english):
    return sign_in_as(english, session, Role.INTAKE, name="Ilse Intake")


def test_triage_fixes_the_category_and_assigns_a_person(desk, session, english, categories):
    report = submit(session, categories.dumping)
    officer = make_staff(session, name="Wim Wijkagent")
    answer = act(
        english,
        session,
        report,
        "triage",
        category=categories.noise.code,
        assignee=f"staff:{officer.id}",
    )
    done(answer, report)
    assert (report.category_id, report.assigned_staff_id) == (categories.noise.id, officer.id)
    assert report.status == ReportStatus.TRIAGED
    html = case(english, report)
    assert "The triage is saved." in html
    assert "Ilse Intake" in html  # who
    assert "Assigned: the intake queue → Wim Wijkagent." in html
    assert "Category: Illegal dumping → Noise nuisance." in html


def test_triage_to_the_team_and_bad_choices(desk, session, english, categories):
    report = submit(session, categories.dumping)
    done(
        act(
            english,
            session,
            report,
            "triage",
            category=report.category.code,
            assignee="team:restricted",
        ),
        report,
    )
    assert report.assigned_team == "restricted"
    bad = act(english, session, report, "triage", category="nope", assignee="staff:99999999")
    assert field_error(bad, "assignee") == "Choose who handles this case."
    # What the form does not offer is refused too: a report cannot become a question, nor
    # an ordinary report a sensitive one behind the restricted team's back.
    for other in (categories.question, categories.sensitive):
        forged = act(english, session, report, "triage", category=other.code, assignee="")
        assert field_error(forged, "category") == "Choose one of the categories."
    assert report.category_id == categories.dumping.id


def test_a_sensitive_case_is_assigned_only_within_the_team(frozen, session, english, categories):
    sign_in_as(english, session, Role.RESTRICTED_TEAM)
    secret = submit(session, categories.sensitive)
    officer = make_staff(session)
    code = secret.category.code
    forged = act(english, session, secret, "triage", category=code, assignee=f"staff:{officer.id}")
    assert field_error(forged, "assignee") == "Choose who handles this case."
    lead = make_staff(session, roles=(Role.RESTRICTED_LEAD,), name="Lea Leiding")
    other = categories.sensitive_other.code
    done(
        act(english, session, secret, "triage", category=other, assignee=f"staff:{lead.id}"), secret
    )
    assert (secret.category_id, secret.assigned_staff_id) == (
        categories.sensitive_other.id,
        lead.id,
    )


def test_merge_by_number_or_one_click_on_a_duplicate(desk, session, english, categories):
    first = submit(session, categories.dumping, place=BEVER)
    second = submit(session, categories.dumping, place=BEVER)
    html = case(english, second)
    assert f'name="merged_into" value="{first.number}"' in html  # listed as a duplicate
    done(act(english, session, second, "merge", merged_into=first.number.lower()), second)
    assert (second.status, second.merged_into_id) == (ReportStatus.MERGED, first.id)
    assert "Merged into another case" in case(english, second)
    assert f"From {second.number}." in case(english, first)


def test_merge_refusals_are_field_errors(desk, session, english, categories):
    report = submit(session, categories.dumping)
    secret = submit(session, categories.sensitive)
    unknown = "No case with this number: type it as M-2026-000123."
    assert (
        field_error(
            act(english, session, report, "merge", merged_into="M-2099-000001"), "merged_into"
        )
        == unknown
    )
    # One the desk may not see is "not found" too.
    assert (
        field_error(
            act(english, session, report, "merge", merged_into=secret.number), "merged_into"
        )
        == unknown
    )
    closed = submit(session, categories.dumping)
    commands.close_with_message(session, closed, "Klaar", actor=commands.SYSTEM, now=NOW)
    assert field_error(
        act(english, session, report, "merge", merged_into=closed.number), "merged_into"
    ) == (f"Case {closed.number} is closed: merge into a case that is still open.")
    itself = act(english, session, report, "merge", merged_into=report.number)
    assert field_error(itself, "merged_into") == "A case cannot be merged into itself."


def test_an_internal_note_stays_internal(desk, session, english, categories):
    report = submit(session, categories.dumping)
    done(act(english, session, report, "note", note="Buren bellen"), report)
    [event] = [e for e in report.events if e.kind == ReportEventKind.NOTE]
    assert (event.details["text"], event.public) == ("Buren bellen", False)
    html = case(english, report)
    assert "Internal note" in html
    assert "Buren bellen" in html


def test_a_public_update_puts_the_case_in_progress(desk, session, english, categories):
    report = submit(session, categories.dumping)
    done(act(english, session, report, "update", update="We komen kijken."), report)
    assert report.status == ReportStatus.IN_PROGRESS
    [event] = [e for e in report.events if e.kind == ReportEventKind.PUBLIC_UPDATE]
    assert event.public
    assert "Public update" in case(english, report)


def test_a_question_is_answered_from_a_template_in_its_own_language(
    desk, session, english, categories
):
    session.add(
        AnswerTemplate(
            code="hours",
            titles={"nl": "Openingsuren", "fr": "Heures", "en": "Opening hours"},
            texts={"nl": "Wij zijn open.", "fr": "Nous sommes ouverts.", "en": "We are open."},
        )
    )
    promise = Promise(working_days=5, hours=parse_hours("mon-fri 08:00-17:00"), zone=BXL)
    question = commands.submit_question(
        session,
        Submission(category_code=categories.question.code, description="Open?", language="fr"),
        now=NOW,
        promise=promise,
    ).report
    page = english.get(f"/staff/reports/{question.id}", query_string={"template": "hours"})
    html = page.get_data(as_text=True)
    assert "Opening hours" in html  # the title in the staff member's language
    assert ">Nous sommes ouverts.</textarea>" in html  # the text in the question's
    done(
        act(english, session, question, "close", message="Nous sommes ouverts.", template="hours"),
        question,
    )
    assert question.status == ReportStatus.ANSWERED
    assert "Closed with a message" in case(english, question)


@pytest.mark.parametrize(
    ("action", "field", "value", "error"),
    [
        ("note", "note", "", "Write something here."),
        ("update", "update", "   ", "Write something here."),
        ("close", "message", "x" * 5001, "Use at most 5000 characters"),
        ("note", "note", "Jan \u202eneeteP", "Remove the special characters"),
    ],
)
def test_bad_text_is_a_field_error_and_changes_nothing(
    desk, session, english, categories, action, field, value, error
):
    report = submit(session, categories.dumping)
    before = len(report.events)
    assert field_error(act(english, session, report, action, **{field: value}), field).startswith(
        error
    )
    session.refresh(report)
    assert len(report.events) == before


def test_a_closed_case_takes_no_more_updates(desk, session, english, categories):
    report = submit(session, categories.dumping)
    commands.close_with_message(session, report, "Klaar", actor=commands.SYSTEM, now=NOW)
    answer = act(english, session, report, "update", update="Nog iets")
    assert field_error(answer, "update") == "This case is already closed: nothing was changed."


def test_the_errors_come_in_the_staff_members_language(desk, session, english, categories):
    report = submit(session, categories.dumping)
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    assert (
        field_error(act(english, session, report, "note", note=""), "note")
        == "Écrivez quelque chose ici."
    )


@pytest.fixture
def mail_on(app, monkeypatch):
    config = replace(
        app.config["BLAUWLIJN"],
        smtp_host="localhost",
        smtp_from="meldpunt@example.be",
        municipality_emails=(("Bever", "milieu@bever.example.be"),),
    )
    monkeypatch.setitem(app.config, "BLAUWLIJN", config)


def test_forward_to_the_municipality_with_the_identity_only_when_ticked(
    desk, mail_on, session, english, categories
):
    report = submit(session, categories.dumping, place=BEVER, reporter=Reporter(name="An Peeters"))
    assert "milieu@bever.example.be" in case(english, report)
    done(act(english, session, report, "forward"), report)
    mail = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.REPORT_FORWARD)
    ).one()
    assert mail.recipient == "milieu@bever.example.be"
    assert "An Peeters" not in mail.body
    assert "without the reporter&#39;s identity" in case(english, report)
    done(act(english, session, report, "forward", forward_identity="1"), report)
    assert "with the reporter&#39;s name and contact" in case(english, report)


def test_forward_refusals(desk, mail_on, session, english, categories):
    anonymous = submit(session, categories.dumping, place=BEVER, reporter=Reporter())
    answer = act(english, session, anonymous, "forward", forward_identity="1")
    assert field_error(answer, "forward_identity") == (
        "This reporter left no name or contact to send along."
    )
    elsewhere = submit(session, categories.dumping)  # no municipality with an address
    assert "No e-mail address is set" in field_error(
        act(english, session, elsewhere, "forward"), "forward"
    )


def test_forward_is_refused_without_e_mail(desk, session, english, categories, app, monkeypatch):
    config = replace(
        app.config["BLAUWLIJN"], municipality_emails=(("Bever", "milieu@bever.example.be"),)
    )
    monkeypatch.setitem(app.config, "BLAUWLIJN", config)
    report = submit(session, categories.dumping, place=BEVER)
    assert "E-mail is not set up" in case(english, report)
    assert "E-mail is not set up" in field_error(
        act(english, session, report, "forward"), "forward"
    )


def test_a_forward_that_could_not_be_delivered_is_listed_for_the_managers(
    desk, mail_on, session, english, categories, app
):
    report = submit(session, categories.dumping, place=BEVER)
    done(act(english, session, report, "forward"), report)
    mail = session.scalars(select(OutboxMessage)).one()
    mail.status, mail.last_error_code = OutboxStatus.FAILED, "smtp-550"
    session.flush()
    manager = app.test_client()
    manager.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_as(manager, session, Role.SUPERVISOR)
    answer = manager.get("/staff/admin/messages")
    assert answer.status_code == 200
    assert "Report forwarded to the municipality" in answer.get_data(as_text=True)


def test_actions_count_against_the_staff_members_hourly_limit(
    desk, session, english, categories, monkeypatch
):
    monkeypatch.setitem(LIMITS, "report-staff", 2)
    report = submit(session, categories.dumping)
    for _ in range(2):
        done(act(english, session, report, "note", note="Gezien"), report)
    assert act(english, session, report, "note", note="Nog eens").status_code == 429
