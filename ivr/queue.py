"""The call-takers' queue: position and expected wait while the hold music plays, after a
while the offer to be called back instead, at closing time a call-back or the menu; callers
who hang up while waiting are kept for follow-up."""

from datetime import UTC, datetime

from flask import Response, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import current
from app.db import get_session
from ivr import menu, recent
from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.desk import call_takers
from ivr.message import call_back
from ivr.models import Call
from ivr.telephony.browser_phone import identity, ring_browser
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import HOLD_MUSIC, Reply, twiml_response

QUEUED = "queued"
ENDED = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
CALL_BACK = "asked to be called back instead of waiting"
AT_CLOSING = "asked to be called back: the call-takers closed while they waited"
HUNG_UP = "hung up while waiting"


def on_duty(turn: Turn) -> bool:
    """Whether call-takers answer now: within their hours, and one is available."""
    return turn.config.calltaker_hours.open_at(turn.now, turn.config.zone) and bool(
        recent.cached("presence", lambda: call_takers().any_available(turn.session, turn.now))
    )


def enqueue(turn: Turn, topic: str) -> None:
    """Into the call-takers' queue; the console finds topic and caller on the call's row
    by the CallSid Twilio shows for each waiting caller."""
    turn.call.topic = topic
    turn.call.outcome = QUEUED
    turn.reply.say(_("One moment please: we connect you with a call-taker."))
    turn.reply.twiml.enqueue(
        turn.config.calltaker_queue,
        action=turn.reply.url("/ivr/queue/done"),
        method="POST",
        wait_url="/ivr/queue/wait",
        wait_url_method="POST",
    )


def wait_twiml(
    reply: Reply, *, position: int, average: int, waited: int, open_now: bool, offer_after: int
) -> None:
    """What a waiting caller hears in one round of the wait loop (Twilio asks again when
    it has been played)."""
    if not open_now:
        reply.say(_("Our call-takers are closing now."))
        reply.twiml.leave()
        return
    reply.say(_("You are number %(position)s in line.", position=position))
    if average > 0:
        minutes = max(1, round(average / 60))
        reply.say(_("The expected waiting time is about %(minutes)s minutes.", minutes=minutes))
    if waited >= offer_after:
        gather = reply.twiml.gather(
            action="/ivr/queue/offer", method="POST", num_digits=1, input="dtmf", timeout=1
        )
        reply.say(_("To be called back instead, press 1."), into=gather)
        gather.play(HOLD_MUSIC)
    else:
        reply.twiml.play(HOLD_MUSIC)


@bp.post("/queue/wait")
@twilio_signed
def wait() -> Response:
    """Not a step of the call: Twilio requests it in a loop while the caller waits."""
    form = request.form
    config = current.config()
    session = get_session()
    call = session.scalar(select(Call).where(Call.call_sid == form.get("CallSid", "")))
    language = call.language if call is not None else "nl"
    now = datetime.now(UTC)
    open_now = config.calltaker_hours.open_at(now, config.zone)
    if not open_now and call is not None:
        call.state = {**call.state, "left": "closing"}
    reply = Reply(language, dict(config.ivr_voices))
    with force_locale(language):
        wait_twiml(
            reply,
            position=int(form.get("QueuePosition") or 1),
            average=int(form.get("AvgQueueTime") or 0),
            waited=int(form.get("QueueTime") or 0),
            open_now=open_now,
            offer_after=config.queue_callback_after_seconds,
        )
    return twiml_response(reply.xml())


def _offer(turn: Turn) -> None:
    if turn.digits != "1":
        turn.reply.say(_("You stay in line."))
    elif turn.call.caller is None:
        turn.reply.say(_("Your number is hidden, so we cannot call you back. You stay in line."))
    else:
        call_back(turn.session, turn.call, f"{CALL_BACK} (topic: {turn.call.topic})", turn.now)
        turn.remember(left="callback")
        turn.call.outcome = "callback_requested"
        turn.reply.twiml.leave()


def abandoned(session: Session, call: Call, now: datetime) -> None:
    """A caller who hung up while waiting: recorded, and on the call-back list."""
    call.outcome = "abandoned"
    if call.caller is not None:
        call_back(session, call, f"{HUNG_UP} (topic: {call.topic})", now)


def _done(turn: Turn) -> None:
    """Twilio's word on how the wait ended (the Enqueue's action)."""
    result = turn.form.get("QueueResult", "")
    left = turn.call.state.get("left")
    if result == "hangup":
        abandoned(turn.session, turn.call, turn.now)
    elif result in ("bridged", "bridging-in-process"):
        turn.call.outcome = "answered"
        turn.reply.hangup()
    elif (
        result == "redirected"
        and (taker := call_takers().taken_by(turn.session, turn.call.id)) is not None
    ):
        # A call-taker took this caller in the console, which moved the call to their
        # browser phone; should Twilio still play this answer, it rings the same phone.
        turn.call.outcome = "answered"
        ring_browser(turn.reply.twiml, identity(taker), turn.call.id)
    elif result == "leave" and left == "callback":
        turn.reply.say(_("We will call you back as soon as possible."))
        menu.goodbye(turn)
    elif result == "leave" and left == "closing":
        closing_prompt(turn)
    else:  # queue full, or an error on Twilio's side
        turn.call.outcome = None
        turn.reply.say(_("Sorry, we cannot connect you with a call-taker now."))
        menu.menu_prompt(turn)


def closing_prompt(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/queue/closing")
    turn.reply.say(
        _(
            "To be called back on the next working day, press 1. For the self-service menu, press 2."
        ),
        into=gather,
    )


def _closing(turn: Turn) -> None:
    match turn.digits:
        case "1" if turn.call.caller is not None:
            call_back(turn.session, turn.call, f"{AT_CLOSING} (topic: {turn.call.topic})", turn.now)
            turn.reply.say(_("We will call you back as soon as possible."))
            menu.goodbye(turn, "callback_requested")
        case "2" | "1":  # a hidden number cannot be called back: the menu instead
            turn.call.outcome = None
            menu.menu_prompt(turn)
        case "":
            menu.unanswered(turn, closing_prompt)
        case _other:
            menu.wrong_key(turn, closing_prompt)


@bp.post("/queue/offer")
@twilio_signed
def offer() -> Response:
    return twiml_response(answer("queue_offer", _offer))


@bp.post("/queue/done")
@twilio_signed
def done() -> Response:
    return twiml_response(answer("queue_done", _done))


@bp.post("/queue/closing")
@twilio_signed
def closing() -> Response:
    return twiml_response(answer("closing", _closing))
