"""The supervisor's page in a real browser: the period's three charts (Chart.js, bundled in
static/vendor), axe on the page, and the live block following the queue and the call-takers
over Server-Sent Events without a reload, also under the app's own Content-Security-Policy."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from callcenter.presence import set_status
from ivr.models import Call
from scheduling.enums import PresenceStatus
from scheduling.models import Staff
from tests.browser import steps
from tests.browser.conftest import LiveServer
from tests.browser.steps import CheckAxe, Shoot, looked_at

SUPERVISOR = "GALOP-5001"  # Ann Vandenbroucke
WATCHED = "GALOP-4003"  # Yannick Dubois: a call-taker no other browser test signs in
CHARTS = ("calls", "service", "times")


def _charts_drawn(page: Page) -> list[int]:
    """The number of datasets of the Chart instance on each chart's canvas."""
    expect(page.locator("#charts")).to_be_visible()
    drawn: list[int] = page.evaluate(
        """keys => keys.map(key => {
             const chart = window.Chart && Chart.getChart(document.getElementById("chart-" + key));
             return chart ? chart.data.datasets.length : 0;
           })""",
        list(CHARTS),
    )
    return drawn


@pytest.fixture
def queued(live_server: LiveServer) -> Iterator[list[int]]:
    """The calls a test puts in the queue (and the call-taker it makes available), gone
    again afterwards so that no other test sees them."""
    calls: list[int] = []
    yield calls
    now = datetime.now(UTC)
    with steps.db(live_server) as session, session.begin():
        session.execute(
            update(Call).where(Call.id.in_(calls)).values(outcome="abandoned", ended_at=now)
        )
        watched = session.scalars(select(Staff).where(Staff.personnel_number == WATCHED)).one()
        set_status(session, watched.id, PresenceStatus.OFFLINE, now)


def _queue_a_caller(live_server: LiveServer, queued: list[int], *, waited: int) -> None:
    now = datetime.now(UTC)
    with steps.db(live_server) as session, session.begin():
        call = steps.queued_caller(session, "+32470660001", waited=waited)
        queued.append(call.id)
        watched = session.scalars(select(Staff).where(Staff.personnel_number == WATCHED)).one()
        set_status(session, watched.id, PresenceStatus.AVAILABLE, now)


def _seconds(page: Page) -> int:
    found = re.fullmatch(r"(\d+) s", page.locator("#live-longest").inner_text().strip())
    assert found, page.locator("#live-longest").inner_text()
    return int(found.group(1))


def test_the_supervisor_sees_charts_and_a_live_queue(
    page: Page,
    live_server: LiveServer,
    queued: list[int],
    check_axe: CheckAxe,
    shoot: Shoot,
) -> None:
    steps.sign_in_with_code(page, live_server, SUPERVISOR, "/console/supervisor")
    assert _charts_drawn(page) == [3, 2, 2]  # offered/answered/abandoned, 20 s/60 s, wait/handling
    for key in CHARTS:
        label = page.locator(f"#chart-{key}").get_attribute("aria-label") or ""
        assert label.strip(), key  # named for screen readers, pointing to the table
    expect(page.locator("#period-table")).to_be_visible()
    looked_at(page, check_axe, shoot, "charts")

    # A caller enters the queue and a call-taker becomes available: the open page shows it.
    page.evaluate("window.__same_page = true")  # a reload would lose it
    waiting = int(page.locator("#live-waiting").inner_text())
    _queue_a_caller(live_server, queued, waited=600)
    expect(page.locator("#live-waiting")).to_have_text(str(waiting + 1), timeout=5000)
    expect(page.locator("#live-takers")).to_contain_text("Yannick Dubois", timeout=5000)
    assert page.locator("#live-nobody").is_hidden()
    first = _seconds(page)
    assert first >= 600
    # The longest wait counts on between events (the page ticks once a second).
    page.wait_for_function(
        "least => parseInt(document.getElementById('live-longest').textContent) >= least",
        arg=first + 2,
        timeout=5000,
    )
    assert page.evaluate("window.__same_page") is True
    looked_at(page, check_axe, shoot, "live")


def test_the_charts_and_the_live_block_work_under_the_apps_csp(
    browser: Browser, live_server: LiveServer, queued: list[int]
) -> None:
    """The browser tests' pages bypass the CSP (axe is injected inline); this one does not."""
    context = browser.new_context(locale="nl-BE")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        said: list[str] = []
        page.on("console", lambda message: said.append(message.text))
        steps.sign_in_with_code(page, live_server, SUPERVISOR, "/console/supervisor")
        policy = context.request.get(page.url).headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert _charts_drawn(page) == [3, 2, 2]
        waiting = int(page.locator("#live-waiting").inner_text())
        _queue_a_caller(live_server, queued, waited=30)
        expect(page.locator("#live-waiting")).to_have_text(str(waiting + 1), timeout=5000)
        assert [text for text in said if "Content Security Policy" in text] == []
    finally:
        context.close()
