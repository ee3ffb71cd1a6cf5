"""The browser phone's two server ends: a short-lived Twilio access token for the signed-in
call-taker (``GET /console/token``) and the TwiML App's voice URL (``POST /console/voice``).

How a waiting caller reaches the call-taker (decided, see docs/console.md): taking a caller
(``callcenter.taking``) moves *the caller's* call out of the queue with the REST API into
``<Dial><Client>`` of that call-taker, so the browser phone rings (``incoming``) with the
call's id as a parameter and the page answers it. ``<Dial><Queue>`` would always bridge the
longest waiting caller, not the one the call-taker chose. The voice URL serves the calls the
browser phone makes itself: calling a citizen back (``To`` = a number).
"""

from datetime import timedelta

from flask import Response, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant
from twilio.twiml.voice_response import VoiceResponse

from app import current
from app.config import Config
from app.db import get_session
from app.phone import e164_or_none
from app.staff.access import staff_required
from callcenter.blueprint import CONSOLE_ROLES, bp
from ivr.telephony.browser_phone import identity, staff_of
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import twiml_response
from scheduling.models import Staff

RENEW_BEFORE = timedelta(seconds=60)  # the page asks for a new token this long before expiry


def phone_configured(config: Config) -> bool:
    return bool(
        config.twilio_account_sid
        and config.twilio_api_key_sid
        and config.twilio_api_key_secret
        and config.twilio_twiml_app_sid
    )


def phone_kind(config: Config) -> str | None:
    """Which browser phone the console gets: Twilio's, a simulated one in demo mode without
    a Twilio account (its callers come from ``flask --app app ivr-sim``), or none."""
    if phone_configured(config):
        return "twilio"
    return "simulated" if config.demo_mode else None


def access_token(config: Config, staff_id: int) -> str:
    """A Voice access token for ``staff_id``'s browser phone: it may call out through the
    TwiML App and be rung (incoming), for ``console_token_ttl_seconds``."""
    assert config.twilio_account_sid
    assert config.twilio_api_key_sid
    assert config.twilio_api_key_secret
    token = AccessToken(
        config.twilio_account_sid,
        config.twilio_api_key_sid,
        config.twilio_api_key_secret,
        identity=identity(staff_id),
        ttl=config.console_token_ttl_seconds,
    )
    token.add_grant(
        VoiceGrant(outgoing_application_sid=config.twilio_twiml_app_sid, incoming_allow=True)
    )
    return str(token.to_jwt())


@bp.get("/token")
@staff_required(*CONSOLE_ROLES)
def token(me: Staff) -> tuple[Response, int] | Response:
    config: Config = current.config()
    if not phone_configured(config):
        return jsonify(error=_("The browser phone is not set up for this zone.")), 503
    ttl = config.console_token_ttl_seconds
    return jsonify(
        token=access_token(config, me.id),
        identity=identity(me.id),
        ttl=ttl,
        renew_after=max(10, ttl - int(RENEW_BEFORE.total_seconds())),
    )


def outgoing_twiml(config: Config, from_: str, to: str) -> str:
    """Dial ``to`` from the blue number for a signed-in-capable call-taker; else refuse."""
    reply = VoiceResponse()
    staff_id = staff_of(from_)
    staff = get_session().get(Staff, staff_id) if staff_id is not None else None
    allowed = staff is not None and staff.active and staff.role_set & frozenset(CONSOLE_ROLES)
    number = e164_or_none(to)
    with force_locale("en"):
        if not allowed:
            reply.say(_("This phone may not call out."), language="en-GB")
            reply.hangup()
        elif number is None:
            reply.say(_("That number cannot be called."), language="en-GB")
            reply.hangup()
        else:
            reply.dial(number, caller_id=config.twilio_from_number)
    return str(reply)


@bp.post("/voice")
@twilio_signed
def voice() -> Response:
    """The TwiML App's voice URL: Twilio asks it when the browser phone places a call."""
    config: Config = current.config()
    return twiml_response(
        outgoing_twiml(config, request.form.get("From", ""), request.form.get("To", ""))
    )
