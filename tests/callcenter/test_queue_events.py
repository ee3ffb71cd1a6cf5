"""Item 2: the waiting callers (one query) and the live queue's Server-Sent Events."""

import json
from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import event

from callcenter import events
from callcenter.claims import take_call
from callcenter.waiting import waiting_callers
from scheduling.enums import Role
from tests.callcenter.calls import (
    NOW,
    NOW_UTC,
    booked_for,
    queued_call,
    read_events,
    signed_in,
)
from tests.factories import make_staff


@pytest.fixture(autouse=True)
def frozen():
    with freeze_time(NOW) as frozen:
        yield frozen


def test_waiting_callers_longest_first_with_a_recognised_name(session):
    booked_for(session, "+32470123456", name="Jan Peeters")
    later = queued_call(session, caller="+32470999999", waited=10, topic="other")
    first = queued_call(session, waited=50)
    hidden = queued_call(session, caller=None, waited=5)
    queued_call(session, outcome=None)  # still in the menu
    queued_call(session, outcome="abandoned")
    ended = queued_call(session)
    ended.ended_at = NOW_UTC
    taken = queued_call(session, caller="+32470555555")
    staff = signed_in_staff(session)
    assert take_call(session, call=taken, staff_id=staff.id, now=NOW_UTC)

    waiting = waiting_callers(session)

    assert [w.call_id for w in waiting] == [first.id, later.id, hidden.id]
    assert [w.name for w in waiting] == ["Jan Peeters", None, None]
    assert waiting[0].as_json(NOW_UTC) == {
        "id": first.id,
        "caller": "+32470123456",
        "name": "Jan Peeters",
        "topic": "appointment",
        "since": (NOW_UTC - timedelta(seconds=50)).isoformat(),
        "waited": 50,
    }


def signed_in_staff(session):
    return make_staff(session, roles=(Role.CALL_TAKER,))


def test_the_list_is_one_query(session, engine):
    for n in range(5):
        booked_for(session, f"+3247012345{n}", name=f"Citizen {n}")
        queued_call(session, caller=f"+3247012345{n}")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731  (a throwaway spy)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert len(waiting_callers(session)) == 5
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1


def test_the_stream_sends_the_queue_and_then_its_changes(app, client, session, monkeypatch):
    signed_in(client, session, Role.CALL_TAKER)
    call = queued_call(session, waited=42)
    monkeypatch.setattr(events, "TICK_SECONDS", 0)
    answer = client.get("/console/events")
    assert answer.status_code == 200
    assert answer.mimetype == "text/event-stream"
    assert answer.headers["Cache-Control"] == "no-store"
    stream = answer.response  # the generator itself: read event by event
    read = [next(stream).decode(), next(stream).decode()]
    assert read[0] == f"retry: {events.RETRY_MS}\n\n"
    ((kind, data),) = read_events(read)
    assert kind == "queue"
    rows = json.loads(data)
    assert [(r["id"], r["caller"], r["topic"], r["waited"]) for r in rows] == [
        (call.id, "+32470123456", "appointment", 42)
    ]
    # Another call-taker takes the caller: the next tick says the line is empty.
    other = signed_in_staff(session)
    assert take_call(session, call=call, staff_id=other.id, now=NOW_UTC)
    read.append(next(stream).decode())
    assert read_events(read)[-1] == ("queue", "[]")
    answer.close()


def test_the_stream_is_quiet_when_nothing_changes_and_ends_in_time(app, session, monkeypatch):
    queued_call(session)
    monkeypatch.setattr(events, "TICK_SECONDS", 0)
    maker = app.extensions["db_sessionmaker"]
    clock = iter(range(0, 10_000, 5))  # every read of the clock: 5 s later
    monkeypatch.setattr(events.time, "monotonic", lambda: next(clock))
    chunks = list(events.stream(maker, 60, "queue", events.queue_snapshot, presence_of=0))
    kinds = [c.split("\n", 1)[0] for c in chunks]
    assert kinds[0].startswith("retry:")
    assert kinds.count("event: queue") == 1  # the same line-up is not sent again
    assert ": keep-alive" in kinds
