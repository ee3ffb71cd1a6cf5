"""Item 7: the figures from recorded calls (freezegun: the clock and the local days), the
supervisor's live view (also as Server-Sent Events), the charts' data and the CSV export."""

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from app.notify.models import CallbackTask, OutboxMessage
from callcenter import events
from callcenter.claims import take_call
from callcenter.models import CallTakerPresence
from callcenter.presence import set_status
from callcenter.statistics import open_callbacks, period_figures
from callcenter.supervisor import live_snapshot
from scheduling.enums import CallbackStatus, MessageKind, OutboxStatus, PresenceStatus, Role
from tests.callcenter.calls import NOW, NOW_UTC, queued_call, read_events, signed_in
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


@pytest.mark.parametrize(
    ("status", "error", "counted"),
    [
        (OutboxStatus.FINAL, "superseded", False),  # a reminder dropped after a move
        (OutboxStatus.FINAL, "withdrawn", False),  # an invitation withdrawn before it went out
        (OutboxStatus.FINAL, "21211", True),  # given up: the provider refused the number
        (OutboxStatus.SENT, None, False),
    ],
)
def test_failed_sms_are_failures_not_messages_no_longer_wanted(session, status, error, counted):
    session.add(
        OutboxMessage(
            idempotency_key=f"message-{status}-{error}",
            recipient="+32470123456",
            body="x",
            language="nl",
            kind=MessageKind.REMINDER,
            due_at=NOW_UTC,
            next_attempt_at=NOW_UTC,
            status=status,
            last_error_code=error,
            created_at=NOW_UTC,
        )
    )
    session.flush()
    (day,), _total = period_figures(session, first=TODAY, last=TODAY, zone=BXL)
    assert day.sms_failed == (1 if counted else 0)


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


SUPERVISOR_PAGES = ["/console/supervisor", "/console/supervisor.csv", "/console/supervisor/events"]


@pytest.mark.parametrize(
    "query",
    [
        "to=0001-01-01",  # the default first day, six days before, does not exist
        "to=9999-12-31",  # nor does the day after the last
        "from=0001-01-01&to=0001-01-03",
        "from=99999-01-01",
        "from=gisteren",
        "to=2026-12-01%00",
    ],
)
@pytest.mark.parametrize("path", SUPERVISOR_PAGES[:2])
def test_an_impossible_period_is_the_staff_400_page(client, session, path, query):
    signed_in(client, session, Role.SUPERVISOR)
    answer = client.get(f"{path}?{query}")
    assert answer.status_code == 400
    assert "This page address or form is not valid" in answer.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.CALL_TAKER, Role.DISTRICT_OFFICER], ids=lambda r: r.value)
