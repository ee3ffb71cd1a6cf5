"""Issue 14: the call-taker's hang-up ends the caller's call (on Twilio and on the simulated
line of `make run`), and afterwards the call page offers no hold or transfer: a late POST
to them gets a clear message."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from callcenter.models import TakenCall
from callcenter.presence import keep_alive, set_status
from callcenter.waiting import waiting_callers
from ivr.models import Call
from ivr.simulator import CallWalker, InProcess
from ivr.telephony.control import SimulatorControl
from scheduling.enums import PresenceStatus, Role
from tests.callcenter.calls import NOW, queued_call, signed_in
from tests.factories import make_staff
from tests.staff_login import csrf_of

OVER = "This call has ended: it can no longer be put on hold or through."


@pytest.fixture(autouse=True)
def frozen(app):  # the app is built before time stands still
    with freeze_time(NOW) as frozen:
        yield frozen


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_of(client, "/console"), **data})


def _taken(client, session) -> Call:
    call = queued_call(session)
    assert _post(client, f"/console/calls/{call.id}/take").status_code == 302
    return call


def test_hanging_up_ends_the_callers_call(client, session, call_taker, control):
    call = _taken(client, session)
    answer = client.post(
        f"/console/calls/{call.id}/hang-up",
        data={"csrf_token": csrf_of(client, "/console")},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200
    assert answer.json == {"call": call.id, "ended": True}
    assert ET.fromstring(control.redirects[-1][1]).find("Hangup") is not None  # noqa: S314
    session.expire_all()
    ended = session.get_one(Call, call.id)
    assert ended.ended_at is not None
    assert ended.duration_seconds == 30  # queued 30 s before now: as Twilio would count

    # Once more (a double click): nothing else is sent.
    redirects = len(control.redirects)
    assert _post(client, f"/console/calls/{call.id}/hang-up").status_code == 302
    assert len(control.redirects) == redirects


def test_after_the_hang_up_the_page_offers_no_hold_or_transfer(
    client, session, call_taker, control
):
    make_staff(session, name="Geert Demol", phone="+32470001001")
    call = _taken(client, session)
    page = client.get(f"/console/calls/{call.id}").get_data(as_text=True)
    assert "/hold" in page
    assert "/transfer" in page
    _post(client, f"/console/calls/{call.id}/hang-up")
    redirects = len(control.redirects)

    page = client.get(f"/console/calls/{call.id}").get_data(as_text=True)
    assert "/hold" not in page
    assert "/transfer" not in page
    assert "The call has ended" in page
    for action in ("hold", "resume"):
        answer = _post(client, f"/console/calls/{call.id}/{action}")
        assert answer.status_code == 302, action
        assert answer.location.endswith(f"/console/calls/{call.id}")
        assert OVER in client.get(answer.location).get_data(as_text=True), action
    answer = _post(client, f"/console/calls/{call.id}/transfer", officer="1")
    assert answer.status_code == 409
    assert OVER in answer.get_data(as_text=True)
    assert len(control.redirects) == redirects  # nothing reached the caller
    held = client.post(
        f"/console/calls/{call.id}/hold",
        data={"csrf_token": csrf_of(client, "/console")},
        headers={"Accept": "application/json"},
    )
    assert held.status_code == 409
    assert OVER in held.json["error"]


def test_the_simulated_caller_hears_the_hang_up_and_the_call_ends(signed_app, session):
    """`make run`: the ivr-sim caller in conversation (or on hold) ends with the call-taker."""
    signed_app.extensions["console_control"] = SimulatorControl()
    client = signed_app.test_client()
    try:
        staff = signed_in(client, session, Role.CALL_TAKER, name="Sarah Maes")
        now = datetime.now(UTC)
        set_status(session, staff.id, PresenceStatus.AVAILABLE, now)
        keep_alive(session, staff.id, now)
        session.commit()
        config = signed_app.config["BLAUWLIJN"]
        walker = CallWalker(
            InProcess(signed_app.test_client()),
            public_base_url=config.public_base_url,
            auth_token=config.twilio_auth_token,
        )
        walker.call()
        walker.press("1")  # Nederlands
        walker.press("2")  # a report or a question: the call-takers' queue
        assert walker.waiting_for == "queue"
        call = session.scalars(select(Call).where(Call.call_sid == walker.call_sid)).one()
        _post(client, f"/console/calls/{call.id}/take")
        walker.follow_console()
        assert walker.waiting_for == "conversation"
        _post(client, f"/console/calls/{call.id}/hold")
        walker.follow_console()
        assert walker.waiting_for == "hold"

        _post(client, f"/console/calls/{call.id}/hang-up")
        assert walker.follow_console() == []
        assert walker.ended  # ivr-sim prints "-- call ended --" and stops

        session.expire_all()
        ended = session.get_one(Call, call.id)
        assert ended.ended_at is not None
        assert ended.outcome == "answered"
        assert call.id not in {w.call_id for w in waiting_callers(session)}
        assert not session.get_one(TakenCall, call.id).on_hold
        assert walker.follow_console() is None  # nothing more for the simulator
    finally:
        signed_app.extensions.pop("console_control", None)
