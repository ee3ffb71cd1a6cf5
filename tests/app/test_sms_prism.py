"""The sender through the real Twilio SDK against Prism on Twilio's own OpenAPI description:
every request must validate; injected 500s/429s and a killed worker still give each message
exactly once."""

import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Config
from app.db import make_engine
from app.notify.models import OutboxMessage
from app.notify.outbox import enqueue
from app.notify.sender import send_due
from app.notify.transports import TwilioTransport
from scheduling.enums import MessageKind, OutboxStatus
from tests.app.twilio_mock import FaultProxy
from tests.factories import TEST_SECRET_KEY
from tests.processes import worker_env

ROOT = Path(__file__).resolve().parents[2]
SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")  # the spec allows both
ACCOUNT = "AC" + "0123456789abcdef" * 2


@pytest.fixture
def proxy(prism):
    proxy = FaultProxy(prism)
    yield proxy
    proxy.close()


def _env(proxy_url: str) -> dict[str, str]:
    return {
        "SECRET_KEY": TEST_SECRET_KEY,
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": "secret-token",
        "TWILIO_API_BASE_URL": proxy_url,
        "PUBLIC_BASE_URL": "https://blauwlijn.example",
    }


def _queue(session: Session, count: int, now: datetime) -> list[str]:
    bodies = [f"Police Pajottenland: test message {i}" for i in range(count)]
    for i, body in enumerate(bodies):
        enqueue(
            session,
            key=f"test:{i}",
            recipient=f"+324701234{i:02d}",  # one number each: under the per-number SMS cap
            body=body,
            language="nl",
            kind=MessageKind.CONFIRMATION,
            booking_id=None,
            due_at=now,
            now=now,
        )
    return bodies


@pytest.mark.slow
def test_sdk_through_prism_with_injected_500_and_429(app, session, proxy, tmp_path):
    now = datetime.now(UTC)
    bodies = _queue(session, 5, now)
    session.commit()
    proxy.script = [500, 429, 503]
    transport = TwilioTransport(Config.from_env(tmp_path, env=_env(proxy.url)))
    clock = [now]
    for _ in range(6):  # each round an hour later: every backoff has run out
        send_due(
            app.extensions["db_sessionmaker"],
            transport,
            clock=lambda: clock[0],
            lease=timedelta(minutes=5),
        )
        clock[0] += timedelta(hours=1)
    session.expire_all()
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [r.status for r in rows] == [OutboxStatus.SENT] * 5
    assert all(SID.match(r.provider_sid) for r in rows), [r.provider_sid for r in rows]
    assert len({r.provider_sid for r in rows}) == 5
    assert dict(proxy.accepted) == dict.fromkeys(bodies, 1)  # Prism took each exactly once
    assert proxy.seen == 8  # 3 refused + 5 accepted
    assert sorted(r.attempts for r in rows) == [1, 1, 2, 2, 2]


@pytest.mark.slow
def test_worker_killed_mid_batch_and_restarted(fresh_database, database_url, proxy, tmp_path):
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url = fresh_database(kind)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        bodies = _queue(session, 20, datetime.now(UTC))
    env = worker_env(**_env(proxy.url), DATABASE_URL=url, SMS_SEND_LEASE_SECONDS="2")
    proxy.hold_after = 7  # the 8th request hangs: the worker dies while it waits

    def start(name: str) -> subprocess.Popen[bytes]:
        with (tmp_path / name).open("w") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "flask", "--app", "app", "worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    first = start("worker1.log")
    try:
        assert proxy.holding.wait(60), (tmp_path / "worker1.log").read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    proxy.release.set()
    assert sum(proxy.accepted.values()) == 7

    second = start("worker2.log")
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with Session(engine) as session:
                statuses = session.scalars(select(OutboxMessage.status)).all()
            if set(statuses) == {OutboxStatus.SENT}:
                break
            time.sleep(0.3)
        else:
            pytest.fail(
                f"not all sent: {sorted(statuses)} "
                + (tmp_path / "worker2.log").read_text()[-1500:]
            )
    finally:
        second.terminate()
        second.wait(timeout=10)
    assert dict(proxy.accepted) == dict.fromkeys(bodies, 1)
    with Session(engine) as session:
        attempts = session.scalars(select(OutboxMessage.attempts)).all()
    engine.dispose()
    assert sorted(attempts)[-1] == 2  # the one in flight at the kill went again, once
