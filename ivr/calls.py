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
from typing import Any

import phonenumbers
from flask import current_app, request
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.config import Config
from app.db import get_session
from ivr.twiml import Reply
from scheduling.models import Booking, Call

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


def caller_number(raw: str) -> str | None:
    """Twilio's ``From`` as E.164, or None when withheld or not a real number."""
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """Whether an SMS can reach this number (a landline gets none)."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def open_call(session: Session, sid: str, raw_from: str, now: datetime) -> Call:
    """The call's row, created on its first webhook, locked for this request (PostgreSQL:
    concurrent retries of one call wait for each other; SQLite serialises all writes)."""
    locked = select(Call).where(Call.call_sid == sid[:64]).with_for_update()
    call = session.scalars(locked).one_or_none()
    if call is not None:  # every step after the first: one query
        return call
    values = {
        "call_sid": sid[:64],
        "caller": caller_number(raw_from),
        "language": "nl",
        "path": [],
        "state": {},
        "started_at": now,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Call.__table__).values(**values).on_conflict_do_nothing(index_elements=["call_sid"])
    )
    return session.scalars(locked).one()


def _key(sid: str) -> str:
    what = f"{sid}|{request.full_path}|{request.form.get('Digits', '')}"
    return hashlib.sha256(what.encode()).hexdigest()


def answer(step: str, build: Callable[[Turn], None]) -> str:
    """The TwiML for this request: built by ``build`` and remembered, or the answer already
    given to the same request (a Twilio retry acts once)."""
    session = get_session()
    now = datetime.now(UTC)
    config: Config = current_app.config["BLAUWLIJN"]
    call = open_call(session, request.form.get("CallSid", ""), request.form.get("From", ""), now)
    key = _key(call.call_sid)
    if call.state.get("answered") == key:
        return str(call.state["answer"])
    digits = request.form.get("Digits", "").strip()
    steps = int(call.state.get("steps", 0)) + 1
    call.state = {**call.state, "steps": steps}
    call.path = [*call.path, f"{step}:{digits}" if digits else step][-MAX_PATH:]
    turn = Turn(
        session=session,
        call=call,
        form=request.form,
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
    call.state = {**call.state, "answered": key, "answer": xml}
    session.flush()
    return xml
