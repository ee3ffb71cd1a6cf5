"""The live streams woken by PostgreSQL NOTIFY (callcenter.live, migration 0020), with real
commits on a fresh database: a change reaches an open stream at once and without polling,
two streams share one listening connection, a killed connection comes back, the triggers
announce only what the snapshots read. SQLite has no listener: its streams poll
(test_queue_events.py reads them)."""

import queue
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from flask import Flask
from sqlalchemy import Engine, text, update
from sqlalchemy.orm import Session, sessionmaker

from app import create_app
from app.config import Config
from app.db import make_engine
from callcenter import events, live
from callcenter.presence import keep_alive, set_status
from ivr.models import Call
from scheduling.enums import PresenceStatus, Role
from tests.callcenter.calls import queued_call, signed_in
from tests.factories import TEST_SECRET_KEY as KEY
from tests.factories import make_staff

ARRIVES_WITHIN = 1.0  # seconds from a commit to the event on an open stream


@pytest.fixture(scope="module")
def pg_engine(fresh_database) -> Iterator[Engine]:
    engine = make_engine(fresh_database("postgresql"))
    yield engine
    engine.dispose()


@pytest.fixture
def maker(pg_engine) -> sessionmaker[Session]:
    return sessionmaker(pg_engine, expire_on_commit=False)


@pytest.fixture
def listener(pg_engine) -> Iterator[live.Listener]:
    listener = live.Listener(live.conninfo(pg_engine))
    yield listener
    listener.stop()


@pytest.fixture
def opened(maker, listener) -> Iterator[Callable[[float], "Opened"]]:
    """Open streams on the test's listener; each read to its end before the next test."""
    streams: list[Opened] = []

    def open_one(seconds: float, shared_as: str | None = None) -> Opened:
        streams.append(Opened(maker, listener, seconds, shared_as))
        return streams[-1]

    yield open_one
    for stream in streams:
        stream.thread.join()


class Opened:
    """A stream read in a thread of its own: each chunk with when it came; snapshots counted."""

    def __init__(self, maker, listener, seconds: float, shared_as: str | None = None) -> None:
        self.chunks: queue.Queue[tuple[float, str]] = queue.Queue()
        self.snapshots = 0

        def counted(session: Session, now: datetime) -> events.Snapshot:
            self.snapshots += 1
            return events.queue_snapshot(session, now)

        def read() -> None:
            chunks = events.stream(
                maker, seconds, "queue", counted, live=listener, shared_as=shared_as
            )
            for chunk in chunks:
                self.chunks.put((time.monotonic(), chunk))

        self.thread = threading.Thread(target=read, daemon=True)
        self.thread.start()

    def next_event(self, within: float) -> tuple[float, str]:
        """(when, data) of the next ``queue`` event; fails after ``within`` seconds."""
        deadline = time.monotonic() + within
        while True:
            try:  # no timed get: timed waits never end under libfaketime (make test)
                at, chunk = self.chunks.get_nowait()
            except queue.Empty:
                assert time.monotonic() < deadline, f"no queue event within {within} s"
                time.sleep(0.01)
                continue
            if chunk.startswith("event: queue"):
                return at, chunk.split("data: ", 1)[1]


def wait_until(condition, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "not within time"
        time.sleep(0.02)


def listening_backends(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(
            conn.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = :name "
                    "AND datname = current_database()"
                ),
                {"name": live.APPLICATION_NAME},
            )
        )


def commit_a_caller(maker) -> tuple[float, int]:
    """A caller joins the queue in another connection: (when it committed, the call's id)."""
    with maker.begin() as session:
        call_id = queued_call(session, caller=None).id
    return time.monotonic(), call_id


@pytest.fixture(autouse=True)
def empty_queue(maker) -> Iterator[None]:
    yield
    with maker.begin() as session:  # the next test starts with nobody waiting
        session.execute(update(Call).values(ended_at=datetime.now(UTC)))


