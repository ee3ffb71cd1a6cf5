"""The console tests' fixtures: a recording stand-in for Twilio's REST API, a signed-in
call-taker (the pieces themselves: tests/callcenter/calls.py)."""

import pytest

from scheduling.enums import Role
from scheduling.models import Staff
from tests.callcenter.calls import RecordedControl, signed_in


@pytest.fixture
def control(app):
    recorded = RecordedControl()
    app.extensions["console_control"] = recorded
    yield recorded
    app.extensions.pop("console_control", None)


@pytest.fixture
def call_taker(client, session) -> Staff:
    return signed_in(client, session, Role.CALL_TAKER, name="Sarah Maes")
