"""The one check every Twilio webhook goes through: a valid ``X-Twilio-Signature``."""

import hmac
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, request
from twilio.request_validator import RequestValidator

from app import current

P = ParamSpec("P")
R = TypeVar("R")


def public_url() -> str:
    """The address Twilio called, rebuilt from PUBLIC_BASE_URL (behind a proxy the request
    itself may arrive under another host or scheme)."""
    base = current.config().public_base_url
    query = request.query_string.decode()
    return f"{base}{request.path}" + (f"?{query}" if query else "")


def _valid(token: str) -> bool:
    """Twilio's check, which signs the address with and without the port (two HMACs and a
    character-by-character comparison in Python): the address as configured comes first."""
    validator = RequestValidator(token)
    url, signature = public_url(), request.headers.get("X-Twilio-Signature", "")
    computed = validator.compute_signature(url, request.form)
    if hmac.compare_digest(computed.encode(), signature.encode()):
        return True
    return bool(validator.validate(url, request.form, signature))


def twilio_signed(view: Callable[P, R]) -> Callable[P, R]:
    """Refuse (403) a request without a valid signature. Without TWILIO_AUTH_TOKEN nothing
    can be checked: refused too, except in demo mode (`make run`, tried with ivr-sim)."""

    @wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        config = current.config()
        token = config.twilio_auth_token
        if not token and not config.demo_mode:
            abort(403)
        if token and not _valid(token):
            abort(403)
        return view(*args, **kwargs)

    return checked
