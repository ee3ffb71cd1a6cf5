"""Recent GET /slots answers, kept per worker process while the schedule does not change.

A search costs several queries and a few milliseconds of computing; the same searches come
again and again (every citizen of a district asks for the same officer's week). An answer
stays valid while the schedule version (bumped by database triggers on every change to the
tables that decide what is free: ``scheduling.models.SCHEDULE_TABLES``) stands and the local
day has not turned. Time moving on only removes moments (the minimum notice), so a hit drops
the moments that have meanwhile come too close and serves the rest.

Why this is safe: a request reads the version *before* the data, and each read sees what was
committed when it ran (never less than an earlier read), so the data an answer was built from
is never older than the version it is filed under.
"""

import json
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from threading import Lock
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError

CAPACITY = 2048  # answers per worker process; an answer is a few kB


class VersionReader:
    """Reads the schedule version: one primary-key read, before (and outside) the request's
    transaction.

    On PostgreSQL over a small pool of its own in autocommit mode without a pre-ping, so a
    cache hit costs one round trip instead of four (ping, BEGIN, SELECT, COMMIT); a connection
    that went away (a database restart) is replaced and the read tried once more.
    """

    QUERY = "SELECT version FROM schedule_version WHERE id = 1"

    def __init__(self, engine: Engine) -> None:
        self._own = engine.dialect.name == "postgresql"
        if self._own:
            engine = create_engine(engine.url, isolation_level="AUTOCOMMIT", pool_size=2)
        self._engine = engine

    def __call__(self) -> int:
        try:
            return self._read()
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            return self._read()

    def _read(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.exec_driver_sql(self.QUERY).scalar_one())

    def dispose(self) -> None:
        if self._own:
            self._engine.dispose()


@dataclass(frozen=True)
class Answer:
    """One search's free moments, as JSON-ready items sorted by start."""

    version: int
    day: date  # the zone's local day it was computed on (the horizon counts from it)
    min_notice: timedelta
    starts: list[datetime]
    items: list[dict[str, Any]]
    body: bytes  # ``items`` already serialised, for the common case where none has expired

    @classmethod
    def of(
        cls,
        *,
        version: int,
        day: date,
        min_notice: timedelta,
        starts: list[datetime],
        items: list[dict[str, Any]],
    ) -> "Answer":
        return cls(version, day, min_notice, starts, items, _serialise(items))

    def body_at(self, now: datetime) -> bytes:
        """The answer as it would be computed at ``now``: moments inside the notice dropped."""
        first = bisect_left(self.starts, now + self.min_notice)
        return self.body if first == 0 else _serialise(self.items[first:])


def _serialise(items: list[dict[str, Any]]) -> bytes:
    return json.dumps({"slots": items}, ensure_ascii=False, separators=(",", ":")).encode()


class SlotCache:
    """A bounded, thread-safe map from a search to its latest answer (least recently used
    answers leave first)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, *, version: int, day: date) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None or answer.version != version or answer.day != day:
                return None
            self._answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: Answer) -> None:
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self._capacity:
                self._answers.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
