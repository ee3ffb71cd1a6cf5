"""Fixtures the SMS reply tests share with the outbox tests, and the voice tests' callers."""

from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from callcenter.presence import set_status
from ivr.simulator import CallWalker, InProcess
from scheduling.enums import PresenceStatus, Role
from tests.app.test_sms_outbox import NOW, officer, signed_app
from tests.factories import make_staff

__all__ = ["call_taker", "officer", "phone", "signed_app"]


class TwilioTestClient(FlaskClient):
    """Posts as Twilio does: signed with the app's token for the public address, unless the
    test brings its own ``X-Twilio-Signature`` (a forged one)."""

    def post(self, path: str, *args: Any, **kw: Any) -> TestResponse:
        return super().post(path, *args, headers=self._signed(path, kw), **kw)

    def get(self, path: str, *args: Any, **kw: Any) -> TestResponse:
        return super().get(path, *args, headers=self._signed(path, kw), **kw)

    def _signed(self, path: str, kw: dict[str, Any]) -> dict[str, str]:
        config = self.application.config["BLAUWLIJN"]
        headers = dict(kw.pop("headers", None) or {})
        if "X-Twilio-Signature" not in headers and config.twilio_auth_token:
            validator = RequestValidator(config.twilio_auth_token)
            url = config.public_base_url + path
            headers["X-Twilio-Signature"] = validator.compute_signature(url, kw.get("data") or {})
        return headers


@pytest.fixture
def app(signed_app):
    """The voice and SMS webhooks refuse unsigned requests: these tests run the app with a
    Twilio token, and their client signs (the slot cache and the phone menu's one-second
    cache left out, as in tests/conftest)."""
    signed_app.extensions.pop("slot_cache", None)
    signed_app.extensions.pop("ivr_recent", None)
    signed_app.test_client_class = TwilioTestClient
    return signed_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def phone(app):
    """Start a simulated call through the test client: ``phone(caller=...)``."""
    config = app.config["BLAUWLIJN"]

    def call(**kw: object) -> CallWalker:
        return CallWalker(
            InProcess(app.test_client()),
            public_base_url=config.public_base_url,
            auth_token=config.twilio_auth_token,
            **kw,  # type: ignore[arg-type]
        )

    return call


@pytest.fixture
def call_taker(session):
    """A call-taker signed in and available."""
    staff = make_staff(session, roles=(Role.CALL_TAKER,), name="Sarah Maes")
    set_status(session, staff.id, PresenceStatus.AVAILABLE, datetime.fromisoformat(NOW))
    session.commit()
    return staff


@pytest.fixture
def said(app):
    """What the caller hears for ``msgid`` in ``language``: the catalogs' own translation."""

    def translate(language: str, msgid: str, **values: object) -> str:
        with app.test_request_context(), force_locale(language):
            return gettext(msgid, **values)

    return translate
