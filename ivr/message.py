"""Menu 3, leave a message: recorded with Twilio's transcription, kept as a call-back task
with the recording for the call-takers. Also the call-back a waiting caller asks for."""

from datetime import UTC, datetime

from flask import Response, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import current
from app.db import get_session
from app.notify.messages import compose_callback
from app.notify.models import CallbackTask
from app.notify.outbox import enqueue
from app.phone import is_mobile
from app.text import plain
from ivr import limits, menu
from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.models import Call
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import Reply, twiml_response
from scheduling.enums import MessageKind

MAX_SECONDS = 120
MAX_TRANSCRIPTION = 4000
VOICE_MESSAGE = "voice message"  # the call-back task's reason (callcenter.labels shows it)


def start(turn: Turn) -> None:
    turn.reply.say(
        _(
            "After the tone, say your name, your phone number and your question. "
            "Press the hash key when you are done."
        )
    )
    turn.reply.twiml.record(
        action=turn.reply.url("/ivr/message/done"),
        method="POST",
        max_length=MAX_SECONDS,
        finish_on_key="#",
        play_beep=True,
        timeout=5,
        transcribe=True,
        transcribe_callback="/ivr/message/transcribed",
    )
    # Twilio goes on here only when nothing was recorded.
    turn.reply.say(_("We did not receive a message."))
    menu.menu_prompt(turn)


def call_back(session: Session, call: Call, reason: str, now: datetime) -> CallbackTask:
    """One call-back task per call and reason (a repeated request adds none)."""
    task = session.scalar(
        select(CallbackTask).where(CallbackTask.call_id == call.id, CallbackTask.reason == reason)
    )
    if task is None:
        task = CallbackTask(
            booking_id=call.state.get("booking_id"),
            reason=reason,
            phone=call.caller,
            call_id=call.id,
            created_at=now,
        )
        session.add(task)
        session.flush()
        confirm_by_sms(session, call, now)
    return task


def confirm_by_sms(session: Session, call: Call, now: datetime) -> None:
    """Tell a caller on a mobile number that the call-back is registered (once per call,
    and within the number's hourly count of texts: the caller ID may be forged)."""
    if (
        call.caller is None
        or not is_mobile(call.caller)
        or not limits.may_text(session, call.caller, now=now)
    ):
        return
    config = current.config()
    text = compose_callback(config, language=call.language)
    enqueue(
        session,
        key=f"callback:{call.call_sid}",
        recipient=call.caller,
        body=text.body,
        language=text.language,
        kind=MessageKind.CALLBACK,
        booking_id=None,
        due_at=now,
        now=now,
    )


def _recorded_task(session: Session, recording_sid: str, now: datetime) -> CallbackTask:
    """The task of a recording, made by whichever of Twilio's two callbacks comes first."""
    task = session.scalar(select(CallbackTask).where(CallbackTask.recording_sid == recording_sid))
    if task is None:
        task = CallbackTask(reason=VOICE_MESSAGE, recording_sid=recording_sid, created_at=now)
        session.add(task)
    return task


def _done(turn: Turn) -> None:
    sid = turn.form.get("RecordingSid", "")[:64]
    if not sid or int(turn.form.get("RecordingDuration") or 0) == 0:
        turn.reply.say(_("We did not receive a message."))
        menu.menu_prompt(turn)
        return
    task = _recorded_task(turn.session, sid, turn.now)
    task.phone, task.call_id = turn.call.caller, turn.call.id
    task.booking_id = turn.call.state.get("booking_id")
    task.recording_url = turn.form.get("RecordingUrl", "")[:500]
    confirm_by_sms(turn.session, turn.call, turn.now)
    turn.reply.say(_("Thank you for your message. We will call you back as soon as possible."))
    menu.goodbye(turn, "message")


@bp.post("/message/done")
@twilio_signed
def recorded() -> Response:
    return twiml_response(answer("message", _done))


@bp.post("/message/transcribed")
@twilio_signed
def transcribed() -> Response:
    """Twilio's transcription of a message; the same text twice changes nothing."""
    form = request.form
    session = get_session()
    sid = form.get("RecordingSid", "")[:64]
    if sid:
        task = _recorded_task(session, sid, datetime.now(UTC))
        task.recording_url = task.recording_url or form.get("RecordingUrl", "")[:500]
        if form.get("TranscriptionStatus") == "completed":
            # Kept, less what no field may hold (NUL: PostgreSQL refuses the row).
            task.transcription = plain(form.get("TranscriptionText", ""))[:MAX_TRANSCRIPTION]
        session.flush()
    return twiml_response(Reply("nl", {}).xml())
