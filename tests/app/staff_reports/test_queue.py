"""The intake queue: one list, the most urgent first, filters that work without JavaScript,
pages, and sensitive reports shown only as "A sensitive report arrived" to who may not read
them."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from app.reports import commands
from app.reports.commands import Place, Promise, Submission
from app.reports.enums import ReportStatus
from app.staff.reports.queue import PAGE_SIZE
from scheduling.enums import Role
from scheduling.hours import parse_hours
from tests.app.reports.factories import BXL, NOW, submit
from tests.factories import make_staff
from tests.staff_login import sign_in_as

PROMISE = Promise(working_days=5, hours=parse_hours("mon-fri 08:00-17:00"), zone=BXL)
BEVER = Place(street_name="Kerkstraat", house_number="1", postcode="1547", municipality="Bever")
GOOIK = Place(street_name="Dorp", house_number="2", postcode="1755", municipality="Gooik")


def ask(session, category, *, now=NOW, description="When is the office open?"):
    return commands.submit_question(
        session,
        Submission(category_code=category.code, description=description),
        now=now,
        promise=PROMISE,
    ).report


def numbers(html: str) -> list[str]:
    return re.findall(r'<th scope="row">(?:<a href="[^"]+">)?([MV]-\d{4}-\d{6})', html)


def queue(client, **query) -> str:
    answer = client.get("/staff/reports", query_string=query)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_questions_by_due_date_first_then_the_oldest_reports(frozen, session, english, categories):
    sign_in_as(english, session, Role.INTAKE)
    old_report = submit(session, categories.dumping, now=NOW - timedelta(days=3))
    new_report = submit(session, categories.noise, now=NOW - timedelta(days=1))
    late_question = ask(session, categories.question, now=NOW - timedelta(hours=1))
    early_question = ask(session, categories.question, now=NOW - timedelta(days=2))
    assert early_question.due_at < late_question.due_at
    assert numbers(queue(english)) == [
        early_question.number,
        late_question.number,
        old_report.number,
        new_report.number,
    ]


def test_filters_by_category_municipality_status_and_overdue(frozen, session, english, categories):
    sign_in_as(english, session, Role.INTAKE)
    in_bever = submit(session, categories.dumping, place=BEVER)
    in_gooik = submit(session, categories.noise, place=GOOIK)
    overdue = ask(session, categories.question, now=NOW - timedelta(days=14))
    on_time = ask(session, categories.question)
    closed = submit(session, categories.dumping, place=BEVER)
    commands.close_with_message(session, closed, "Opgeruimd", actor=commands.SYSTEM, now=NOW)

    assert numbers(queue(english, category=categories.dumping.code)) == [in_bever.number]
    assert numbers(queue(english, municipality="gooik")) == [in_gooik.number]
    assert numbers(queue(english, status="closed")) == [closed.number]
    assert closed.number not in numbers(queue(english))  # open cases by default
    assert closed.number in numbers(queue(english, status="all"))
    html = queue(english, overdue="1")
    assert numbers(html) == [overdue.number]
    assert "Overdue" in html
    assert on_time.number in numbers(queue(english))


def test_a_filter_it_cannot_use_is_left_out(frozen, session, english, categories):
    sign_in_as(english, session, Role.INTAKE)
    report = submit(session, categories.dumping)
    assert numbers(queue(english, status="nonsense", page="\u00b2", category="x\u202e")) == [
        report.number
    ]


def test_fifty_to_a_page_with_a_link_to_the_next_keeping_the_filters(
    frozen, session, english, categories
):
    sign_in_as(english, session, Role.INTAKE)
    made = [submit(session, categories.dumping, now=NOW - timedelta(minutes=i)) for i in range(51)]
    first = queue(english, category=categories.dumping.code)
    assert len(numbers(first)) == PAGE_SIZE
    assert "Cases found: 51" in first
    link = re.search(r'href="(/staff/reports\?[^"]+)" rel="next"', first)
    assert link
    assert f"category={categories.dumping.code}" in link.group(1)
    second = english.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert numbers(second) == [made[0].number]  # the newest, last


@pytest.mark.parametrize("role", [Role.INTAKE, Role.SUPERVISOR])
def test_the_desk_sees_only_that_a_sensitive_report_arrived(
    frozen, session, english, categories, role
):
    sign_in_as(english, session, role)
    secret = submit(session, categories.sensitive, place=BEVER, description="Geheime beschrijving")
    html = queue(english)
    assert secret.number in numbers(html)
    assert "A sensitive report arrived" in html
    for told in ("Discrimination", "Kerkstraat", "Bever", "Geheime", f"/staff/reports/{secret.id}"):
        assert told not in html.split("<tbody>")[1], told
    assert "Discrimination" not in html  # not even as a filter choice
    # A filter that would say what or where it is leaves it out.
    assert secret.number not in numbers(queue(english, municipality="Bever"))
    # Once the restricted team has taken it, it is no longer "arriving".
    commands.triage(session, secret, actor=commands.SYSTEM, now=NOW, team="restricted")
    assert secret.number not in numbers(queue(english))


@pytest.mark.parametrize("role", [Role.RESTRICTED_TEAM, Role.RESTRICTED_LEAD, Role.ZONE_CHIEF])
def test_the_restricted_team_and_the_zone_chief_read_sensitive_rows(
    frozen, session, english, categories, role
):
    sign_in_as(english, session, role)
    secret = submit(session, categories.sensitive, place=BEVER)
    html = queue(english, category=categories.sensitive.code)
    assert numbers(html) == [secret.number]
    assert "Discrimination" in html
    assert "A sensitive report arrived" not in html


def test_the_restricted_team_sees_no_ordinary_report_but_its_own(
    frozen, session, english, categories
):
    me = sign_in_as(english, session, Role.RESTRICTED_TEAM)
    ordinary = submit(session, categories.dumping)
    given = submit(session, categories.noise)
    commands.triage(session, given, actor=commands.SYSTEM, now=NOW, staff_id=me.id)
    assert numbers(queue(english)) == [given.number]
    assert ordinary.status == ReportStatus.NEW


def test_an_officer_sees_the_cases_assigned_to_them_only(frozen, session, english, categories):
    me = sign_in_as(english, session, Role.DISTRICT_OFFICER)
    colleague = make_staff(session)
    mine = submit(session, categories.dumping)
    theirs = submit(session, categories.dumping)
    secret = submit(session, categories.sensitive)
    commands.triage(session, mine, actor=commands.SYSTEM, now=NOW, staff_id=me.id)
    commands.triage(session, theirs, actor=commands.SYSTEM, now=NOW, staff_id=colleague.id)
    commands.triage(session, secret, actor=commands.SYSTEM, now=NOW, staff_id=me.id)
    html = queue(english)
    assert numbers(html) == [mine.number]
    assert "A sensitive report arrived" not in html


def test_the_page_costs_one_query_and_one_count_however_many_rows(
    frozen, session, english, categories, connection
):
    sign_in_as(english, session, Role.INTAKE)
    officer = make_staff(session)
    for n in range(30):
        report = submit(session, categories.dumping if n % 2 else categories.sensitive)
        commands.triage(session, report, actor=commands.SYSTEM, now=NOW, staff_id=officer.id)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(connection, "before_cursor_execute", seen)
    try:
        queue(english)
    finally:
        event.remove(connection, "before_cursor_execute", seen)
    on_reports = [s for s in statements if "FROM reports" in s]
    assert len(on_reports) == 2, on_reports
