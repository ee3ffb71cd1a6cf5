"""Issue 15's staff pages of this branch in a real browser, axe on each: the supervisor's
reports overview (its two charts drawn by the bundled Chart.js under the app's
Content-Security-Policy), the answer templates (list, and the form's error next to the
field), and an officer's agenda with the reports assigned to them beside it."""

from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.demo.seed import DEMO_PASSWORD
from app.reports import commands
from app.reports.commands import Place, Reporter, Submission
from scheduling.models import District, Staff
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, assert_on, looked_at

SUPERVISOR = "GALOP-5001"
OFFICER = "GALOP-1001"  # Pieter Van Cutsem
CHARTS = ("categories", "municipalities")


def _report_for_the_officer(live_server: LiveServer) -> str:
    """A dumping report in the officer's district, routed to them; its number."""
    now = datetime.now(UTC)
    zone = live_server.app.config["BLAUWLIJN"].zone
    with steps.db(live_server) as session, session.begin():
        officer = session.scalars(select(Staff).where(Staff.personnel_number == OFFICER)).one()
        district = session.scalars(
            select(District).where(District.officer_id == officer.id)
        ).first()
        assert district is not None
        street = district.streets[0]
        submitted = commands.submit_report(
            session,
            Submission(
                category_code="illegal_dumping",
                description="Matras in de gracht",
                place=Place(
                    street_id=street.street_id,  # the register's: it names the municipality
                    street_name=street.street,
                    house_number=str(street.number_from or 1),
                    postcode=street.postcode,
                ),
                reporter=Reporter(name="An Peeters", phone="+32470123456"),
            ),
            now=now,
            zone=zone,
        )
        assert submitted.report.assigned_staff_id == officer.id
        return submitted.report.number


def test_the_supervisor_reads_the_overview_and_writes_answer_templates(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    _report_for_the_officer(live_server)
    steps.sign_in_with_code(page, live_server, SUPERVISOR, "/staff/reports/overview")
    expect(page.locator("#charts")).to_be_visible()  # Chart.js ran under the CSP
    drawn = page.evaluate(
        """keys => keys.map(key => {
             const chart = window.Chart && Chart.getChart(document.getElementById("chart-" + key));
             return chart ? chart.data.datasets.length : 0;
           })""",
        list(CHARTS),
    )
    assert all(drawn), drawn
    expect(page.locator("#weekly-table")).to_be_visible()
    looked_at(page, check_axe, shoot, "reports-overview")

    page.goto(f"{live_server.url}/staff/admin/answer-templates")
    expect(page.locator("main table")).to_contain_text(
        "Geen taak van de politie"
    )  # a demo one, in Dutch
    looked_at(page, check_axe, shoot, "answer-templates")
    page.locator("main a.button").click()
    assert_on(page, "/staff/admin/answer-templates/new")
    page.fill("#title_nl", "Proef")
    with page.expect_navigation():
        page.locator("main form[novalidate] button[type=submit]").click()
    steps.assert_error_next_to(page, "title_fr")
    looked_at(page, check_axe, shoot, "answer-template-error")


def test_an_officer_sees_reports_for_them_beside_the_agenda(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    number = _report_for_the_officer(live_server)
    page.goto(f"{live_server.url}/staff/agenda")
    page.fill("#personnel_number", OFFICER)
    page.fill("#password", DEMO_PASSWORD)
    steps.submit(page)
    assert_on(page, "/staff/agenda")
    expect(page.locator(".reports-for-you")).to_contain_text(number)
    looked_at(page, check_axe, shoot, "agenda-reports-for-you")
