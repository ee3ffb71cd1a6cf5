"""Twilio's "update a live call" for a zone without a Twilio account (``make run``).

On a real line the console moves a caller's call with Twilio's REST API
(``ivr.telephony.control.TwilioControl``). Without an account the console stores the TwiML
on the call row instead (``store``), and ``flask --app app ivr-sim`` collects it here, as
Twilio would, and carries the simulated call on with it: so a call-taker can take a
simulated caller, put them on hold, or transfer them, and the caller in the terminal hears
it. Twilio never calls this route; like every webhook it only answers signed requests
(or anyone in demo mode).
"""

from flask import Response, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import get_session
from ivr.blueprint import bp
from ivr.models import Call
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import twiml_response

PENDING = "redirect_twiml"


def store(session: Session, call_sid: str, twiml: str) -> bool:
    """Keep ``twiml`` for the simulated call ``call_sid``; False if there is no such call."""
    call = session.scalar(select(Call).where(Call.call_sid == call_sid).with_for_update())
    if call is None or call.ended_at is not None:
        return False
    call.state = {**call.state, PENDING: twiml}
    return True


@bp.post("/simulator/redirect")
@twilio_signed
def collect() -> Response:
    """The TwiML the console has for this call (and forget it), or 204 when there is none."""
    session = get_session()
    call = session.scalar(
        select(Call).where(Call.call_sid == request.form.get("CallSid", "")).with_for_update()
    )
    if call is None or PENDING not in call.state:
        return Response(status=204)
    state = dict(call.state)
    twiml = state.pop(PENDING)
    call.state = state
    return twiml_response(twiml)
