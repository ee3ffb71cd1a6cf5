"""The live queue as Server-Sent Events (``GET /console/events``).

Each open stream asks the database once per tick (one query, its own short session) and
sends the waiting callers only when they changed, so every tab of every call-taker shows
the same list within a tick. A stream closes after ``CONSOLE_STREAM_SECONDS``; the browser
reconnects by itself (``retry``). With gunicorn's sync workers an open stream holds a whole
worker: see docs/console.md for the limit and the setting that lifts it.
"""

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Response, current_app
from sqlalchemy.orm import Session, sessionmaker

from app.staff.access import current_staff, staff_required
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.presence import KEEP_ALIVE, keep_alive
from callcenter.waiting import waiting_callers

TICK_SECONDS = 1.0
KEEP_ALIVE_SECONDS = 15.0
RETRY_MS = 1000


def queue_event(maker: sessionmaker[Session]) -> str:
    """The waiting callers as the data of one ``queue`` event."""
    with maker() as session:
        waiting = waiting_callers(session)
    now = datetime.now(UTC)
    return json.dumps([w.as_json(now) for w in waiting], separators=(",", ":"))


def _keep_alive(maker: sessionmaker[Session], staff_id: int) -> None:
    with maker.begin() as session:
        keep_alive(session, staff_id, datetime.now(UTC))


def stream(maker: sessionmaker[Session], seconds: float, staff_id: int) -> Iterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    deadline = time.monotonic() + seconds
    sent: list[dict[str, object]] | None = None
    last_write = time.monotonic()
    last_alive = -KEEP_ALIVE.total_seconds()  # at once on (re)connecting
    while True:
        if time.monotonic() - last_alive >= KEEP_ALIVE.total_seconds():
            _keep_alive(maker, staff_id)
            last_alive = time.monotonic()
        data = queue_event(maker)
        # The waited seconds change every tick; what is in line decides whether to send.
        shown = [{k: v for k, v in row.items() if k != "waited"} for row in json.loads(data)]
        if shown != sent:
            sent, last_write = shown, time.monotonic()
            yield f"event: queue\ndata: {data}\n\n"
        elif time.monotonic() - last_write >= KEEP_ALIVE_SECONDS:
            last_write = time.monotonic()
            yield ": keep-alive\n\n"
        if time.monotonic() >= deadline:
            return
        time.sleep(TICK_SECONDS)


@bp.get("/events")
@staff_required(*CONSOLE_ROLES)
def events() -> Response:
    # The generator runs after the request's own session is closed: it opens its own.
    maker = current_app.extensions["db_sessionmaker"]
    seconds = current_app.config["BLAUWLIJN"].console_stream_seconds
    me = current_staff()
    assert me is not None  # staff_required
    return Response(
        stream(maker, seconds, me.id),
        mimetype="text/event-stream",
        headers={"X-Accel-Buffering": "no"},  # a proxy must pass each event on at once
    )
