"""Erasing a voice message where it lives: Twilio keeps the audio in the zone's account, so
clearing our link to it (app.retention) must follow its deletion there, never precede it."""

import logging
from collections.abc import Callable

import requests
from twilio.base.exceptions import TwilioRestException

from app.config import Config
from app.notify.transports import twilio_client

log = logging.getLogger(__name__)

# Erase the recording with this sid; True when it is gone (erased now or earlier).
EraseRecording = Callable[[str], bool]


def make_eraser(config: Config) -> EraseRecording:
    """Through the zone's Twilio account; without one no call was ever recorded at Twilio
    (the demo's simulated calls), so there is nothing to erase."""
    if not (config.twilio_account_sid and config.twilio_auth_token):
        return lambda sid: True
    client = twilio_client(config)

    def erase(sid: str) -> bool:
        try:
            client.recordings(sid).delete()
        except TwilioRestException as exc:
            if exc.status == 404:  # erased before (a purge cut short after the call)
                return True
            log.warning("voice message not erased at Twilio: HTTP %s", exc.status)
            return False
        except requests.RequestException as exc:
            log.warning("voice message not erased at Twilio: %s", type(exc).__name__)
            return False
        return True

    return erase
