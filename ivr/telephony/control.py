"""Steering a caller's live call through Twilio's REST API: to the call-taker's browser
phone, on and off hold, to an officer, and ending it when the call-taker hangs up. Without
a Twilio account the simulated caller of ``flask --app app ivr-sim`` is steered instead;
tests swap it through ``app.extensions["console_control"]``."""

import logging
from datetime import datetime
from typing import Protocol

from flask import current_app
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

from app import current
from app.config import Config
from app.db import get_session
from app.notify.transports import BaseUrlHttpClient
from ivr.models import Call
from ivr.telephony import simulated
from ivr.telephony.twiml import HOLD_MUSIC

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class CallControl(Protocol):
    def redirect(self, call_sid: str, twiml: str) -> None:
        """Have the live call ``call_sid`` carry on with ``twiml``."""


class TwilioControl:
    def __init__(self, config: Config) -> None:
        http = (
            BaseUrlHttpClient(config.twilio_api_base_url, timeout=TIMEOUT_SECONDS)
            if config.twilio_api_base_url
            else TwilioHttpClient(timeout=TIMEOUT_SECONDS)
        )
        self.client = Client(config.twilio_account_sid, config.twilio_auth_token, http_client=http)

    def redirect(self, call_sid: str, twiml: str) -> None:
        self.client.calls(call_sid).update(twiml=twiml)


class SimulatorControl:
    """Without a Twilio account (``make run``): the TwiML waits on the call row until
    ``flask --app app ivr-sim`` collects it (``ivr.telephony.simulated``), as Twilio would
    carry the live call on with it."""

    def redirect(self, call_sid: str, twiml: str) -> None:
        if not simulated.store(get_session(), call_sid, twiml):
            raise TwilioException(f"call {call_sid} is not in progress")
        log.info("console: simulated call %s continues with %s", call_sid, twiml)


def control() -> CallControl:
    found: CallControl | None = current_app.extensions.get("console_control")
    if found is None:
        config: Config = current.config()
        found = (
            TwilioControl(config)
            if config.twilio_account_sid and config.twilio_auth_token
            else SimulatorControl()
        )
        current_app.extensions["console_control"] = found
    return found


def hold_twiml(public_base_url: str) -> str:
    reply = VoiceResponse()
    reply.play(public_base_url + HOLD_MUSIC, loop=0)
    return str(reply)


def hang_up(call: Call, now: datetime) -> None:
    """The call-taker hung up: the caller's call ends too (Twilio drops it; the simulated
    caller of ``ivr-sim`` hears it end), and the end is recorded at once, with the duration
    Twilio would report, so nothing puts the call on hold or through afterwards. Twilio's
    status callback then finds the call ended and leaves it as it is."""
    if call.ended_at is not None:
        return
    reply = VoiceResponse()
    reply.hangup()
    try:
        control().redirect(call.call_sid, str(reply))
    except TwilioException:
        log.info("console: call %s had already ended", call.call_sid)  # the caller went first
    call.ended_at = now
    call.duration_seconds = max(0, int((now - call.started_at).total_seconds()))
