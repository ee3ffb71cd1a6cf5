"""A zone without a Twilio account (``make run``): the console steers the ivr-sim caller as
Twilio's REST redirect would (``ivr.telephony.simulated``). Issue 7's walk, server side: a
simulated caller queues, a call-taker takes them, holds and resumes, wraps up, and the
supervisor's figures count the call as answered."""

import dataclasses
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from twilio.base.exceptions import TwilioException

from app.notify.models import CallbackTask
from callcenter.models import TakenCall
from callcenter.presence import keep_alive, set_status
from callcenter.statistics import period_figures
from ivr.models import Call
from ivr.telephony import simulated
from ivr.telephony.control import SimulatorControl, TwilioControl, control
from scheduling.enums import PresenceStatus, Role
from tests.factories import NOW, make_staff
from tests.staff_login import csrf_of, sign_in_as

BXL = ZoneInfo("Europe/Brussels")
BXL_DAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen(app):  # the app is built before time stands still (pydantic and FakeDate)
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def console(app, session):
    """A call-taker signed in to the console, available, with the simulated phone line."""
    app.extensions["console_control"] = SimulatorControl()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    staff = sign_in_as(client, session, Role.CALL_TAKER, name="Sarah Maes")
    set_status(session, staff.id, PresenceStatus.AVAILABLE, datetime.now(UTC))
    keep_alive(session, staff.id, datetime.now(UTC))
    session.commit()
    yield client, staff
    app.extensions.pop("console_control", None)


def _post(client, path: str, **data: str):
    return client.post(
        path, data={"csrf_token": csrf_of(client, "/console"), **data}, headers={"Accept": "*/*"}
    )


def _queued(session, walker) -> Call:
    session.expire_all()
    return session.scalars(select(Call).where(Call.call_sid == walker.call_sid)).one()


def test_the_console_takes_holds_and_resumes_a_simulated_caller(session, phone, console):
    client, staff = console
    walker = phone()
    walker.call()
    walker.press("1")  # Nederlands
    walker.press("2")  # a report or a question
    assert walker.waiting_for == "queue"
    assert walker.follow_console() is None  # nothing happened yet
    call = _queued(session, walker)
    assert str(call.id) in client.get("/console").get_data(as_text=True)

    assert _post(client, f"/console/calls/{call.id}/take").status_code == 302
    heard = walker.follow_console()
    assert heard == [f"[put through to call-taker staff-{staff.id}]"]
    assert walker.waiting_for == "conversation"
    assert _queued(session, walker).outcome == "answered"  # the queue's action: redirected

    assert _post(client, f"/console/calls/{call.id}/hold").status_code == 302
    assert walker.follow_console() == ["[hold music]"]
    assert walker.waiting_for == "hold"
    assert _post(client, f"/console/calls/{call.id}/resume").status_code == 302
    assert walker.follow_console() == [f"[put through to call-taker staff-{staff.id}]"]
    assert walker.follow_console() is None  # each redirect is carried out once

    walker.hang_up()
    answer = _post(client, f"/console/calls/{call.id}/wrap-up", category="information", note="")
    assert answer.status_code == 302
    assert session.get(TakenCall, call.id).wrapped_at is not None

    _, total = period_figures(session, first=BXL_DAY, last=BXL_DAY, zone=BXL)
    assert (total.offered, total.answered, total.abandoned) == (1, 1, 0)


def test_a_caller_who_hung_up_cannot_be_steered(session, phone, console, app):
    walker = phone()
    walker.call()
    walker.press("1")  # Nederlands
    walker.press("2")
    walker.hang_up()
    with app.test_request_context():
        assert simulated.store(session, walker.call_sid, "<Response/>") is False
        with pytest.raises(TwilioException):
            SimulatorControl().redirect(walker.call_sid, "<Response/>")
        with pytest.raises(TwilioException):
            SimulatorControl().redirect("CA-no-such-call", "<Response/>")


def test_without_a_twilio_account_the_console_steers_the_simulator(app, monkeypatch):
    app.extensions.pop("console_control", None)
    config = app.config["BLAUWLIJN"]
    monkeypatch.setitem(
        app.config, "BLAUWLIJN", dataclasses.replace(config, twilio_account_sid=None)
    )
    with app.app_context():
        assert isinstance(control(), SimulatorControl)
    app.extensions.pop("console_control", None)
    monkeypatch.setitem(
        app.config, "BLAUWLIJN", dataclasses.replace(config, twilio_account_sid="AC" + "1" * 32)
    )
    with app.app_context():
        assert isinstance(control(), TwilioControl)
    app.extensions.pop("console_control", None)


def test_the_redirect_route_is_signed(app, phone):
    walker = phone()
    walker.call()
    unsigned = FlaskClient(app)  # not the signing test client
    answer = unsigned.post("/ivr/simulator/redirect", data={"CallSid": walker.call_sid})
    assert answer.status_code == 403


def test_a_transfer_to_an_officer_who_does_not_answer_ends_in_a_message(
    session, phone, console, said
):
    client, _staff = console
    officer = make_staff(session, name="Geert Demol", phone="+32470001001")
    session.commit()
    walker = phone()
    walker.call()
    walker.press("1")  # Nederlands
    walker.press("2")
    call = _queued(session, walker)
    _post(client, f"/console/calls/{call.id}/take")
    walker.follow_console()

    answer = _post(client, f"/console/calls/{call.id}/transfer", officer=str(officer.id))
    assert answer.status_code == 302
    assert walker.follow_console() == [
        said("nl", "I am putting you through to %(name)s.", name="Geert Demol"),
        "[ringing +32470001001]",
    ]
    heard = walker.nobody_answers()
    assert heard[0] == said("nl", "The officer cannot answer now.")
    assert walker.waiting_for == "message"
    walker.speak("Bel me terug over de inbraak")
    task = session.scalars(select(CallbackTask).where(CallbackTask.call_id == call.id)).one()
    assert task.transcription == "Bel me terug over de inbraak"
    assert "transfer_done" in _queued(session, walker).path
