"""Server-Sent Events: the console's live queue (``GET /console/events``) and, through the
same ``stream``, the supervisor's live view (``callcenter.supervisor``).

Each open stream takes a snapshot (its own short session) and sends it only when it changed.
On PostgreSQL it takes one when the process's listener (``callcenter.live``) says a table it
reads changed, at most once per ``COALESCE_SECONDS``, and every ``SAFETY_SECONDS`` anyway;
the consoles of a process woken together share one snapshot of the queue;
on SQLite, or while the listener reconnects, once per ``TICK_SECONDS``. A stream closes
after ``CONSOLE_STREAM_SECONDS``; the browser reconnects by itself (``retry``). Each open
stream holds a web thread: see docs/console.md for the limit and the setting that lifts it.
"""

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import NamedTuple

from flask import Response, current_app
from sqlalchemy.orm import Session, sessionmaker

from app import current
from app.staff.access import staff_required
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.live import EXTENSION as LIVE
from callcenter.live import Listener
from callcenter.presence import KEEP_ALIVE, keep_alive
from callcenter.waiting import waiting_callers
from scheduling.models import Staff

TICK_SECONDS = 0.5  # polling: a caller shows on every console within about half a second
# Woken by NOTIFY: a burst of changes costs a stream one snapshot per COALESCE_SECONDS, and
# a stream looks every SAFETY_SECONDS by itself (what no trigger announces: the name of a
# waiting caller's newest appointment; a wake-up lost in a reconnect).
COALESCE_SECONDS = 0.1
SAFETY_SECONDS = 5.0
KEEP_ALIVE_SECONDS = 15.0
# The browser reconnects this soon after a stream ends; a caller who joins in that gap shows
# late by as much on that console (bench/console.py: with 1 s, the gap was the slowest case).
RETRY_MS = 250
_UNSENT = object()  # differs from every snapshot's key: the first is always sent


class Snapshot(NamedTuple):
    data: object  # the event's data, sent as JSON
    key: object  # what must differ for it to be sent again: the data without what ticks by


Snapshotter = Callable[[Session, datetime], Snapshot]


def queue_snapshot(session: Session, now: datetime) -> Snapshot:
    """The waiting callers, for the console's ``queue`` event."""
    rows = [w.as_json(now) for w in waiting_callers(session)]
    # The waited seconds change every tick; who is in line decides whether to send.
    return Snapshot(rows, [{k: v for k, v in row.items() if k != "waited"} for row in rows])


def _keep_alive(maker: sessionmaker[Session], staff_id: int) -> None:
    with maker.begin() as session:
        keep_alive(session, staff_id, datetime.now(UTC))


def stream(
    maker: sessionmaker[Session],
    seconds: float,
    event: str,
    snapshot: Snapshotter,
    *,
    presence_of: int | None = None,
    live: Listener | None = None,
    shared_as: str | None = None,
) -> Iterator[str]:
    """``event`` with each new ``snapshot``, a keep-alive comment when quiet, for ``seconds``.

    ``presence_of``: the call-taker whose console this is; their status holds while it is
    open (``callcenter.presence``). Only the console passes it: watching is not taking calls.
    ``live``: the process's listener (PostgreSQL); without it the stream polls.
    ``shared_as``: a name when the snapshot is the same for every stream that passes it (the
    console's queue): the streams of a process woken together share one (``Listener.shared``).
    """
    yield f"retry: {RETRY_MS}\n\n"
    deadline = time.monotonic() + seconds
    sent: object = _UNSENT
    last_write = time.monotonic()
    last_alive = -KEEP_ALIVE.total_seconds()  # at once on (re)connecting
    seen = 0
    while True:
        if presence_of is not None and time.monotonic() - last_alive >= KEEP_ALIVE.total_seconds():
            _keep_alive(maker, presence_of)
            last_alive = time.monotonic()
        if live is not None:
            seen = live.generation()  # read before the snapshot: a change during it wakes us
        taken = time.monotonic()
        if live is not None and live.listening and shared_as is not None:
            shot = live.shared(shared_as, seen, lambda: _take(maker, snapshot))
        else:
            shot = _take(maker, snapshot)
        if shot.key != sent:
            sent, last_write = shot.key, time.monotonic()
            yield f"event: {event}\ndata: {json.dumps(shot.data, separators=(',', ':'))}\n\n"
        elif time.monotonic() - last_write >= KEEP_ALIVE_SECONDS:
            last_write = time.monotonic()
            yield ": keep-alive\n\n"
        if time.monotonic() >= deadline:
            return
        _wait(live, seen, taken, deadline)


def _take(maker: sessionmaker[Session], snapshot: Snapshotter) -> Snapshot:
    with maker() as session:
        return snapshot(session, datetime.now(UTC))


def _wait(live: Listener | None, seen: int, taken: float, deadline: float) -> None:
    """Until the next snapshot is due (``taken``: when the last one was)."""
    if live is None or not live.listening:
        time.sleep(TICK_SECONDS)
        return
    live.wait(seen, max(0.0, min(SAFETY_SECONDS, deadline - time.monotonic())))
    # Coalesce a burst: the changes of the next instant go into the same snapshot.
    time.sleep(max(0.0, taken + COALESCE_SECONDS - time.monotonic()))


def event_stream(events: Iterator[str]) -> Response:
    """A ``stream`` as the answer to the request."""
    return Response(
        events,
        mimetype="text/event-stream",
        headers={"X-Accel-Buffering": "no"},  # a proxy must pass each event on at once
    )


@bp.get("/events")
@staff_required(*CONSOLE_ROLES)
def events(me: Staff) -> Response:
    # The generator runs after the request's own session is closed: it opens its own.
    maker = current_app.extensions["db_sessionmaker"]
    seconds = current.config().console_stream_seconds
    live = current_app.extensions.get(LIVE)
    return event_stream(
        stream(
            maker, seconds, "queue", queue_snapshot, presence_of=me.id, live=live, shared_as="queue"
        )
    )
