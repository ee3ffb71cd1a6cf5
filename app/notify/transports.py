"""How a message leaves: through Twilio (the official SDK) or into the log only."""

import logging
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from app.config import Config
from app.logs import mask_phone
from scheduling.notices import SendError, classify

log = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"
TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Accepted:
    sid: str


class Transport(Protocol):
    def send(self, *, to: str, body: str) -> Accepted | SendError: ...


class BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's documented way to reach a mock: an HTTP client that rewrites the base URL."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        if url.startswith(TWILIO_API):
            url = self.base_url + url.removeprefix(TWILIO_API)
        return super().request(method, url, *args, **kwargs)


def twilio_client(config: Config) -> Client:
    """The zone's Twilio account (or the configured stand-in, TWILIO_API_BASE_URL)."""
    http_client = (
        BaseUrlHttpClient(config.twilio_api_base_url, timeout=TIMEOUT_SECONDS)
        if config.twilio_api_base_url
        else TwilioHttpClient(timeout=TIMEOUT_SECONDS)
    )
    return Client(config.twilio_account_sid, config.twilio_auth_token, http_client=http_client)


class TwilioTransport:
    def __init__(self, config: Config) -> None:
        self.client = twilio_client(config)
        self.sender = config.sms_sender
        self.status_callback = f"{config.public_base_url}/sms/status"

    def send(self, *, to: str, body: str) -> Accepted | SendError:
        try:
            message = self.client.messages.create(
                to=to, from_=self.sender, body=body, status_callback=self.status_callback
            )
        except TwilioRestException as exc:
            code = str(exc.code) if exc.code is not None else None
            return classify(exc.status, code, str(exc.msg)[:500])
        except requests.RequestException as exc:  # timeouts, refused connections
            return classify(None, None, f"{type(exc).__name__}: {exc}"[:500])
        return Accepted(str(message.sid))


class LogTransport:
    """Sends nothing: logs that a message left, to a masked number and without its text (a
    name, a manage link); the outbox row is the record of what it said."""

    def __init__(self, config: Config) -> None:
        self.sender = config.sms_sender

    def send(self, *, to: str, body: str) -> Accepted | SendError:
        sid = "LOG" + uuid.uuid4().hex
        log.info("SMS %s from %s to %s, %d characters", sid, self.sender, mask_phone(to), len(body))
        return Accepted(sid)


def make_transport(config: Config) -> Transport:
    if config.sms_transport == "twilio":
        return TwilioTransport(config)
    if config.sms_transport == "log":
        return LogTransport(config)
    raise ValueError(f"unknown SMS_TRANSPORT {config.sms_transport!r}")
