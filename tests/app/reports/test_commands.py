"""The commands every channel writes a report or question through: each records its event."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.reports import commands
from app.reports.commands import Place, Promise, Reporter, Submission, staff
from app.reports.enums import (
    AccessAction,
    CategoryKind,
    ContactHow,
    ReportActor,
    ReportChannel,
    ReportEventKind,
    ReportStatus,
)
from app.reports.models import SensitiveAccess
from scheduling.errors import InvalidRequest, NotAllowed, NotFound
from scheduling.hours import parse_hours
from scheduling.models import Street
from tests.app.reports.factories import BXL, NOW, make_category, submit
from tests.factories import make_district, make_staff

PROMISE = Promise(working_days=5, hours=parse_hours("mon-fri 08:00-17:00"), zone=BXL)


def kinds(report) -> list[tuple[ReportEventKind, bool]]:
    return [(e.kind, e.public) for e in report.events]


def test_a_report_with_an_address_lands_with_its_wijkagent(session):
    officer = make_staff(session)
    make_district(session, officer)
    report = submit(session, make_category(session))
    assert report.number == "M-2026-000001"
    assert (report.assigned_staff_id, report.assigned_team, report.status) == (
        officer.id,
        None,
        ReportStatus.NEW,
    )
    [event] = report.events
    assert (event.kind, event.public, event.actor_kind) == (
        ReportEventKind.SUBMITTED,
        True,
        ReportActor.CITIZEN,
    )
    assert event.details == {"channel": "web", "staff": officer.id, "team": None}


def test_the_status_token_is_long_and_only_its_hash_is_kept(session):
    submitted = commands.submit_report(
        session,
        Submission(category_code=make_category(session).code, description="Lawaai"),
        now=NOW,
        zone=BXL,
    )
    assert len(submitted.status_token) >= 32  # 24 random bytes: 192 bits
    assert submitted.status_token not in submitted.report.token_hash
    assert commands.report_by_token(session, submitted.status_token) is submitted.report
    assert submitted.report.assigned_staff_id is None  # no address: the intake queue
    with pytest.raises(NotFound):
        commands.report_by_token(session, "x" + submitted.status_token)


def test_what_a_submission_needs(session):
    named = make_category(session, anonymous_allowed=False)
    with pytest.raises(InvalidRequest) as refused:
        submit(session, named, reporter=Reporter())
    assert refused.value.field == "name"
    anonymous = make_category(session, sensitive=True, handled_by="integrity")
    report = submit(session, anonymous, reporter=Reporter())
    assert (report.reporter_name, report.assigned_team) == (None, "integrity")
    with pytest.raises(InvalidRequest) as refused:
        submit(session, anonymous, reporter=Reporter(contact_how=ContactHow.PHONE))
    assert refused.value.field == "phone"
    for bad in ("", "   ", "x" * 5001, "Kijk \u202eecnaveleg"):
        with pytest.raises(InvalidRequest) as refused:
            submit(session, anonymous, description=bad)
        assert refused.value.field == "description"
    with pytest.raises(InvalidRequest) as refused:
        submit(session, anonymous, place=Place(lat=50.7))
    assert refused.value.field == "location"
    with pytest.raises(InvalidRequest) as refused:
        submit(session, make_category(session, kind=CategoryKind.LOST))
    assert refused.value.field == "object_type"
    with pytest.raises(InvalidRequest) as refused:
        submit(session, make_category(session, active=False))
    assert refused.value.field == "category"


def test_a_question_gets_its_due_date_and_only_through_the_contact_form(session):
    question = make_category(session, kind=CategoryKind.QUESTION)
    asked = Submission(category_code=question.code, description="Mag ik een vuurkorf gebruiken?")
    report = commands.submit_question(session, asked, now=NOW, promise=PROMISE).report
    assert report.number == "V-2026-000001"
    assert report.due_at == NOW.replace(hour=16) + timedelta(days=7)  # Tuesday 8, 17:00
    with pytest.raises(InvalidRequest):
        commands.submit_report(session, asked, now=NOW, zone=BXL)
    other = Submission(category_code=make_category(session).code, description="Lawaai")
    with pytest.raises(InvalidRequest):
        commands.submit_question(session, other, now=NOW, promise=PROMISE)


def test_a_call_taker_registers_a_report_for_a_caller(session):
    taker = make_staff(session)
    submission = Submission(
        category_code=make_category(session).code, description="Lawaai", channel=ReportChannel.PHONE
    )
    submitted = commands.submit_report(
        session, submission, now=NOW, zone=BXL, actor=staff(taker.id)
    )
    report = submitted.report
    assert (report.channel, report.events[0].actor_id) == (ReportChannel.PHONE, taker.id)


def test_the_citizen_adds_information_and_withdraws_then_nothing_more(session):
    report = submit(session, make_category(session))
    later = NOW + timedelta(hours=1)
    commands.add_information(
        session, report, "Het gebeurt elke vrijdag.", actor=commands.CITIZEN, now=later
    )
    commands.withdraw(session, report, actor=commands.CITIZEN, now=later)
    assert (report.status, report.closed_at, report.updated_at) == (
        ReportStatus.WITHDRAWN,
        later,
        later,
    )
    assert kinds(report)[1:] == [
        (ReportEventKind.INFORMATION_ADDED, True),
        (ReportEventKind.WITHDRAWN, True),
    ]
    assert report.events[1].details == {"text": "Het gebeurt elke vrijdag."}
    with pytest.raises(NotAllowed):
        commands.add_information(session, report, "Nog iets", actor=commands.CITIZEN, now=later)


def test_triage_fixes_the_category_and_assigns_recording_before_and_after(session):
    officer, lead = make_staff(session), make_staff(session)
    report = submit(session, make_category(session), place=Place(landmark="Aan de kerk"))
    traffic = make_category(session)
    event = commands.triage(
        session,
        report,
        actor=staff(lead.id),
        now=NOW,
        category_code=traffic.code,
        staff_id=officer.id,
    )
    assert (report.category, report.assigned_staff_id, report.status) == (
        traffic,
        officer.id,
        ReportStatus.TRIAGED,
    )
    assert event.details["staff"] == [None, officer.id]
    assert event.details["category"][1] == traffic.code
    assert (event.actor_kind, event.actor_id, event.public) == (ReportActor.STAFF, lead.id, False)
    with pytest.raises(InvalidRequest):
        commands.triage(
            session, report, actor=staff(lead.id), now=NOW, staff_id=officer.id, team="x"
        )
    question = make_category(session, kind=CategoryKind.QUESTION)
    with pytest.raises(InvalidRequest):
        commands.triage(session, report, actor=staff(lead.id), now=NOW, category_code=question.code)


def test_merge_closes_the_duplicate_and_both_cases_say_so(session):
    lead = make_staff(session)
    dumping = make_category(session)
    case, duplicate = submit(session, dumping), submit(session, dumping)
    commands.merge(session, duplicate, case, actor=staff(lead.id), now=NOW)
    assert (duplicate.status, duplicate.merged_into_id, duplicate.closed_at) == (
        ReportStatus.MERGED,
        case.id,
        NOW,
    )
    assert duplicate.events[-1].details == {"into": case.number}
    assert (case.events[-1].kind, case.events[-1].details) == (
        ReportEventKind.ABSORBED,
        {"from": duplicate.number},
    )
    with pytest.raises(NotAllowed):
        commands.merge(session, duplicate, case, actor=staff(lead.id), now=NOW)
    with pytest.raises(InvalidRequest):
        commands.merge(session, case, case, actor=staff(lead.id), now=NOW)
    sensitive = submit(session, make_category(session, sensitive=True))
    with pytest.raises(NotAllowed):
        commands.merge(session, sensitive, case, actor=staff(lead.id), now=NOW)


def test_notes_stay_internal_updates_are_public_and_closing_answers_a_question(session):
    officer = make_staff(session)
    report = submit(session, make_category(session))
    commands.add_note(session, report, "Buurman gekend", actor=staff(officer.id), now=NOW)
    commands.public_update(session, report, "We gaan langs.", actor=staff(officer.id), now=NOW)
    assert report.status == ReportStatus.IN_PROGRESS
    commands.close_with_message(session, report, "Opgelost.", actor=staff(officer.id), now=NOW)
    assert (report.status, report.closed_at) == (ReportStatus.CLOSED, NOW)
    assert kinds(report)[1:] == [
        (ReportEventKind.NOTE, False),
        (ReportEventKind.PUBLIC_UPDATE, True),
        (ReportEventKind.CLOSED, True),
    ]
    question = make_category(session, kind=CategoryKind.QUESTION)
    asked = Submission(category_code=question.code, description="Vuurkorf?")
    report = commands.submit_question(session, asked, now=NOW, promise=PROMISE).report
    commands.close_with_message(session, report, "Ja, buiten.", actor=staff(officer.id), now=NOW)
    assert report.status == ReportStatus.ANSWERED


def test_every_staff_opening_and_change_of_a_sensitive_report_is_logged(session):
    member = make_staff(session)
    sensitive = submit(session, make_category(session, sensitive=True, handled_by="integrity"))
    ordinary = submit(session, make_category(session))
    for report in (sensitive, ordinary):
        commands.opened(session, report, staff_id=member.id, now=NOW)
        commands.add_note(session, report, "Gelezen", actor=staff(member.id), now=NOW)
        commands.exported(session, report, staff_id=member.id, now=NOW)
    logged = session.execute(
        select(
            SensitiveAccess.report_id, SensitiveAccess.staff_id, SensitiveAccess.action
        ).order_by(SensitiveAccess.id)
    ).all()
    assert [tuple(row) for row in logged] == [
        (sensitive.id, member.id, AccessAction.OPEN),
        (sensitive.id, member.id, AccessAction.CHANGE),
        (sensitive.id, member.id, AccessAction.EXPORT),
    ]


def test_a_register_street_names_itself_and_routes_like_its_name(session):
    """A report on a street of the register carries the register's name and municipality
    (Open311 and the staff pages show them), whatever else the form said; an unknown one is
    refused, naming the field."""
    officer = make_staff(session)
    make_district(session, officer)
    street = Street(
        best_id="BE-VLG:7001",
        nis_code="23009",
        municipality_nl="Bever",
        municipality_fr="Biévène",
        name_nl="Plaats",
        name_fr="Place",
    )
    session.add(street)
    session.flush()
    place = Place(street_id=street.id, street_name="plaats?", house_number="3", postcode="1547")
    report = submit(session, make_category(session), place=place)
    assert (report.street_id, report.street_name, report.municipality) == (
        street.id,
        "Plaats",
        "Bever",
    )
    assert report.assigned_staff_id == officer.id
    with pytest.raises(InvalidRequest) as refused:
        submit(session, make_category(session), place=Place(street_id=street.id + 999))
    assert refused.value.field == "street"