def test_a_caller_reaches_an_open_stream_within_a_second_without_polling(maker, listener, opened):
    stream = opened(4)
    stream.next_event(within=2)  # the queue as it is
    wait_until(lambda: listener.listening)
    committed, call_id = commit_a_caller(maker)

    at, data = stream.next_event(within=ARRIVES_WITHIN)

    assert f'"id":{call_id}' in data
    assert at - committed < ARRIVES_WITHIN
    # Quiet now: polling would take 2 / TICK_SECONDS = 4 snapshots in two seconds.
    before = stream.snapshots
    time.sleep(2)
    assert stream.snapshots - before <= 1 + int(2 // events.SAFETY_SECONDS)


def test_two_streams_share_one_listening_connection(maker, listener, opened, pg_engine):
    first, second = opened(3), opened(3)
    first.next_event(within=2), second.next_event(within=2)
    wait_until(lambda: listener.listening)

    assert len(listening_backends(pg_engine)) == 1
    _committed, call_id = commit_a_caller(maker)
    for stream in (first, second):
        assert f'"id":{call_id}' in stream.next_event(within=ARRIVES_WITHIN)[1]
    assert len(listening_backends(pg_engine)) == 1


@pytest.mark.parametrize(("shared_as", "most"), [("queue", 2), (None, 8)])
def test_consoles_woken_together_share_one_snapshot(maker, listener, opened, shared_as, most):
    """Eight consoles of one process see a new caller; shared, the wake-up costs one
    snapshot (two if a stream's coalescing pause straddles another's), not one each."""
    streams = [opened(3, shared_as) for _ in range(8)]
    for stream in streams:
        stream.next_event(within=2)
    wait_until(lambda: listener.listening)
    before = sum(stream.snapshots for stream in streams)

    _committed, call_id = commit_a_caller(maker)

    for stream in streams:
        assert f'"id":{call_id}' in stream.next_event(within=ARRIVES_WITHIN)[1]
    taken = sum(stream.snapshots for stream in streams) - before
    assert 1 <= taken <= most
    if shared_as is None:
        assert taken == 8  # the same test fails unshared: each stream took its own


def test_a_shared_snapshot_is_taken_again_for_a_new_generation_or_when_old(monkeypatch):
    listener = live.Listener("")  # never started: sharing needs no connection
    taken: list[int] = []

    def take() -> int:
        taken.append(1)
        return len(taken)

    assert listener.shared("queue", 1, take) == 1
    assert listener.shared("queue", 1, take) == 1  # same generation, just now: shared
    assert listener.shared("live", 1, take) == 2  # another kind is another snapshot
    assert listener.shared("queue", 2, take) == 3  # a new generation
    monkeypatch.setattr(live, "SHARE_SECONDS", 0.0)
    assert listener.shared("queue", 2, take) == 4  # too old to share


def test_a_killed_listener_reconnects_and_the_streams_still_follow(
    maker, listener, opened, pg_engine
):
    stream = opened(6)
    stream.next_event(within=2)
    wait_until(lambda: listener.listening)
    (killed,) = listening_backends(pg_engine)
    with pg_engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed})

    _committed, call_id = commit_a_caller(maker)

    assert f'"id":{call_id}' in stream.next_event(within=3)[1]
    wait_until(lambda: listening_backends(pg_engine) not in ([], [killed]))
    wait_until(lambda: listener.listening)
    _committed, other_id = commit_a_caller(maker)  # and the new connection announces again
    assert f'"id":{other_id}' in stream.next_event(within=ARRIVES_WITHIN)[1]


def announced(pg_engine, change) -> list[str]:
    """The payloads a LISTENing connection receives for the committed ``change(session)``."""
    with psycopg.connect(live.conninfo(pg_engine), autocommit=True) as conn:
        conn.execute(f"LISTEN {live.CHANNEL}")
        with sessionmaker(pg_engine).begin() as session:
            change(session)
        return sorted(n.payload for n in conn.notifies(timeout=0.3))


def test_the_triggers_announce_what_the_live_views_show_and_nothing_else(pg_engine):
    with sessionmaker(pg_engine, expire_on_commit=False).begin() as session:
        staff = make_staff(session, roles=(Role.CALL_TAKER,))
        in_menu = queued_call(session, outcome=None)
        waiting = queued_call(session)
    now = datetime.now(UTC)

    def step(session: Session) -> None:  # a menu step of a caller not in the queue
        session.execute(update(Call).where(Call.id == in_menu.id).values(path=["voice", "x"]))

    assert announced(pg_engine, step) == []
    available = lambda s: set_status(s, staff.id, PresenceStatus.AVAILABLE, now)  # noqa: E731
    assert announced(pg_engine, available) == ["calltaker_presence"]
    assert announced(pg_engine, lambda s: keep_alive(s, staff.id, now)) == []
    assert announced(pg_engine, lambda s: queued_call(s)) == ["calls"]

    def hangs_up(session: Session) -> None:
        session.execute(update(Call).where(Call.id == waiting.id).values(ended_at=now))

    assert announced(pg_engine, hangs_up) == ["calls"]


def test_an_app_on_postgresql_has_a_listener_that_waits_for_the_first_stream(pg_engine, tmp_path):
    url = pg_engine.url.render_as_string(hide_password=False)
    app = create_app(Config.from_env(tmp_path, env={"DATABASE_URL": url, "SECRET_KEY": KEY}))
    assert isinstance(app.extensions[live.EXTENSION], live.Listener)
    # gunicorn forks after this: no thread and no connection before a stream asks.
    assert listening_backends(pg_engine) == []
    assert not [t for t in threading.enumerate() if t.name == "console-listener"]
    app.extensions["db_engine"].dispose()


def test_sqlite_has_no_listener_and_its_streams_poll(fresh_database):
    app = Flask(__name__)
    app.extensions["db_engine"] = engine = make_engine(fresh_database("sqlite"))
    live.init_app(app)
    engine.dispose()
    assert live.EXTENSION not in app.extensions


class Counted:
    """A listener double that is always listening and always has news: counts the waits."""

    listening = True

    def __init__(self) -> None:
        self.waits = 0
        self.shared_as: set[str] = set()

    def generation(self) -> int:
        return self.waits

    def shared(self, name, generation, take):
        self.shared_as.add(name)
        return take()

    def wait(self, seen: int, timeout: float) -> int:
        self.waits += 1
        return self.waits


@pytest.mark.parametrize(
    ("path", "role", "shared_as"),
    [
        ("/console/events", Role.CALL_TAKER, {"queue"}),
        # The supervisor's snapshot is in the supervisor's language: not shared.
        ("/console/supervisor/events", Role.SUPERVISOR, set()),
    ],
)
def test_both_routes_wait_on_the_apps_listener(app, client, session, path, role, shared_as):
    signed_in(client, session, role)
    app.extensions[live.EXTENSION] = counted = Counted()
    queued_call(session)
    answer = client.get(path)
    stream = answer.response
    next(stream), next(stream)  # retry, the first event
    queued_call(session, caller="+32470999999")
    assert next(stream).decode().startswith("event: ")  # the second caller, after a wait
    answer.close()
    assert counted.waits >= 1
    assert counted.shared_as == shared_as
