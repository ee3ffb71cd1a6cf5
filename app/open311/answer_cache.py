"""Recent answers of ``GET requests.{fmt}``, kept per worker process for a few seconds.

Maps and dashboards poll the same list (the last 90 days, first page) every few seconds;
each answer costs four database round trips and building 50 rows. The answers are public
and already say ``Cache-Control: public, max-age=60``, so serving the same bytes again for
``TTL_SECONDS`` promises nothing new: a change shows within that (plus the client's own
caching). A repeat served from here does not touch the database and is not counted by the
rate limit, which protects the database (app.open311's ``before_request``).

Keyed by the path with its query string and the Accept-Language header (the answer varies
by both). Tests leave it out (tests/conftest.py), as they do the API's slot cache.
"""

import time
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from flask import Response, current_app, request

TTL_SECONDS = 15.0
CAPACITY = 256  # answers per worker process; one is at most a few hundred kB (200 rows)


@dataclass(frozen=True)
class _Answer:
    body: bytes
    mimetype: str
    headers: tuple[tuple[str, str], ...]
    expires: float


class AnswerCache:
    def __init__(self, ttl: float = TTL_SECONDS, capacity: int = CAPACITY) -> None:
        self._ttl, self._capacity = ttl, capacity
        self._answers: OrderedDict[tuple[str, str], _Answer] = OrderedDict()
        self._lock = Lock()  # threaded workers share one cache

    def get(self, key: tuple[str, str]) -> Response | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                return None
            if found.expires <= time.monotonic():
                del self._answers[key]
                return None
        response = Response(found.body, mimetype=found.mimetype)
        response.headers.extend(found.headers)
        return response

    def put(self, key: tuple[str, str], response: Response) -> None:
        kept = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() in ("cache-control", "vary")
        )
        answer = _Answer(
            response.get_data(), response.mimetype or "", kept, time.monotonic() + self._ttl
        )
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > self._capacity:
                self._answers.popitem(last=False)


def _key() -> tuple[str, str]:
    return request.full_path, request.headers.get("Accept-Language", "")


def _cache() -> AnswerCache | None:
    cache: AnswerCache | None = current_app.extensions.get("open311_cache")
    return cache


def replay() -> Response | None:
    """The answer this same GET got less than TTL_SECONDS ago in this worker, or None."""
    cache = _cache()
    if cache is None or request.method != "GET":
        return None
    return cache.get(_key())


def remember(response: Response) -> None:
    """Keep a successful answer of this GET for the next identical one."""
    cache = _cache()
    if cache is not None and response.status_code == 200:
        cache.put(_key(), response)
