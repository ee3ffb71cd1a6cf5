"""A recording SMS and e-mail transport for the worker's jobs, and a fixture that installs
it on the app (``from tests.app.sms_recorder import recorder`` makes the fixture visible)."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from flask import Flask

from app.notify.transports import Accepted


@dataclass(frozen=True)
class Sent:
    channel: str
    to: str
    body: str
    subject: str | None = None


@dataclass
class Recorder:
    """Takes every message; ``sent`` lists them in the order the worker sent them."""

    sent: list[Sent] = field(default_factory=list)

    def send(self, *, to: str, body: str) -> Accepted:
        self.sent.append(Sent("sms", to, body))
        return Accepted(f"SM{uuid.uuid4().hex}")

    def take(self) -> list[Sent]:
        """What was sent since the last ``take``."""
        taken, self.sent[:] = list(self.sent), []
        return taken


@pytest.fixture
def recorder(app: Flask) -> Iterator[Recorder]:
    """The app's worker jobs send SMS into a Recorder (and no e-mail)."""
    recording = Recorder()
    app.extensions["sms_transport"] = recording
    app.extensions["mail_transport"] = None
    yield recording
    del app.extensions["sms_transport"], app.extensions["mail_transport"]
