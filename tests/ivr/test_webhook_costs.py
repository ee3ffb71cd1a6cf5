"""What keeps a voice webhook cheap (bench/ivr.py) without changing what it does: one
statement to find or make the call, one to record the step, a one-second cache for
presence and the offices, and TwiML written without an ElementTree."""

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import event, select
from twilio.request_validator import RequestValidator
from twilio.twiml import TwiML
from twilio.twiml.voice_response import VoiceResponse

from callcenter.presence import set_status
from ivr.models import Call
from ivr.recent import MAX_AGE, Recent
from ivr.telephony.twiml import markup
from scheduling.enums import PresenceStatus, Role
from scheduling.models import Site
from tests.factories import NOW, make_staff

CALL = {"CallSid": "CA" + "2" * 32, "From": "+32470123456", "To": "+3254313501"}


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(app) -> Iterator[Clock]:
    """The app with its one-second cache back, on a clock the test moves."""
    clock = Clock()
    app.extensions["ivr_recent"] = Recent(clock)
    yield clock
    app.extensions.pop("ivr_recent")


@pytest.fixture
def statements(connection) -> Iterator[list[str]]:
    """The SQL statements the webhooks send (the tests' own savepoints left out)."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        if "SAVEPOINT" not in statement:
            sent.append(statement.split(None, 1)[0])

    event.listen(connection, "before_cursor_execute", record)
    yield sent
    event.remove(connection, "before_cursor_execute", record)


@freeze_time(NOW)
def test_each_step_costs_two_statements_and_a_retry_one(client, clock, statements):
    client.post("/ivr/voice", data=CALL)
    client.post("/ivr/menu?s=1", data={**CALL, "Digits": "4"})  # reads the offices once
    statements.clear()
    steps = [
        ("/ivr/voice", {"CallSid": "CA" + "3" * 32}),  # a new call
        ("/ivr/menu?s=2", {"Digits": "*"}),
        ("/ivr/menu?s=3", {"Digits": "4"}),  # the offices: from the cache
    ]
    for path, form in steps:
        assert client.post(path, data={**CALL, **form}).status_code == 200
    # The offices from the cache; the caller's own office is looked up (their appointment).
    assert statements == ["INSERT", "UPDATE", "SELECT", "UPDATE", "SELECT", "SELECT", "UPDATE"]
    statements.clear()
    client.post("/ivr/menu?s=3", data={**CALL, "Digits": "4"})  # Twilio retries
    assert statements == ["SELECT"]


@freeze_time(NOW)
def test_a_retried_entry_answers_the_same_and_counts_once(client, session):
    first = client.post("/ivr/voice", data=CALL)
    again = client.post("/ivr/voice", data=CALL)
    assert first.get_data() == again.get_data()
    call = session.scalars(select(Call)).one()
    assert (call.path, call.state["steps"]) == (["voice"], 1)


@freeze_time(NOW)
def test_the_path_is_recorded_also_where_nothing_else_changes(client, session):
    client.post("/ivr/voice", data=CALL)
    client.post("/ivr/menu?s=1", data={**CALL, "Digits": "4"})
    client.post("/ivr/menu?s=2", data={**CALL, "Digits": "0"})
    call = session.scalars(select(Call)).one()
    assert call.path == ["voice", "menu:4", "menu:0"]
    assert call.state["steps"] == 3


def test_a_kept_value_is_read_again_after_max_age():
    clock, reads = Clock(), []
    recent = Recent(clock)

    def read() -> int:
        reads.append(clock.now)
        return len(reads)

    assert recent.get("x", read) == 1
    clock.now += MAX_AGE * 0.99
    assert recent.get("x", read) == 1  # kept
    clock.now += MAX_AGE * 0.02
    assert recent.get("x", read) == 2  # at most MAX_AGE old
    assert recent.get("y", read) == 3  # each name on its own


@freeze_time(NOW)  # Tuesday morning: call-takers' hours
def test_a_call_taker_who_became_available_gets_callers_within_a_second(client, session, clock):
    def topic_offered(sid: str) -> bool:
        client.post("/ivr/voice", data={**CALL, "CallSid": sid})
        chosen = {**CALL, "CallSid": sid, "Digits": "1"}  # Nederlands
        return "/ivr/topic" in client.post("/ivr/language?s=1", data=chosen).get_data(as_text=True)

    assert not topic_offered("CA" + "4" * 32)  # nobody available: the menu
    staff = make_staff(session, roles=(Role.CALL_TAKER,), name="Sarah Maes")
    set_status(session, staff.id, PresenceStatus.AVAILABLE, datetime.now(UTC))
    session.commit()
    clock.now += MAX_AGE / 2
    assert not topic_offered("CA" + "5" * 32)  # this worker still trusts what it read
    clock.now += MAX_AGE / 2
    assert topic_offered("CA" + "6" * 32)


@freeze_time(NOW)
def test_an_office_moved_is_heard_within_a_second(client, session, clock):
    def heard(sid: str) -> str:
        form = {**CALL, "CallSid": sid}
        client.post("/ivr/voice", data=form)
        return client.post("/ivr/menu?s=1", data={**form, "Digits": "4"}).get_data(as_text=True)

    site = Site(
        code="hq",
        name="Hoofdcommissariaat",
        is_central=True,
        street="Oude straat",
        number="1",
        postcode="8000",
        municipality="Brugge",
    )
    session.add(site)
    session.commit()
    assert "Oude straat" in heard("CA" + "7" * 32)
    site.street = "Nieuwe straat"
    session.commit()
    assert "Oude straat" in heard("CA" + "8" * 32)
    clock.now += MAX_AGE
    assert "Nieuwe straat" in heard("CA" + "9" * 32)


@freeze_time(NOW)
def test_the_signature_check_is_still_twilios(app):
    client = FlaskClient(app)  # signs nothing itself
    validator = RequestValidator("secret-token")

    def status(*, signed_for: str = "", header: str = "") -> int:
        form = {**CALL, "CallSid": "CA" + secrets.token_hex(16)}
        signature = validator.compute_signature(signed_for, form) if signed_for else header
        headers = {"X-Twilio-Signature": signature}
        return client.post("/ivr/voice", data=form, headers=headers).status_code

    assert status(signed_for="https://blauwlijn.example/ivr/voice") == 200
    assert status(signed_for="https://blauwlijn.example:443/ivr/voice") == 200  # Twilio's too
    assert status(signed_for="https://blauwlijn.example/ivr/menu") == 403
    assert status(header="") == 403
    assert status(header="é" * 28) == 403


def test_twiml_is_written_as_twilio_writes_it():
    response = VoiceResponse()
    gather = response.gather(
        action='/ivr/menu?s=1&x="<>\n\t', num_digits=1, action_on_empty_result=False
    )
    gather.say("Pour le français & l'anglais: <9>.", voice="Polly.Lisa-Neural")
    gather.append("a tail")
    response.redirect("/ivr/menu?quiet=1&s=1", method="POST")
    response.append("text after a verb")
    response.add_child("Custom", {"json": 1}, some_flag=True)
    response.hangup()
    assert markup(response) == response.to_xml(xml_declaration=False)
    alone = VoiceResponse()
    alone.append("only text")
    assert markup(alone) == alone.to_xml(xml_declaration=False)
    assert markup(VoiceResponse()) == VoiceResponse().to_xml(xml_declaration=False)


def test_every_answer_in_a_walk_is_written_as_twilio_writes_it(monkeypatch, phone):
    import ivr.telephony.twiml

    written: list[tuple[str, str]] = []
    original = ivr.telephony.twiml.markup

    def compared(node: TwiML) -> str:
        written.append((original(node), node.to_xml(xml_declaration=False)))
        return written[-1][0]

    monkeypatch.setattr(ivr.telephony.twiml, "markup", compared)
    walker = phone()
    walker.call()
    for key in ("2", "4", "*", "2", "0"):
        walker.press(key)
    assert written
    assert all(ours == theirs for ours, theirs in written)