def test_only_managers_see_the_figures(client, session, role):
    signed_in(client, session, role)
    for path in SUPERVISOR_PAGES:
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("path", SUPERVISOR_PAGES)
def test_signed_out_the_figures_ask_to_sign_in(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer.location.startswith("/staff/login?next=")


def _chart_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', page, re.S)
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


def test_the_charts_carry_the_period_per_day(client, session, recorded):
    signed_in(client, session, Role.SUPERVISOR)
    page = client.get("/console/supervisor?from=2026-11-30&to=2026-12-01").get_data(as_text=True)
    data = _chart_data(page)
    assert data["days"] == ["Mon 30 Nov", "Tue 1 Dec"]
    charts = {c["key"]: c for c in data["charts"]}
    assert [(c["key"], c["type"]) for c in data["charts"]] == [
        ("calls", "bar"),
        ("service", "line"),
        ("times", "bar"),
    ]
    assert [(d["label"], d["data"]) for d in charts["calls"]["datasets"]] == [
        ("Offered", [1, 6]),
        ("Answered", [1, 4]),
        ("Abandoned", [0, 1]),
    ]
    assert [(d["label"], d["data"]) for d in charts["service"]["datasets"]] == [
        ("Answered within 20 s", [100.0, round(100 * 1 / 6, 1)]),
        ("Answered within 60 s", [100.0, 50.0]),
    ]
    assert charts["service"]["max"] == 100
    assert [(d["label"], d["data"]) for d in charts["times"]["datasets"]] == [
        ("Average wait", [5.0, 45.0]),
        ("Average handling time", [60.0, 200.0]),
    ]
    # A canvas per chart, named for screen readers, pointing to the table.
    for key, chart in charts.items():
        assert f'id="chart-{key}"' in page
        assert f'aria-label="{chart["title"]}. The same figures are in the table below."' in page


def test_a_day_without_calls_has_gaps_in_the_charts(client, session):
    signed_in(client, session, Role.ADMIN)
    page = client.get("/console/supervisor?from=2026-12-01&to=2026-12-01").get_data(as_text=True)
    charts = {c["key"]: c for c in _chart_data(page)["charts"]}
    assert charts["calls"]["datasets"][0]["data"] == [0]
    assert charts["service"]["datasets"][0]["data"] == [None]  # no calls: no level, no zero
    assert charts["times"]["datasets"][0]["data"] == [None]


def test_the_live_stream_sends_the_view_and_then_its_changes(client, session, frozen, monkeypatch):
    taker = make_staff(session, roles=(Role.CALL_TAKER,), name="Sarah Maes")
    set_status(session, taker.id, PresenceStatus.AVAILABLE, NOW_UTC)
    signed_in(client, session, Role.SUPERVISOR)
    queued_call(session, waited=42)
    monkeypatch.setattr(events, "TICK_SECONDS", 0)
    answer = client.get("/console/supervisor/events")
    assert answer.status_code == 200
    assert answer.mimetype == "text/event-stream"
    stream = answer.response  # the generator itself: read event by event
    read = [next(stream).decode(), next(stream).decode()]
    assert read[0] == f"retry: {events.RETRY_MS}\n\n"
    ((kind, data),) = read_events(read)
    assert kind == "live"
    assert json.loads(data) == {
        "waiting": 1,
        "longest": 42,
        "takers": [{"name": "Sarah Maes", "status": "available", "label": "Available"}],
    }
    # Five seconds on, a second caller joins and Sarah pauses: one event says both.
    frozen.tick(5)
    queued_call(session, waited=3, caller="+32470999999")
    set_status(session, taker.id, PresenceStatus.PAUSE, NOW_UTC)
    read.append(next(stream).decode())
    assert json.loads(read_events(read)[-1][1]) == {
        "waiting": 2,
        "longest": 47,
        "takers": [{"name": "Sarah Maes", "status": "pause", "label": "Pause"}],
    }
    answer.close()


def test_the_live_stream_is_quiet_while_only_the_wait_grows(app, session, frozen, monkeypatch):
    queued_call(session, waited=10)
    maker = app.extensions["db_sessionmaker"]
    clock = iter(range(0, 10_000, 5))  # every read of the clock: 5 s later
    monkeypatch.setattr(events.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(events.time, "sleep", lambda _seconds: frozen.tick(1))
    snapshot = live_snapshot({status: status.value for status in PresenceStatus})
    chunks = list(events.stream(maker, 60, "live", snapshot))
    kinds = [c.split("\n", 1)[0] for c in chunks]
    assert kinds.count("event: live") == 1  # the wait grew each tick; the page counts it on
    assert ": keep-alive" in kinds


def test_only_the_console_stream_confirms_a_status(client, session, frozen, monkeypatch):
    """Watching the figures is not taking calls: the supervisor's stream leaves their status
    as it was, the console's confirms it (callcenter.presence)."""
    me = signed_in(client, session, Role.SUPERVISOR)
    earlier = NOW_UTC - timedelta(seconds=90)
    set_status(session, me.id, PresenceStatus.AVAILABLE, earlier)
    monkeypatch.setattr(events, "TICK_SECONDS", 0)

    def confirmed_at(path: str) -> datetime:
        answer = client.get(path)
        stream = answer.response
        read = [next(stream).decode(), next(stream).decode()]
        assert read_events(read)
        answer.close()
        session.expire_all()
        return session.get_one(CallTakerPresence, me.id).updated_at

    assert confirmed_at("/console/supervisor/events") == earlier
    assert confirmed_at("/console/events") == NOW_UTC
