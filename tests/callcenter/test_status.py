"""Item 1: the console by role, and a call-taker's status (it decides whether the blue number
queues callers); signing out makes them offline."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from callcenter.models import CallTakerPresence
from callcenter.presence import FRESH_FOR, any_available, keep_alive
from scheduling.enums import PresenceStatus, Role
from tests.callcenter.calls import NOW, NOW_UTC, signed_in
from tests.staff_login import csrf_of, sign_out

CONSOLE = "/console"


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


MANAGERS = {Role.SUPERVISOR, Role.ADMIN}
CONSOLE_ROLES = {Role.CALL_TAKER} | MANAGERS
# Every GET page of the console, who may open it and its answer then (the token's is 503
# here: the browser phone is not set up); pages of one taken call are checked per owner in
# test_caller_panel.py, a voice message's audio in test_recordings.py.
PAGES = {
    CONSOLE: (CONSOLE_ROLES, 200),
    "/console/callbacks": (CONSOLE_ROLES, 200),
    "/console/token": (CONSOLE_ROLES, 503),
    "/console/events": (CONSOLE_ROLES, 200),
    "/console/supervisor": (MANAGERS, 200),
    "/console/supervisor/events": (MANAGERS, 200),
    "/console/supervisor.csv": (MANAGERS, 200),
}
ONE_OBJECT = {"/console/calls/<int:call_id>", "/console/callbacks/<int:task_id>/recording"}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_console_pages_by_role(client, session, role):
    signed_in(client, session, role)
    for path, (roles, status) in PAGES.items():
        answer = client.get(path)
        answer.close()  # the event stream: its status and headers are enough here
        expected = status if role in roles else 403
        assert answer.status_code == expected, (path, role)
        if expected == 403:
            assert "staff-bar" in answer.get_data(as_text=True)  # the one 403 page


def test_every_console_page_is_in_the_table(app):
    routes = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/console") and "GET" in (rule.methods or ())
    }
    assert routes == set(PAGES) | ONE_OBJECT


@pytest.mark.parametrize("path", list(PAGES))
def test_signed_out_goes_to_sign_in(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer.location.startswith("/staff/login?next=")


def test_status_post_signed_out_goes_to_sign_in(client):
    client.get("/staff/login")  # a session with a CSRF token
    token = csrf_of(client)
    answer = client.post("/console/status", data={"csrf_token": token, "status": "available"})
    assert answer.status_code == 302
    assert "/staff/login" in answer.location


def _set(client, status: str):
    return client.post(
        "/console/status", data={"csrf_token": csrf_of(client, CONSOLE), "status": status}
    )


def test_status_decides_whether_callers_are_queued(client, session, call_taker):
    assert not any_available(session, NOW_UTC)
    page = client.get(CONSOLE).get_data(as_text=True)
    assert "Now: Offline." in page
    assert _set(client, "available").status_code == 302
    assert any_available(session, NOW_UTC)
    row = session.get(CallTakerPresence, call_taker.id)
    assert row.status is PresenceStatus.AVAILABLE
    assert row.updated_at == NOW_UTC
    assert "Now: Available." in client.get(CONSOLE).get_data(as_text=True)
    for status in ("pause", "busy", "offline"):
        _set(client, status)
        session.expire_all()
        assert session.get(CallTakerPresence, call_taker.id).status.value == status
        assert not any_available(session, NOW_UTC)


def test_an_unknown_status_changes_nothing(client, session, call_taker):
    _set(client, "available")
    answer = _set(client, "asleep")
    assert answer.status_code == 302
    assert "Choose one of the statuses." in client.get(CONSOLE).get_data(as_text=True)
    assert session.get(CallTakerPresence, call_taker.id).status is PresenceStatus.AVAILABLE


def test_signing_out_sets_offline(client, session, call_taker):
    _set(client, "available")
    assert any_available(session, NOW_UTC)
    sign_out(client)
    session.expire_all()
    assert session.get(CallTakerPresence, call_taker.id).status is PresenceStatus.OFFLINE
    assert not any_available(session, NOW_UTC)


def test_signing_out_without_a_console_status_adds_none(client, session):
    officer = signed_in(client, session, Role.DISTRICT_OFFICER)
    sign_out(client)
    assert session.get(CallTakerPresence, officer.id) is None


def test_the_home_page_links_the_console_for_call_takers(client, session, call_taker):
    page = client.get("/staff/").get_data(as_text=True)
    assert 'href="/console"' in page


def test_a_console_left_open_keeps_the_status_one_closed_loses_it(client, session, call_taker):
    _set(client, "available")
    staff_id = call_taker.id
    later = NOW_UTC + FRESH_FOR + timedelta(seconds=1)
    assert not any_available(session, later)  # nothing confirmed it: the console was closed
    keep_alive(session, staff_id, later)  # what an open console's stream does
    assert any_available(session, later)
    _set(client, "offline")
    keep_alive(session, staff_id, later)
    session.expire_all()
    assert session.get(CallTakerPresence, staff_id).status is PresenceStatus.OFFLINE
    assert not any_available(session, later)
