"""SMS sender throughput: 10,000 due messages through the Twilio SDK to Prism (Twilio's own
API description), with several sender threads claiming with FOR UPDATE SKIP LOCKED.

Usage: scripts/with-postgres.sh .venv/bin/python bench/sms.py [--messages N] [--senders K]
Prints a Markdown section and puts it into bench/RESULTS.md under "Notes" (kept by run.py).
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import migrate  # noqa: E402  # after the path is set
from app.config import Config  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.notify.models import OutboxMessage  # noqa: E402
from app.notify.outbox import enqueue  # noqa: E402
from app.notify.sender import send_due  # noqa: E402
from app.notify.transports import TwilioTransport  # noqa: E402
from scheduling.enums import MessageKind, OutboxStatus  # noqa: E402
from tests.app.twilio_mock import start_prism  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- sms-bench -->", "<!-- /sms-bench -->"


def _database() -> str:
    admin_url = os.environ["TEST_POSTGRES_URL"]
    name = f"bench_sms_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=4)
    args = parser.parse_args()
    url = _database()
    engine = make_engine(url, pool_size=args.senders + 2)
    migrate.upgrade(engine)
    due = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        for i in range(args.messages):
            enqueue(
                session,
                key=f"bench:{i}",
                recipient="+32470123456",
                body=f"Police Pajottenland: bench message {i}",
                language="nl",
                kind=MessageKind.CONFIRMATION,
                booking_id=None,
                due_at=due,
                now=due,
            )
    proc, prism_url = start_prism(Path(tempfile.gettempdir()) / f"prism-bench-{os.getpid()}.log")
    try:
        config = Config.from_env(
            ROOT / "instance",
            env={
                "SECRET_KEY": secrets.token_hex(32),
                "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2,
                "TWILIO_AUTH_TOKEN": "bench",
                "TWILIO_API_BASE_URL": prism_url,
            },
        )
        sessions = sessionmaker(engine, expire_on_commit=False)
        clock = lambda: datetime.now(UTC)  # noqa: E731

        def sender() -> None:
            send_due(sessions, TwilioTransport(config), clock=clock, lease=timedelta(minutes=5))

        # All due the moment sending starts (seeding and Prism's start are not lag).
        due = datetime.now(UTC)
        with Session(engine) as session, session.begin():
            session.execute(
                OutboxMessage.__table__.update().values(due_at=due, next_attempt_at=due)
            )
        began = time.monotonic()
        threads = [threading.Thread(target=sender) for _ in range(args.senders)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - began
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    with Session(engine) as session:
        rows = session.execute(select(OutboxMessage.status, OutboxMessage.sent_at)).all()
    engine.dispose()
    sent = [r.sent_at for r in rows if r.status is OutboxStatus.SENT]
    lags = sorted((s - due).total_seconds() for s in sent)
    p95 = statistics.quantiles(lags, n=20)[-1] if len(lags) > 1 else 0.0
    section = "\n".join(
        [
            START,
            "### SMS sender (`bench/sms.py`)",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on PostgreSQL: {args.messages:,} messages "
            f"due at once, {args.senders} sender threads (SKIP LOCKED), Twilio SDK → Prism "
            "(`--dynamic`, Twilio's `twilio_api_v2010.json`) on this machine.",
            "",
            "| messages | sent | senders | seconds | messages/s | p95 lag due → sent |",
            "| --- | --- | --- | --- | --- | --- |",
            f"| {args.messages:,} | {len(sent):,} | {args.senders} | {took:.1f} | "
            f"{len(sent) / took:.0f} | {p95:.1f} s |",
            "",
            "The lag is queueing (all are due at the same instant; the last waits for the "
            "rest). The sender itself does not throttle: Twilio queues per sender (a long code sends "
            "about 1 message/s, an alphanumeric sender id or short code more) and keeps a "
            "queue of up to 4 hours, so the real rate is Twilio's; see docs/sms.md.",
            END,
        ]
    )
    print(section)
    old = RESULTS.read_text()
    if START in old:
        old = old[: old.index(START)] + old[old.index(END) + len(END) :].lstrip("\n")
    RESULTS.write_text(old.rstrip("\n") + "\n\n" + section + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
