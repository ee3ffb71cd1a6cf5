"""Item 3: the access token, the TwiML App's voice URL, and taking a chosen caller (one
call-taker wins; the caller's call is sent to that call-taker's browser phone)."""

import dataclasses
import threading
import xml.etree.ElementTree as ET

import jwt
import pytest
from freezegun import freeze_time
from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from app.db import make_engine
from callcenter.claims import take_call
from callcenter.models import CallTakerPresence, TakenCall
from scheduling.enums import PresenceStatus, Role
from tests.callcenter.calls import NOW, NOW_UTC, queued_call, signed_in
from tests.factories import make_staff
from tests.staff_login import csrf_of

SECRET = "api-key-secret-for-tests-0123456789"
PHONE = {
    "twilio_account_sid": "AC" + "1" * 32,
    "twilio_auth_token": "auth-token",
    "twilio_api_key_sid": "SK" + "2" * 32,
    "twilio_api_key_secret": SECRET,
    "twilio_twiml_app_sid": "AP" + "3" * 32,
    "console_token_ttl_seconds": 300,
}


def _xml(text: str | bytes) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314  # our own answer, in a test


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def with_phone(app, monkeypatch):
    config = dataclasses.replace(app.config["BLAUWLIJN"], **PHONE)
    monkeypatch.setitem(app.config, "BLAUWLIJN", config)
    return config


def test_token_for_the_signed_in_call_taker(client, session, call_taker, with_phone):
    answer = client.get("/console/token")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    assert body["identity"] == f"staff-{call_taker.id}"
    assert body["ttl"] == 300
    assert body["renew_after"] == 240  # a minute before it expires
    claims = jwt.decode(body["token"], SECRET, algorithms=["HS256"])
    assert claims["iss"] == PHONE["twilio_api_key_sid"]
    assert claims["sub"] == PHONE["twilio_account_sid"]
    assert claims["exp"] == int(NOW_UTC.timestamp()) + 300
    grants = claims["grants"]
    assert grants["identity"] == f"staff-{call_taker.id}"
    assert grants["voice"]["outgoing"]["application_sid"] == PHONE["twilio_twiml_app_sid"]
    assert grants["voice"]["incoming"]["allow"] is True


def test_no_token_without_the_phone_setup(client, session, call_taker):
    answer = client.get("/console/token")
    assert answer.status_code == 503
    assert answer.get_json()["error"] == "The browser phone is not set up for this zone."


def test_no_token_for_an_officer(client, session, with_phone):
    signed_in(client, session, Role.DISTRICT_OFFICER)
    assert client.get("/console/token").status_code == 403


def _signed_post(client, config, form):
    url = f"{config.public_base_url}/console/voice"
    signature = RequestValidator(config.twilio_auth_token).compute_signature(url, form)
    return client.post("/console/voice", data=form, headers={"X-Twilio-Signature": signature})


def test_voice_url_refuses_an_unsigned_request(client, with_phone):
    answer = client.post("/console/voice", data={"From": "client:staff-1", "To": "+3254313501"})
    assert answer.status_code == 403


def test_voice_url_calls_a_citizen_back_from_the_blue_number(client, session, with_phone):
    staff = make_staff(session, roles=(Role.CALL_TAKER,))
    answer = _signed_post(
        client, with_phone, {"From": f"client:staff-{staff.id}", "To": "0470 12 34 56"}
    )
    assert answer.status_code == 200
    dial = _xml(answer.get_data()).find("Dial")
    assert dial is not None
    assert dial.get("callerId") == with_phone.twilio_from_number
    assert dial.text == "+32470123456"


@pytest.mark.parametrize(
    ("roles", "to"), [((Role.DISTRICT_OFFICER,), "+32470123456"), ((Role.CALL_TAKER,), "12")]
)
def test_voice_url_refuses_other_staff_and_bad_numbers(client, session, with_phone, roles, to):
    staff = make_staff(session, roles=roles)
    answer = _signed_post(client, with_phone, {"From": f"client:staff-{staff.id}", "To": to})
    root = _xml(answer.get_data())
    assert root.find("Dial") is None
    assert root.find("Hangup") is not None


def _take(client, call_id, *, json=True):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        f"/console/calls/{call_id}/take",
        data={"csrf_token": csrf_of(client, "/console")},
        headers=headers,
    )


