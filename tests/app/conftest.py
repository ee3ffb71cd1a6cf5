"""Fixtures the platform's tests share: the recording SMS transport, the bailiff team, Prism."""

from collections.abc import Iterator
from datetime import time

import pytest
from flask import Flask

from scheduling.enums import LocationKind
from tests.app.sms_recorder import Recorder
from tests.app.twilio_mock import start_prism
from tests.factories import (
    make_assistance_service,
    make_bailiff,
    make_execution_kind,
    make_staff,
    make_weekly,
)


@pytest.fixture
def recorder(app: Flask) -> Iterator[Recorder]:
    """The app's worker jobs send SMS into a Recorder (and no e-mail)."""
    recording = Recorder()
    app.extensions["sms_transport"] = recording
    app.extensions["mail_transport"] = None
    yield recording
    del app.extensions["sms_transport"], app.extensions["mail_transport"]


@pytest.fixture
def bailiff_service(session, officer):
    """Bailiff assistance on Thursday 8–12 by ``officer`` and a second officer; a real and a
    demo bailiff login; the kind of execution ``eviction``."""
    second = make_staff(session, name="Inspecteur Twee")
    for person in (officer, second):
        make_weekly(
            session, person, weekday=3, starts=time(8), ends=time(12), location=LocationKind.ON_SITE
        )
    make_assistance_service(session, team=(officer, second))
    make_bailiff(session, token="real-token")
    make_bailiff(session, token="demo-token", demo=True)
    make_execution_kind(session)
    session.commit()


@pytest.fixture(scope="session")
def prism(tmp_path_factory):
    """One Prism per session (it takes seconds to start), only when a test asks for it."""
    proc, url = start_prism(tmp_path_factory.mktemp("prism") / "prism.log")
    yield url
    proc.terminate()
    proc.wait(timeout=10)
