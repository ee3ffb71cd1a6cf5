"""Item 7: the figures from recorded calls (freezegun: the clock and the local days), the
supervisor's live view and the CSV export."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from callcenter.claims import take_call
from callcenter.presence import set_status
from callcenter.statistics import open_callbacks, period_figures
from scheduling.enums import CallbackStatus, MessageKind, OutboxStatus, PresenceStatus, Role
from scheduling.models import CallbackTask, OutboxMessage
from tests.callcenter.conftest import NOW, NOW_UTC, queued_call, signed_in
from tests.factories import make_staff

BXL = ZoneInfo("Europe/Brussels")
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


def _answered(session, staff, *, waited: int, handled: int | None, at: datetime = NOW_UTC):
    call = queued_call(session, waited=0, now=at)
    assert take_call(session, call=call, staff_id=staff.id, now=at + timedelta(seconds=waited))
    if handled is not None:
        call.ended_at = at + timedelta(seconds=waited + handled)
    call.outcome = None  # what the IVR's queue action leaves after the call left the queue
    session.flush()
    return call


@pytest.fixture
def recorded(session):
    """Today: 4 answered (after 10, 30, 50 and 90 s), 1 abandoned, 1 still waiting, 1 call
    that never reached the queue; yesterday 23:30 Brussels (22:30 UTC): 1 answered."""
    staff = make_staff(session, roles=(Role.CALL_TAKER,))
    for waited, handled in ((10, 100), (30, 200), (50, 300), (90, None)):
        _answered(session, staff, waited=waited, handled=handled)
    queued_call(session, outcome="abandoned")
    queued_call(session)
    menu_only = queued_call(session, outcome="hung_up")
    menu_only.topic = None
    _answered(session, staff, waited=5, handled=60, at=datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    session.add(
        OutboxMessage(
            idempotency_key="failed-1",
            recipient="+32470123456",
            body="x",
            language="nl",
            kind=MessageKind.REMINDER,
            due_at=NOW_UTC,
            next_attempt_at=NOW_UTC,
            status=OutboxStatus.FAILED,
            created_at=NOW_UTC,
        )
    )
    session.flush()
    return staff


def test_figures_per_local_day(session, recorded):
    days, total = period_figures(session, first=TODAY - timedelta(days=1), last=TODAY, zone=BXL)
    yesterday, today = days
    assert (yesterday.day, yesterday.offered, yesterday.answered) == (
        TODAY - timedelta(days=1),
        1,
        1,
    )
    assert (today.offered, today.answered, today.abandoned) == (6, 4, 1)
    assert today.service_level(20) == round(100 * 1 / 6, 1)
    assert today.service_level(60) == 50.0
    assert today.average_wait == 45.0
    assert today.average_handling == 200.0  # the call still going is not counted
    assert today.sms_failed == 1
    assert (total.offered, total.answered, total.abandoned) == (7, 5, 1)
    assert total.service_level(20) == round(100 * 2 / 7, 1)


def test_a_day_without_calls(session):
    (day,), _total = period_figures(session, first=TODAY, last=TODAY, zone=BXL)
    assert (day.offered, day.service_level(20), day.average_wait) == (0, None, None)


def test_open_and_late_call_backs(session):
    for hours, status in (
        (1, CallbackStatus.OPEN),
        (30, CallbackStatus.CLAIMED),
        (48, CallbackStatus.DONE),
    ):
        session.add(
            CallbackTask(
                reason="r",
                phone="+32470123456",
                created_at=NOW_UTC - timedelta(hours=hours),
                status=status,
            )
        )
    session.flush()
    callbacks = open_callbacks(session, NOW_UTC)
    assert (callbacks.open, callbacks.late) == (2, 1)


def test_the_supervisor_page_live_and_per_day(client, session, recorded):
    set_status(session, recorded.id, PresenceStatus.AVAILABLE, NOW_UTC)
    signed_in(client, session, Role.SUPERVISOR)
    page = client.get("/console/supervisor?from=2026-11-30&to=2026-12-01").get_data(as_text=True)
    assert "Callers waiting" in page
    assert f"{recorded.name}: Available" in page
    assert "50.0 %" in page


def test_the_csv_export(client, session, recorded):
    signed_in(client, session, Role.ADMIN)
    answer = client.get("/console/supervisor.csv?from=2026-11-30&to=2026-12-01")
    assert answer.mimetype == "text/csv"
    assert 'filename="calls-2026-11-30-2026-12-01.csv"' in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [r["day"] for r in rows] == ["2026-11-30", "2026-12-01", "total"]
    assert rows[1]["offered"] == "6"
    assert rows[1]["service_level_60s_percent"] == "50.0"
    assert rows[1]["average_handling_seconds"] == "200.0"
    assert rows[2]["answered"] == "5"


def test_a_call_taker_sees_no_figures(client, session):
    signed_in(client, session, Role.CALL_TAKER)
    assert client.get("/console/supervisor").status_code == 403
    assert client.get("/console/supervisor.csv").status_code == 403
