"""Issue 15: a call-taker registers a report for a caller in the console (make run's
simulated phone): the caller's number offered, an error next to its field, then the report
number to read out; axe on each state."""

from playwright.sync_api import Page, expect

from app.reports.enums import ReportChannel
from app.reports.models import Report
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, looked_at

CALL_TAKERS = {"desktop": "GALOP-4004", "phone": "GALOP-4004"}


def test_registering_a_report_for_a_caller(
    page: Page, live_server: LiveServer, check_axe: CheckAxe, shoot: Shoot
) -> None:
    viewport = "phone" if page.viewport_size and page.viewport_size["width"] < 500 else "desktop"
    number = "+3247077" + ("0001" if viewport == "desktop" else "0002")
    steps.take_queued_caller(page, live_server, CALL_TAKERS[viewport], number, topic="report")

    panel = page.locator("#caller-panel")
    expect(panel.locator("#report_phone")).to_have_value(
        "0470 77 00 01" if viewport == "desktop" else "0470 77 00 02"
    )
    panel.locator("#report_category").select_option("illegal_dumping")
    panel.locator("#report_street").fill("Plaats")
    panel.locator("#report_number").fill("1")
    panel.locator("#report_postcode").fill("1547")
    panel.locator("form[action$='/report'] button[type=submit]").click()
    expect(panel.locator("#report_description-error")).to_be_visible()  # no description yet
    expect(panel.locator("#report_street")).to_have_value("Plaats")
    looked_at(page, check_axe, shoot, "console-report-error")

    panel.locator("#report_description").fill("Zakken afval naast de glasbol")
    panel.locator("form[action$='/report'] button[type=submit]").click()
    expect(panel.locator(".notice-success")).to_contain_text("M-")
    looked_at(page, check_axe, shoot, "console-report-registered")
    with steps.db(live_server) as session:
        report = session.query(Report).filter_by(reporter_phone=number).one()
        assert report.channel is ReportChannel.PHONE
        assert report.number in panel.locator(".notice-success").inner_text()
