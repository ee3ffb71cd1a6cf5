"""The voice webhooks' TwiML, signatures, retries, status callbacks and the fallback."""

from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from app import create_app
from app.config import Config
from app.notify.models import OutboxMessage
from callcenter.models import TakenCall
from ivr.models import Call
from ivr.simulator import CallWalker, InProcess
from scheduling.enums import EventKind
from scheduling.models import DomainEvent
from tests.api_calls import book_by_api
from tests.factories import NOW, TEST_SECRET_KEY
from tests.ivr.twilio_client import TwilioTestClient

CALL = {"CallSid": "CA" + "1" * 32, "From": "+32470123456", "To": "+3254313501"}


def _twiml(response):
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = ElementTree.fromstring(response.get_data())  # noqa: S314  # our own answer, in a test
    assert root.tag == "Response"
    return root


@freeze_time(NOW)
def test_entry_is_the_language_question_then_the_menu(client, officer):
    root = _twiml(client.post("/ivr/voice", data=CALL))
    assert [v.tag for v in root] == ["Gather", "Redirect"]
    gather = root.find("Gather")
    assert gather.get("action") == "/ivr/language?s=1"
    assert (gather.get("numDigits"), gather.get("input"), gather.get("method")) == (
        "1",
        "dtmf",
        "POST",
    )
    offers = [(s.get("voice"), s.get("language"), s.text) for s in gather.findall("Say")]
    assert offers == [
        ("Polly.Lisa-Neural", "nl-BE", "Voor Nederlands, druk 1."),
        ("Polly.Isabelle-Neural", "fr-BE", "Pour le français, appuyez sur 2."),
        ("Polly.Amy-Neural", "en-GB", "For English, press 3."),
    ]
    assert root.find("Redirect").text == "/ivr/language?quiet=1&s=1"
    root = _twiml(client.post("/ivr/language?s=1", data={**CALL, "Digits": "2"}))
    assert root.find("Say").get("language") == "fr-BE"
    assert root.find("Gather").get("action") == "/ivr/menu?s=2"


@freeze_time(NOW)
def test_topic_choice_then_enqueue_carries_topic(client, session, call_taker):
    client.post("/ivr/voice", data=CALL)
    root = _twiml(client.post("/ivr/language?s=1", data={**CALL, "Digits": "1"}))
    assert root.find("Gather").get("action") == "/ivr/topic?s=2"
    root = _twiml(client.post("/ivr/topic?s=2", data={**CALL, "Digits": "1"}))
    enqueue = root.find("Enqueue")
    assert enqueue.text == "calltakers"
    assert enqueue.get("waitUrl") == "/ivr/queue/wait"
    assert enqueue.get("action") == "/ivr/queue/done?s=3"
    call = session.scalars(select(Call)).one()
    assert (call.topic, call.caller) == ("appointment", "+32470123456")


@freeze_time(NOW)
@pytest.mark.parametrize("taken", [True, False])
def test_a_caller_taken_in_the_console_leaves_the_queue_for_that_browser(
    client, session, call_taker, taken
):
    client.post("/ivr/voice", data=CALL)
    client.post("/ivr/topic?s=1", data={**CALL, "Digits": "1"})
    call = session.scalars(select(Call)).one()
    if taken:  # what callcenter.taking writes before it redirects the call
        session.add(TakenCall(call_id=call.id, staff_id=call_taker.id, taken_at=call.started_at))
        session.flush()
    root = _twiml(client.post("/ivr/queue/done?s=2", data={**CALL, "QueueResult": "redirected"}))
    session.refresh(call)
    if taken:
        assert root.find("Dial/Client/Identity").text == f"staff-{call_taker.id}"
        assert root.find("Dial/Client/Parameter").get("value") == str(call.id)
        assert call.outcome == "answered"
    else:  # nobody took it: Twilio's own failure, the caller gets the menu
        assert root.find("Dial") is None
        assert root.find("Gather").get("action").startswith("/ivr/menu")


@freeze_time(NOW)
def test_wait_music_position_and_offer(client, said, call_taker):
    client.post("/ivr/voice", data=CALL)
    wait = {**CALL, "QueuePosition": "3", "AvgQueueTime": "150", "QueueTime": "30"}
    root = _twiml(client.post("/ivr/queue/wait", data=wait))
    assert [v.tag for v in root] == ["Say", "Say", "Play"]
    assert root[0].text == said("nl", "You are number %(position)s in line.", position=3)
    assert root[1].text == said(
        "nl", "The expected waiting time is about %(minutes)s minutes.", minutes=2
    )
    assert root.find("Play").text == "/static/ivr/hold.wav"
    music = client.get("/static/ivr/hold.wav")
    assert (music.status_code, music.mimetype) == (200, "audio/x-wav")
    music.close()
    root = _twiml(client.post("/ivr/queue/wait", data={**wait, "QueueTime": "130"}))
    assert root.find("Gather").get("action") == "/ivr/queue/offer"


def test_wait_at_closing_time_leaves(client, call_taker):
    with freeze_time("2026-12-01T20:00:00Z"):  # 21:00 in Brussels
        root = _twiml(client.post("/ivr/queue/wait", data={**CALL, "QueuePosition": "1"}))
    assert root.find("Leave") is not None


