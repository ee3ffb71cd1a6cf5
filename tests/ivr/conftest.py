"""Fixtures the SMS reply tests share with the outbox tests, and the voice tests' callers."""

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, gettext

from callcenter.presence import set_status
from ivr.simulator import CallWalker, InProcess
from scheduling.enums import PresenceStatus, Role
from tests.app.test_sms_outbox import officer, signed_app
from tests.factories import make_staff

__all__ = ["call_taker", "officer", "phone", "signed_app"]


@pytest.fixture
def phone(client):
    """Start a simulated call through the test client: ``phone(caller=...)``."""

    def call(**kw: object) -> CallWalker:
        return CallWalker(InProcess(client), **kw)  # type: ignore[arg-type]

    return call


@pytest.fixture
def call_taker(session):
    """A call-taker signed in and available."""
    staff = make_staff(session, roles=(Role.CALL_TAKER,), name="Sarah Maes")
    set_status(session, staff.id, PresenceStatus.AVAILABLE, datetime.now(UTC))
    session.commit()
    return staff


@pytest.fixture
def said(app):
    """What the caller hears for ``msgid`` in ``language``: the catalogs' own translation."""

    def translate(language: str, msgid: str, **values: object) -> str:
        with app.test_request_context(), force_locale(language):
            return gettext(msgid, **values)

    return translate
