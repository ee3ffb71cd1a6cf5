"""One PostgreSQL listener per process that wakes the console's and supervisor's live streams.

Triggers (migration 0020) send ``NOTIFY blauwlijn_console`` when a table a live snapshot
reads changes. One thread per process holds one connection that LISTENs and, on each
notification, bumps a generation counter and wakes every waiting stream
(``callcenter.events.stream``), so a hundred open consoles cost one connection per process,
not a query each half-second. A lost connection is reopened with backoff; on (re)connecting
everyone is woken, since notifications sent meanwhile are lost. Not for correctness: a
stream also looks every ``events.SAFETY_SECONDS`` by itself.

Fork safety: gunicorn forks its workers after importing the app, so the thread starts on
the first stream, in the worker, and a process that finds itself forked starts its own.
SQLite has no NOTIFY: no listener there (``init_app``), its streams poll.
"""

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg
from flask import Flask
from sqlalchemy import Engine

CHANNEL = "blauwlijn_console"  # the migration's; a copy there
APPLICATION_NAME = "blauwlijn-listen"  # how pg_stat_activity shows the listener
EXTENSION = "console_live"
FIRST_BACKOFF = 0.25  # seconds before reconnecting; doubles up to MAX_BACKOFF
MAX_BACKOFF = 10.0
# The thread's beat: a dead connection shows within it, and it bounds every stream's wait.
PING_SECONDS = 1.0
# A snapshot taken at a generation serves the process's other streams of its kind at that
# generation for this long (``Listener.shared``).
SHARE_SECONDS = 1.0
T = TypeVar("T")

log = logging.getLogger(__name__)


class Listener:
    """Wake-ups for the live streams of this process, from one LISTENing connection."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._start_lock = threading.Lock()
        self._pid: int | None = None  # the process whose thread runs
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._reset()

    def _reset(self) -> None:
        self._changed = threading.Condition()
        self._generation = 0
        self._beating = True  # False once the thread has ended: waits return at once
        self.listening = False  # False while (re)connecting: streams then poll
        self._shared_lock = threading.Lock()
        self._shared: dict[str, tuple[int, float, Any]] = {}  # name: (generation, when, what)

    def _ensure_started(self) -> None:
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._reset()  # a forked copy: the parent's thread and locks are not ours
            self._thread = threading.Thread(target=self._run, name="console-listener", daemon=True)
            self._thread.start()
            self._pid = os.getpid()

    def generation(self) -> int:
        """The wake-ups so far; pass it to ``wait`` after taking a snapshot."""
        self._ensure_started()
        return self._generation

    def wait(self, seen: int, timeout: float) -> int:
        """Block until a wake-up after ``seen`` or ``timeout`` seconds (give or take
        ``PING_SECONDS``); the generation now."""
        self._ensure_started()
        until = time.monotonic() + timeout
        with self._changed:
            while self._generation == seen and time.monotonic() < until and self._beating:
                # Untimed: the thread's beat wakes us each PING_SECONDS. (A timed wait would
                # never return under libfaketime, `make test`, which moves the clock it reads.)
                self._changed.wait()
            return self._generation

    def shared(self, name: str, generation: int, take: Callable[[], T]) -> T:
        """``take()``, or what it gave another stream of this process for ``name`` at the same
        ``generation`` (read before, as ``stream`` does) less than ``SHARE_SECONDS`` ago:
        a wake-up then costs the process one snapshot, not one per open console. The first
        stream takes it while the others wait for it (a query of a few milliseconds)."""
        with self._shared_lock:
            kept = self._shared.get(name)
            if kept and kept[0] == generation and time.monotonic() - kept[1] < SHARE_SECONDS:
                return kept[2]
            what = take()
            self._shared[name] = (generation, time.monotonic(), what)
            return what

    def wake(self) -> None:
        with self._changed:
            self._generation += 1
            self._changed.notify_all()

    def _beat(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def stop(self) -> None:
        """End the thread for good, its streams polling from then on (tests; a worker just
        exits). Waits up to ``PING_SECONDS`` for it."""
        self._stopped.set()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join()

    def _run(self) -> None:
        try:
            self._reconnecting()
        finally:  # stopped (or dying): nobody waits for a beat that will not come
            self.listening = self._beating = False
            self.wake()

    def _reconnecting(self) -> None:
        backoff = FIRST_BACKOFF
        while not self._stopped.is_set():
            try:
                self._listen()
            except Exception as error:  # whatever it was, the thread lives on and reconnects
                if self.listening:  # it was connected: a fresh loss, retry soon
                    backoff = FIRST_BACKOFF
                # The error's class only: its text may name the host or the user.
                log.warning(
                    "console listener: no connection (%s), again in %.2f s",
                    type(error).__name__,
                    backoff,
                )
            self.listening = False
            self.wake()  # the streams poll meanwhile (events.stream)
            self._pause(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)

    def _pause(self, seconds: float) -> None:
        """Sleep, beating on."""
        until = time.monotonic() + seconds
        while not self._stopped.is_set() and (left := until - time.monotonic()) > 0:
            time.sleep(min(left, PING_SECONDS))
            self._beat()

    def _listen(self) -> None:
        with psycopg.connect(
            self._conninfo, autocommit=True, application_name=APPLICATION_NAME, connect_timeout=5
        ) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.listening = True
            self.wake()  # changes while we were away sent nobody anything
            while not self._stopped.is_set():
                for _notify in conn.notifies(timeout=PING_SECONDS):
                    self.wake()
                self._beat()
                conn.execute("SELECT 1")  # a connection that died silently raises here


def conninfo(engine: Engine) -> str:
    """The engine's database as a libpq connection string (psycopg's, without SQLAlchemy)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def init_app(app: Flask) -> None:
    """PostgreSQL: a listener for this app, its thread not started yet (see the docstring)."""
    engine: Engine = app.extensions["db_engine"]
    if engine.dialect.name == "postgresql":
        app.extensions[EXTENSION] = Listener(conninfo(engine))
