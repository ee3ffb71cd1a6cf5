"""The overview's figures without Flask: weeks, working time, answer figures."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event

from app.reports import commands, figures
from app.reports.enums import CategoryKind
from scheduling.hours import parse_hours
from tests.app.reports.factories import NOW, make_category

BXL = ZoneInfo("Europe/Brussels")
OFFICE = parse_hours("mon-fri 08:00-17:00")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=BXL)


def test_twelve_iso_weeks_up_to_this_one_in_the_zones_time():
    weeks = figures.weeks_until(NOW, BXL)
    assert weeks.labels[0] == "2026-W38"
    assert weeks.labels[-1] == "2026-W49"
    assert weeks.bounds[-1] == local(2026, 12, 7, 0).astimezone(UTC)  # next Monday, local
    # Sunday 23:30 in Brussels is still the week before, though Monday in no zone's UTC.
    assert figures.weeks_until(local(2026, 12, 6, 23, 30), BXL).labels[-1] == "2026-W49"


def test_working_time_skips_the_weekend_and_a_holiday():
    friday_four = local(2026, 12, 18, 16)  # one working hour left on Friday
    monday_nine = local(2026, 12, 21, 9)  # one on Monday
    assert figures.working_seconds(friday_four, monday_nine, OFFICE, BXL) == 2 * 3600
    # Thursday 24 December 16:00 to Monday 28 9:00: Christmas (Friday) is a public holiday.
    assert figures.working_seconds(
        local(2026, 12, 24, 16), local(2026, 12, 28, 9), OFFICE, BXL
    ) == (2 * 3600)
    assert figures.working_seconds(monday_nine, friday_four, OFFICE, BXL) == 0


def test_answer_figures_median_and_share_on_time(session):
    question = make_category(session, kind=CategoryKind.QUESTION)
    promise = commands.Promise(working_days=1, hours=OFFICE, zone=BXL)
    asked_at = local(2026, 11, 30, 9)  # Monday 9:00: due Tuesday 17:00
    for answered_after in (timedelta(hours=2), timedelta(hours=4), timedelta(days=3)):
        report = commands.submit_question(
            session,
            commands.Submission(category_code=question.code, description="Vraag"),
            now=asked_at,
            promise=promise,
        ).report
        commands.close_with_message(
            session, report, "Antwoord", actor=commands.SYSTEM, now=asked_at + answered_after
        )
    open_one = commands.submit_question(
        session,
        commands.Submission(category_code=question.code, description="Nog open"),
        now=asked_at,
        promise=promise,
    ).report
    weeks = figures.weeks_until(local(2026, 12, 3, 12), BXL)
    found = figures.answer_figures(
        session, weeks, now=local(2026, 12, 3, 12), hours=OFFICE, zone=BXL
    )
    assert (found.answered, found.on_time, found.on_time_percent) == (3, 2, 67)
    assert found.median_working_hours == 4.0
    assert found.open_overdue == 1
    assert open_one.due_at is not None


def test_each_block_is_a_query_or_two_however_many_reports(session):
    """The database counts: a block's query count does not grow with the reports."""
    category = make_category(session)
    question = make_category(session, kind=CategoryKind.QUESTION)
    promise = commands.Promise(working_days=1, hours=OFFICE, zone=BXL)
    for n in range(5):
        commands.submit_report(
            session,
            commands.Submission(
                category_code=category.code,
                description="x",
                place=commands.Place(street_name=f"Straat {n}", postcode="1547"),
            ),
            now=NOW,
            zone=BXL,
        )
        asked = commands.submit_question(
            session,
            commands.Submission(category_code=question.code, description="?"),
            now=NOW,
            promise=promise,
        ).report
        commands.close_with_message(session, asked, "!", actor=commands.SYSTEM, now=NOW)
    session.flush()
    statements: list[str] = []
    connection = session.connection()

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", count)
    try:
        weeks = figures.weeks_until(NOW, BXL)
        assert sum(row.total for row in figures.weekly_counts(session, weeks)) == 10
        assert len(statements) == 2  # the counts, and the few categories they name
        assert len(figures.top_streets(session, now=NOW)) == 5
        assert len(statements) == 3
        assert figures.answer_figures(session, weeks, now=NOW, hours=OFFICE, zone=BXL).answered == 5
        assert len(statements) == 5  # the answered questions, and the overdue count
    finally:
        event.remove(connection, "before_cursor_execute", count)
