"""Voice messages play in the call-back list: the console fetches the recording from Twilio
(here a loopback stand-in) with the account's credentials; nothing else gets them."""

import base64
import dataclasses
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from freezegun import freeze_time

from app.notify.models import CallbackTask
from scheduling.enums import Role
from tests.callcenter.calls import NOW, NOW_UTC, signed_in

ACCOUNT, TOKEN = "AC" + "1" * 32, "auth-token"
AUDIO = b"ID3\x03\x00fake-mp3-bytes" * 100
PATH = f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/RE123"


class FakeTwilio(BaseHTTPRequestHandler):
    """Serves one recording, only to the account's credentials (as Twilio does)."""

    asked: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        FakeTwilio.asked.append(self.path)
        expected = "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.end_headers()
            return
        if self.path != PATH + ".mp3":
            self.send_response(404)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "audio/mpeg")
        self.send_header("Content-Length", str(len(AUDIO)))
        self.end_headers()
        self.wfile.write(AUDIO)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


@pytest.fixture
def twilio() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTwilio)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeTwilio.asked = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def account(app, monkeypatch, twilio):
    config = dataclasses.replace(
        app.config["BLAUWLIJN"],
        twilio_account_sid=ACCOUNT,
        twilio_auth_token=TOKEN,
        twilio_api_base_url=twilio,
    )
    monkeypatch.setitem(app.config, "BLAUWLIJN", config)
    return config


def _task(session, url: str) -> CallbackTask:
    task = CallbackTask(reason="voice message", recording_url=url, created_at=NOW_UTC)
    session.add(task)
    session.flush()
    return task


def test_a_voice_message_plays_in_the_call_back_list(client, session, call_taker, account, twilio):
    task = _task(session, twilio + PATH)
    page = client.get("/console/callbacks").get_data(as_text=True)
    assert f'<audio controls preload="none" src="/console/callbacks/{task.id}/recording"' in page
    answer = client.get(f"/console/callbacks/{task.id}/recording")
    assert answer.status_code == 200
    assert answer.mimetype == "audio/mpeg"
    assert answer.get_data() == AUDIO
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_missing_recording_says_so(client, session, call_taker, account, twilio):
    task = _task(session, twilio + PATH.replace("RE123", "RE404"))
    answer = client.get(f"/console/callbacks/{task.id}/recording")
    assert answer.status_code == 502
    assert "could not be fetched" in answer.get_data(as_text=True)


def test_the_credentials_go_to_twilio_only(client, session, call_taker, account):
    task = _task(session, "http://attacker.example" + PATH)
    assert client.get(f"/console/callbacks/{task.id}/recording").status_code == 404
    assert FakeTwilio.asked == []


def test_without_the_account_no_recording(client, session, call_taker, twilio):
    task = _task(session, "https://api.twilio.com" + PATH)
    answer = client.get(f"/console/callbacks/{task.id}/recording")
    assert answer.status_code == 503
    assert "Twilio account" in answer.get_data(as_text=True)


def test_an_officer_cannot_listen(client, session, account, twilio):
    task = _task(session, twilio + PATH)
    signed_in(client, session, Role.DISTRICT_OFFICER)
    assert client.get(f"/console/callbacks/{task.id}/recording").status_code == 403
    assert FakeTwilio.asked == []
