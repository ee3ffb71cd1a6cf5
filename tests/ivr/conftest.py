"""The phone side's fixtures: a Twilio-signed app and client, the simulated phone, a call-taker."""

from datetime import datetime

import pytest
from flask_babel import force_locale, gettext

from callcenter.presence import set_status
from ivr.simulator import CallWalker, InProcess
from scheduling.enums import PresenceStatus, Role
from tests.factories import NOW, make_staff
from tests.ivr.twilio_client import TwilioTestClient


@pytest.fixture
def app(signed_app):
    """The voice and SMS webhooks refuse unsigned requests: these tests run the app with a
    Twilio token, and their client signs (the slot cache and the phone menu's one-second
    cache left out, as in tests/conftest; signed_app puts all back after the test)."""
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
