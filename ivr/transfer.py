"""A call-taker puts the caller through to an officer (the console's Transfer): the caller
hears who, and Twilio dials the officer's phone from the blue number. When the officer does
not answer, the caller may leave a message, which lands on the call-back list."""

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _

from app.config import Config
from ivr import message
from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.models import Call
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import Reply, twiml_response
from scheduling.models import Staff

RING_SECONDS = 25  # then the officer counts as not answering (before their voicemail picks up)


def transfer_twiml(config: Config, call: Call, officer: Staff) -> str:
    """What the caller's call carries on with, in the caller's language."""
    assert officer.phone, "only officers with a phone number are offered"
    reply = Reply(call.language, dict(config.ivr_voices))
    with force_locale(call.language):
        reply.say(_("I am putting you through to %(name)s.", name=officer.name))
    reply.twiml.dial(
        officer.phone,
        caller_id=config.twilio_from_number,
        timeout=RING_SECONDS,
        action=f"/ivr/transfer/done?officer={officer.id}",
        method="POST",
    )
    return reply.xml()


def _done(turn: Turn) -> None:
    """Twilio's word on the Dial: talked (the call ends), or nobody answered."""
    if turn.form.get("DialCallStatus") == "completed":
        turn.reply.hangup()
        return
    turn.reply.say(_("The officer cannot answer now."))
    message.start(turn)


@bp.post("/transfer/done")
@twilio_signed
def transfer_done() -> Response:
    return twiml_response(answer("transfer_done", _done))