@freeze_time(NOW)
def test_a_retried_cancel_acts_once(client, officer, session):
    reference = book_by_api(client, officer)["reference"]
    client.post("/ivr/voice", data=CALL)
    client.post("/ivr/menu?s=1", data={**CALL, "Digits": "1"})
    client.post("/ivr/appointment/choice?s=2", data={**CALL, "Digits": "2"})
    client.post("/ivr/appointment/code?s=3", data={**CALL, "Digits": reference})
    first = client.post("/ivr/appointment/cancel?s=4", data={**CALL, "Digits": "1"})
    again = client.post("/ivr/appointment/cancel?s=4", data={**CALL, "Digits": "1"})
    assert first.get_data() == again.get_data()
    events = session.scalars(
        select(DomainEvent).where(DomainEvent.kind == EventKind.CANCELLED_BY_CITIZEN)
    ).all()
    assert len(events) == 1
    call = session.scalars(select(Call)).one()
    assert call.path == ["voice", "menu:1", "appointment:2", "code", "cancel:1"]


@freeze_time(NOW)
def test_a_retried_link_request_sends_one_sms(client, session):
    client.post("/ivr/voice", data=CALL)
    client.post("/ivr/menu?s=1", data={**CALL, "Digits": "2"})
    for _ in range(2):
        client.post("/ivr/book?s=2", data={**CALL, "Digits": "1"})
    assert len(session.scalars(select(OutboxMessage)).all()) == 1


@freeze_time(NOW)
def test_status_callback_records_the_end_once(client, session):
    client.post("/ivr/voice", data=CALL)
    status = {**CALL, "CallStatus": "completed", "CallDuration": "42"}
    assert _twiml(client.post("/ivr/status", data=status)) is not None
    client.post("/ivr/status", data={**status, "CallDuration": "99"})
    call = session.scalars(select(Call)).one()
    assert (call.duration_seconds, call.outcome) == (42, "hung_up")
    assert call.ended_at is not None


def test_a_failure_still_answers_twiml(client, monkeypatch):
    import ivr.voice

    def broken(_turn):
        raise RuntimeError("database gone")

    monkeypatch.setattr(ivr.voice, "_entry", broken)
    root = _twiml(client.post("/ivr/voice", data=CALL))
    assert root[-1].tag == "Hangup"
    assert any("112" in (s.text or "") for s in root.findall("Say"))


def test_fallback_needs_no_database(tmp_path):
    env = {
        "SECRET_KEY": TEST_SECRET_KEY,
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "TWILIO_AUTH_TOKEN": "secret-token",
    }
    app = create_app(Config.from_env(tmp_path, env=env))
    app.test_client_class = TwilioTestClient
    client = app.test_client()
    for response in (client.get("/ivr/fallback"), client.post("/ivr/fallback", data=CALL)):
        root = _twiml(response)
        assert {s.get("language") for s in root.findall("Say")} == {"nl-BE", "fr-BE", "en-GB"}
        assert any("maandag tot vrijdag van 7 tot 21 uur" in s.text for s in root.findall("Say"))
        assert root[-1].tag == "Hangup"


def test_voices_are_configurable(tmp_path):
    config = Config.from_env(
        tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, "IVR_VOICE_FR": "Google.fr-BE-Standard-A"}
    )
    assert dict(config.ivr_voices)["fr"] == "Google.fr-BE-Standard-A"
    assert dict(config.ivr_voices)["nl"] == "Polly.Lisa-Neural"


@pytest.mark.parametrize(
    "path",
    [
        "/ivr/voice",
        "/ivr/menu",
        "/ivr/status",
        "/ivr/queue/wait",
        "/ivr/fallback",
        "/ivr/message/transcribed",
    ],
)
def test_unsigned_or_forged_requests_are_refused(signed_app, path):
    client = FlaskClient(signed_app)
    assert client.post(path, data=CALL).status_code == 403
    forged = RequestValidator("wrong-token").compute_signature(
        f"https://blauwlijn.example{path}", CALL
    )
    assert client.post(path, data=CALL, headers={"X-Twilio-Signature": forged}).status_code == 403


@freeze_time(NOW)
def test_signed_requests_pass_behind_a_proxy(signed_app, officer, session):
    # The request reaches the app as http://localhost/...; Twilio signed the public URL.
    walker = CallWalker(
        InProcess(signed_app.test_client()),
        public_base_url="https://blauwlijn.example",
        auth_token="secret-token",
    )
    walker.call()
    walker.press("1")  # Nederlands
    walker.press("4")
    walker.press("*")
    assert walker.waiting_for == "keys"
    forged_host = CallWalker(
        InProcess(signed_app.test_client()),
        public_base_url="http://localhost",
        auth_token="secret-token",
    )
    with pytest.raises(RuntimeError, match="HTTP 403"):
        forged_host.call()


def test_without_a_token_webhooks_are_refused_except_in_demo_mode(tmp_path):
    for demo, expected in (("", 403), ("1", 200)):
        env = {"SECRET_KEY": TEST_SECRET_KEY, "BLAUWLIJN_DEMO": demo}
        client = create_app(Config.from_env(tmp_path, env=env)).test_client()
        assert client.post("/ivr/fallback", data=CALL).status_code == expected
