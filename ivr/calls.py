"""Each call's record and the one way a voice webhook answers: the call row locked, the
answer built once per step and replayed when Twilio retries (same CallSid, step and keys).

The last answer is kept on the call row itself: Twilio retries a webhook before the call
moves on, and the row is read and locked anyway, so a retry costs no extra query.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from flask import request
from flask_babel import force_locale
from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.datastructures import MultiDict

from app import current
from app.config import Config
from app.db import get_session
from app.phone import e164_or_none
from ivr.models import Call
from ivr.telephony.twiml import Reply
from scheduling.models import Booking

log = logging.getLogger(__name__)
MAX_PATH = 200  # steps kept per call; a caller stuck in a loop must not grow the row forever


@dataclass
class Turn:
    """One webhook request of a call: what the caller did and the answer being built."""

    session: Session
    call: Call
    form: MultiDict[str, str]
    now: datetime
    config: Config
    reply: Reply
    args: dict[str, str] = field(default_factory=dict)

    @property
    def digits(self) -> str:
        return self.form.get("Digits", "").strip()

    @property
    def quiet(self) -> int:
        """How many times in a row this question went unanswered."""
        return self.reply.quiet

    def booking(self) -> Booking | None:
        """The appointment the caller is dealing with (found by number or code)."""
        booking_id = self.call.state.get("booking_id")
        return self.session.get(Booking, booking_id) if booking_id else None

    def remember(self, **state: Any) -> None:
        self.call.state = {**self.call.state, **state}


# Built once: SQLAlchemy then neither rebuilds nor re-hashes them on every webhook.
_CALLS = cast(Table, Call.__table__)
_LOCKED = select(Call).where(Call.call_sid == bindparam("sid")).with_for_update()
# A caller with an appointment hears the language they booked in (the booking engine takes
# only nl, fr and en), else Dutch. A plain INSERT loaded as an ORM row: SQLAlchemy caches no
# ON CONFLICT, and its ORM insert costs twice the Python.
_NEW = select(Call).from_statement(
    insert(_CALLS)
    .values(
        call_sid=bindparam("sid"),
        caller=bindparam("caller"),
        language=func.coalesce(
            select(Booking.language)
            .where(Booking.citizen_phone == bindparam("caller"))
            .order_by(Booking.id.desc())
            .limit(1)
            .scalar_subquery(),
            "nl",
        ),
        path=[],
        state={},
        started_at=bindparam("now"),
    )
    .returning(*_CALLS.c)
)
# A plain UPDATE: the ORM's flush of the same row costs several times the Python.
_STEP = (
    update(_CALLS)
    .where(_CALLS.c.id == bindparam("call_id"))
    .values(path=bindparam("new_path"), state=bindparam("new_state"))
)


def open_call(
    session: Session, sid: str, raw_from: str, now: datetime, *, entry: bool = False
) -> Call:
    """The call's row, locked for this request (PostgreSQL: concurrent retries of one call
    wait for each other; SQLite serialises all writes). Later steps select it; the entry
    webhook, where calls begin, inserts it straight away. Either way one statement, unless
    the guess was wrong (a retried entry, a status callback before any step): then the row
    is made or found after all."""
    sid = sid[:64]
    if not entry and (call := session.scalars(_LOCKED, {"sid": sid}).one_or_none()):
        return call
    new = {"sid": sid, "caller": e164_or_none(raw_from), "now": now}
    try:
        created: Call = session.scalars(_NEW, new).one()
        return created
    except IntegrityError:  # it exists after all (PostgreSQL waited until it was committed)
        session.rollback()  # nothing else was done in this transaction yet
    return session.scalars(_LOCKED, {"sid": sid}).one()


def _key(sid: str) -> str:
    what = f"{sid}|{request.full_path}|{request.form.get('Digits', '')}"
    return hashlib.sha256(what.encode()).hexdigest()


def answer(
    step: str, build: Callable[[Turn], None], *, entry: bool = False, secret: bool = False
) -> str:
    """The TwiML for this request: built by ``build`` and remembered, or the answer already
    given to the same request (a Twilio retry acts once). ``entry``: the call's first
    webhook (see ``open_call``); ``secret``: the keys are a code, left out of the path."""
    session = get_session()
    now = datetime.now(UTC)
    config: Config = current.config()
    form = request.form
    call = open_call(session, form.get("CallSid", ""), form.get("From", ""), now, entry=entry)
    key = _key(call.call_sid)
    if call.state.get("answered") == key:
        return str(call.state["answer"])
    digits = form.get("Digits", "").strip()
    steps = int(call.state.get("steps", 0)) + 1
    turn = Turn(
        session=session,
        call=call,
        form=form,
        now=now,
        config=config,
        reply=Reply(
            call.language,
            dict(config.ivr_voices),
            step=steps,
            here=request.path,
            quiet=0 if digits else int(request.args.get("quiet", "0") or 0),
        ),
        args=request.args.to_dict(),
    )
    with force_locale(call.language):
        build(turn)
    xml = turn.reply.xml()
    session.flush()  # what the step itself changed (mostly nothing)
    # One write per step: the path, the step count and the answer kept for a retry.
    path = [*call.path, f"{step}:{digits}" if digits and not secret else step][-MAX_PATH:]
    state = {**call.state, "steps": steps, "answered": key, "answer": xml}
    session.execute(_STEP, {"call_id": call.id, "new_path": path, "new_state": state})
    set_committed_value(call, "path", path)
    set_committed_value(call, "state", state)
    return xml