def test_taking_a_caller_rings_the_call_takers_browser(client, session, call_taker, control):
    call = queued_call(session)
    answer = _take(client, call.id)
    assert answer.status_code == 200
    assert answer.get_json() == {"call": call.id, "panel": f"/console/calls/{call.id}"}
    ((sid, twiml),) = control.redirects
    assert sid == call.call_sid
    client_el = _xml(twiml).find("Dial/Client")
    assert client_el.find("Identity").text == f"staff-{call_taker.id}"
    parameter = client_el.find("Parameter")
    assert (parameter.get("name"), parameter.get("value")) == ("call", str(call.id))
    taken = session.get(TakenCall, call.id)
    assert (taken.staff_id, taken.taken_at) == (call_taker.id, NOW_UTC)
    assert session.get(CallTakerPresence, call_taker.id).status is PresenceStatus.BUSY
    # Gone from the queue, on the console as a call to wrap up.
    page = client.get("/console").get_data(as_text=True)
    assert f'data-call="{call.id}"' not in page
    assert "Calls to wrap up" in page


def test_without_javascript_taking_opens_the_caller_panel(client, session, call_taker, control):
    call = queued_call(session)
    answer = _take(client, call.id, json=False)
    assert answer.status_code == 302
    assert answer.location.endswith(f"/console/calls/{call.id}")


def test_a_caller_taken_by_another_is_refused(client, session, call_taker, control):
    call = queued_call(session)
    colleague = make_staff(session, roles=(Role.CALL_TAKER,))
    assert take_call(session, call=call, staff_id=colleague.id, now=NOW_UTC)
    answer = _take(client, call.id)
    assert answer.status_code == 409
    assert control.redirects == []
    assert session.get(TakenCall, call.id).staff_id == colleague.id


def test_a_caller_who_hung_up_cannot_be_taken(client, session, call_taker, control):
    call = queued_call(session, outcome="abandoned")
    assert _take(client, call.id).status_code == 409


def test_when_twilio_refuses_the_caller_stays_in_line(client, session, call_taker, control):
    call = queued_call(session)
    control.fail = TwilioRestException(404, "https://api.twilio.com", "not in progress")
    answer = _take(client, call.id)
    assert answer.status_code == 502
    session.expire_all()
    assert session.get(TakenCall, call.id) is None


def test_hold_and_resume(client, session, call_taker, control):
    call = queued_call(session)
    _take(client, call.id)
    token = csrf_of(client, "/console")
    answer = client.post(f"/console/calls/{call.id}/hold", data={"csrf_token": token})
    assert answer.status_code == 302
    music = _xml(control.redirects[-1][1]).find("Play")
    assert music.text.endswith("/static/ivr/hold.wav")
    assert music.get("loop") == "0"
    assert session.get(TakenCall, call.id).on_hold
    client.post(f"/console/calls/{call.id}/resume", data={"csrf_token": token})
    assert _xml(control.redirects[-1][1]).find("Dial/Client") is not None
    assert not session.get(TakenCall, call.id).on_hold


def test_only_the_taker_holds_the_call(client, session, control):
    call = queued_call(session)
    colleague = make_staff(session, roles=(Role.CALL_TAKER,))
    take_call(session, call=call, staff_id=colleague.id, now=NOW_UTC)
    signed_in(client, session, Role.CALL_TAKER)
    token = csrf_of(client, "/console")
    assert (
        client.post(f"/console/calls/{call.id}/hold", data={"csrf_token": token}).status_code == 403
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_call_takers_at_once_one_wins(fresh_database, kind):
    """Real transactions in threads: the database lets one INSERT win."""
    engine = make_engine(fresh_database(kind))
    try:
        with Session(engine) as session:
            call = queued_call(session)
            takers = [make_staff(session, roles=(Role.CALL_TAKER,)).id for _ in range(6)]
            session.commit()
            call_id = call.id
        barrier = threading.Barrier(len(takers))
        won: list[int] = []

        def attempt(staff_id: int) -> None:
            barrier.wait(timeout=30)  # before any SQL: SQLite's writers queue at BEGIN
            with Session(engine) as session:
                mine = session.get(type(call), call_id)
                if take_call(session, call=mine, staff_id=staff_id, now=NOW_UTC):
                    won.append(staff_id)
                session.commit()

        threads = [threading.Thread(target=attempt, args=(s,)) for s in takers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(won) == 1
        with Session(engine) as session:
            assert session.get(TakenCall, call_id).staff_id == won[0]
    finally:
        engine.dispose()
