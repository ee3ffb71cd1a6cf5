"""Reminders and overdue flags (app.reports.reminders, run by the worker every quarter of an
hour): the assignee is reminded on the working day before a question is due, over weekends
and holidays; supervisors hear once per question when it is overdue; a second run sends
nothing again; their home page counts the overdue questions."""

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.reports import commands, reminders
from app.reports.enums import CategoryKind
from app.worker import report_reminders
from scheduling.enums import MessageKind, NoticeChannel, Role
from scheduling.hours import parse_hours
from tests.app.reports.factories import make_category
from tests.factories import make_staff
from tests.staff_login import sign_in_as

BXL = ZoneInfo("Europe/Brussels")
OFFICE = parse_hours("mon-fri 08:00-17:00")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BXL)


@pytest.fixture
def config(app):
    return replace(
        app.config["BLAUWLIJN"],
        smtp_host="mail.example.be",
        smtp_from="Politie <noreply@example.be>",
        answer_hours=OFFICE,
        public_base_url="https://blauwlijn.example",
    )


@pytest.fixture
def assignee(session):
    return make_staff(session, email="wijkagent@example.be")


def _question(session, assignee, asked_at, *, days=2, sensitive=False):
    category = make_category(session, kind=CategoryKind.QUESTION, sensitive=sensitive)
    report = commands.submit_question(
        session,
        commands.Submission(category_code=category.code, description="Mijn vraag"),
        now=asked_at,
        promise=commands.Promise(working_days=days, hours=OFFICE, zone=BXL),
    ).report
    if assignee is not None:
        commands.triage(session, report, actor=commands.SYSTEM, now=asked_at, staff_id=assignee.id)
    return report


def _messages(session):
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.REPORT_REMINDER)
        )
    )


def _remind(app, session, config, at):
    with app.app_context():
        return reminders.remind_assignees(session, config=config, now=at.astimezone(UTC))


def test_the_reminder_day_skips_weekends_and_holidays():
    assert reminders.reminder_at(local(2026, 12, 14, 17), OFFICE, BXL) == local(2026, 12, 11, 8)
    # Due Monday 28 December: Christmas Friday is a holiday, so Thursday 24.
    assert reminders.reminder_at(local(2026, 12, 28, 17), OFFICE, BXL) == local(2026, 12, 24, 8)
    # Due Tuesday 30 March 2027: Easter Monday is a holiday, so Friday 26 March.
    assert reminders.reminder_at(local(2027, 3, 30, 17), OFFICE, BXL) == local(2027, 3, 26, 8)


def test_over_a_weekend_the_assignee_is_reminded_on_friday_once(app, session, config, assignee):
    report = _question(session, assignee, local(2026, 12, 10, 10))  # Thursday, 2 working days
    assert report.due_at == local(2026, 12, 14, 17)  # Monday
    assert _remind(app, session, config, local(2026, 12, 10, 15)) == 0  # Thursday: not yet
    assert _remind(app, session, config, local(2026, 12, 11, 9)) == 1  # Friday morning
    assert _remind(app, session, config, local(2026, 12, 11, 9, 15)) == 0  # the next run
    assert _remind(app, session, config, local(2026, 12, 12, 11)) == 0  # Saturday
    [message] = _messages(session)
    assert message.recipient == "wijkagent@example.be"
    assert message.channel is NoticeChannel.EMAIL
    assert f"https://blauwlijn.example/staff/reports/{report.id}" in message.body
    assert "Mijn vraag" not in message.body  # a link, never the question


def test_before_christmas_the_reminder_comes_on_the_24th(app, session, config, assignee):
    report = _question(session, assignee, local(2026, 12, 23, 10))  # Wednesday
    assert report.due_at == local(2026, 12, 28, 17)  # Thursday, (Christmas), Monday
    assert _remind(app, session, config, local(2026, 12, 23, 16)) == 0
    with freeze_time(local(2026, 12, 24, 9)):
        assert _remind(app, session, config, local(2026, 12, 24, 9)) == 1
    assert _remind(app, session, config, local(2026, 12, 25, 9)) == 0


def test_without_smtp_nothing_is_queued(app, session, config, assignee):
    _question(session, assignee, local(2026, 12, 10, 10))
    off = replace(config, smtp_host=None)
    assert _remind(app, session, off, local(2026, 12, 11, 9)) == 0


def test_overdue_questions_are_flagged_once_to_each_active_supervisor(
    app, session, config, assignee
):
    supervisors = [
        make_staff(session, roles=(Role.SUPERVISOR,), email=f"chef{n}@example.be") for n in (1, 2)
    ]
    make_staff(session, roles=(Role.SUPERVISOR,), email="weg@example.be", active=False)
    make_staff(session, roles=(Role.INTAKE,), email="onthaal@example.be")
    late = _question(session, None, local(2026, 12, 23, 10))  # due Monday 28, no assignee
    _question(session, None, local(2026, 12, 23, 10), sensitive=True)
    tuesday = local(2026, 12, 29, 9).astimezone(UTC)
    with app.app_context():
        assert reminders.flag_overdue(session, config=config, now=tuesday) == 2
        assert reminders.flag_overdue(session, config=config, now=tuesday) == 0
    assert sorted(m.recipient for m in _messages(session)) == [s.email for s in supervisors]
    assert all(f"/staff/reports/{late.id}" in m.body for m in _messages(session))
    assert reminders.overdue_count(session, now=tuesday) == 1  # not the sensitive one


def test_the_worker_job_twice_makes_one_message(app, session, config, assignee, monkeypatch):
    monkeypatch.setitem(app.config, "BLAUWLIJN", config)
    _question(session, assignee, local(2026, 12, 10, 10))
    with freeze_time(local(2026, 12, 11, 9)):
        assert report_reminders(app) == 1
        assert report_reminders(app) == 0
    assert len(_messages(session)) == 1


def test_a_supervisors_home_page_counts_overdue_questions(client, session, assignee):
    _question(session, assignee, local(2026, 12, 23, 10))
    with freeze_time(local(2026, 12, 29, 9)):
        sign_in_as(client, session, Role.SUPERVISOR)
        html = client.get("/staff/?lang=en").get_data(as_text=True)
    assert "Questions past their answer date: 1" in html
    assert 'href="/staff/reports?overdue=1"' in html or "overdue=1" in html


def test_others_see_no_overdue_count(client, session, assignee):
    _question(session, assignee, local(2026, 12, 23, 10))
    with freeze_time(local(2026, 12, 29, 9)):
        sign_in_as(client, session, Role.DISTRICT_OFFICER)
        html = client.get("/staff/?lang=en").get_data(as_text=True)
    assert "past their answer date" not in html
