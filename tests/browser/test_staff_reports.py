"""The intake desk in a real browser, with the keyboard alone: signs in, finds an illegal
dumping report in the queue (already with the wijkagent of its address), triages it to a
colleague, then answers a French question from an answer template. axe finds nothing on the
queue and the case pages; a screenshot of every step.

The live server's demo data is shared by every browser test: the cases and the template made
here are removed at the end, whatever happens."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page
from sqlalchemy import delete, select

from app.demo.seed import DEMO_PASSWORD
from app.reports import commands
from app.reports.commands import Place, Promise, Reporter, Submission
from app.reports.enums import ReportStatus
from app.reports.models import AnswerTemplate, Report, SensitiveAccess
from scheduling.models import Staff
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

INTAKE = "GALOP-6001"
WIJKAGENT = "GALOP-1009"  # the wijkagent of Plaats 1, 1547 Bever
COLLEAGUE = "Pieter Van Cutsem"  # GALOP-1001, a wijkagent of Gooik
MAX_TABS = 80


@dataclass(frozen=True)
class Cases:
    report: str  # numbers
    question: str
    wijkagent: str  # name
    report_link: str  # the queue's link to each
    question_link: str


@pytest.fixture
def cases(live_server: LiveServer) -> Iterator[Cases]:
    config = live_server.app.config["BLAUWLIJN"]
    now = datetime.now(UTC)
    with steps.db(live_server) as session, session.begin():
        report = commands.submit_report(
            session,
            Submission(
                category_code="illegal_dumping",
                description="Zakken afval naast de glasbol",
                place=Place(street_name="Plaats", house_number="1", postcode="1547"),
                reporter=Reporter(name="An Peeters", phone="+32470123456"),
            ),
            now=now,
            zone=config.zone,
        ).report
        question = commands.submit_question(
            session,
            Submission(
                category_code="question",
                description="Quand le commissariat est-il ouvert ?",
                language="fr",
                reporter=Reporter(name="Marie Dubois", email="marie@example.be"),
            ),
            now=now,
            promise=Promise(config.question_answer_days, config.answer_hours, config.zone),
        ).report
        session.add(
            AnswerTemplate(
                code="browser-hours",
                titles={"nl": "Openingsuren", "fr": "Heures d'ouverture", "en": "Opening hours"},
                texts={
                    "nl": "Het onthaal is open op weekdagen van 8 tot 16.30 uur.",
                    "fr": "L'accueil est ouvert en semaine de 8 h à 16 h 30.",
                    "en": "The front desk is open on weekdays from 8:00 to 16:30.",
                },
            )
        )
        wijkagent = session.scalars(select(Staff).where(Staff.personnel_number == WIJKAGENT))
        made = Cases(
            report.number,
            question.number,
            wijkagent.one().name,
            f"main table a[href='/staff/reports/{report.id}']",
            f"main table a[href='/staff/reports/{question.id}']",
        )
        ids = [report.id, question.id]
    steps.forget_rate_limits(live_server)
    try:
        yield made
    finally:
        with steps.db(live_server) as session, session.begin():
            session.execute(delete(SensitiveAccess).where(SensitiveAccess.report_id.in_(ids)))
            for case in session.scalars(select(Report).where(Report.id.in_(ids))):
                session.delete(case)
            session.execute(delete(AnswerTemplate).where(AnswerTemplate.code == "browser-hours"))


def is_focused(page: Page, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement.matches(s)", selector))


def tab_to(page: Page, selector: str) -> None:
    for _press in range(MAX_TABS):
        page.keyboard.press("Tab")
        if is_focused(page, selector):
            return
    raise AssertionError(f"{selector!r} never got the focus")


def press_and_load(page: Page, key: str = "Enter") -> None:
    with page.expect_navigation(wait_until="load", timeout=15_000):
        page.keyboard.press(key)


def choose(page: Page, selector: str, label: str) -> None:
    """Pick an option of the focused <select> by typing its first letters, as people do."""
    tab_to(page, selector)
    page.keyboard.type(label)
    chosen = page.evaluate(
        "s => { const e = document.querySelector(s); return e.options[e.selectedIndex].text }",
        selector,
    )
    assert chosen.startswith(label), chosen


def test_the_intake_desk_triages_a_report_and_answers_a_question_from_a_template(
    desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot, cases: Cases
) -> None:
    page = desktop_page
    page.goto(f"{live_server.url}/staff/reports?lang=en")
    assert_on(page, "/staff/login")
    tab_to(page, "#personnel_number")
    page.keyboard.type(INTAKE)
    tab_to(page, "#password")
    page.keyboard.type(DEMO_PASSWORD)
    press_and_load(page)
    assert_on(page, "/staff/reports")
    looked_at(page, check_axe, shoot, "queue")

    # The report came in with the wijkagent of its address.
    row = page.locator("main table tr", has_text=cases.report)
    assert cases.wijkagent in row.inner_text()
    # The question is due: it stands above the report.
    numbers = page.locator("main table tbody th").all_inner_texts()
    assert numbers.index(cases.question) < numbers.index(cases.report)

    tab_to(page, cases.report_link)
    press_and_load(page)
    looked_at(page, check_axe, shoot, "report")
    choose(page, "#assignee", COLLEAGUE)
    tab_to(page, "form[action$='/triage'] button[type=submit]")
    press_and_load(page)
    assert "The triage is saved." in page.inner_text("main")
    assert f"{cases.wijkagent} → {COLLEAGUE}" in page.inner_text("main table")
    looked_at(page, check_axe, shoot, "triaged")

    # Back to the queue, then the question.
    tab_to(page, "a.back-link")
    press_and_load(page)
    tab_to(page, cases.question_link)
    press_and_load(page)
    looked_at(page, check_axe, shoot, "question")
    choose(page, "#template", "Opening hours")
    tab_to(page, "form[method=get] button[type=submit]")
    press_and_load(page)
    tab_to(page, "#message")
    assert page.input_value("#message") == "L'accueil est ouvert en semaine de 8 h à 16 h 30."
    looked_at(page, check_axe, shoot, "answer-from-template")
    tab_to(page, "form[action$='/close'] button[type=submit]")
    press_and_load(page)
    assert "The case is closed" in page.inner_text("main")
    assert "Answered" in page.inner_text("dl.summary")
    looked_at(page, check_axe, shoot, "answered")

    with steps.db(live_server) as session:
        question = session.scalars(select(Report).where(Report.number == cases.question)).one()
        assert question.status == ReportStatus.ANSWERED


def test_a_bad_answer_comes_back_next_to_its_field(
    desktop_page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot, cases: Cases
) -> None:
    page = desktop_page
    page.goto(f"{live_server.url}/staff/reports?lang=en")
    page.fill("#personnel_number", INTAKE)
    page.fill("#password", DEMO_PASSWORD)
    steps.submit(page)
    page.locator("main table a", has_text=cases.question).click()
    page.wait_for_load_state()
    with page.expect_navigation():
        page.locator("form[action$='/close'] button[type=submit]").click()
    steps.assert_error_next_to(page, "message")
    looked_at(page, check_axe, shoot, "empty-answer")
