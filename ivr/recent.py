"""What nearly every call asks and seldom changes, kept for a second per worker process:
whether a call-taker is available (``voice``), the zone's offices (``info``).

Why a second is safe: a call-taker who just became available gets callers at most a second
later, and one who just left may still have a caller queued for a second (callers already
queue for up to ``callcenter.presence.FRESH_FOR`` after a console closed unannounced); an
office's new address is heard a second after it is saved. Saves a query on nearly every
entry in the call-takers' hours and on nearly every information menu.
"""

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app

MAX_AGE = 1.0  # seconds a value is reused
T = TypeVar("T")


class Recent:
    """Values by name, each reused for ``MAX_AGE`` seconds after it was read. Threads of a
    worker share it: two of them reading the same value at once both read, no harm done."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._kept: dict[str, tuple[float, Any]] = {}

    def get(self, name: str, read: Callable[[], T]) -> T:
        now = self._clock()
        kept = self._kept.get(name)
        if kept is not None and now - kept[0] < MAX_AGE:
            value: T = kept[1]
            return value
        value = read()
        self._kept[name] = (now, value)
        return value


def cached(name: str, read: Callable[[], T]) -> T:
    """``read()``, or what it gave at most ``MAX_AGE`` ago in this process. An app without
    the cache (tests whose data changes inside one rolled-back transaction) always reads."""
    cache: Recent | None = current_app.extensions.get("ivr_recent")
    return read() if cache is None else cache.get(name, read)


def init_app(app: Flask) -> None:
    app.extensions["ivr_recent"] = Recent()
