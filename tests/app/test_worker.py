"""The worker process runs its jobs on its own: started as `flask --app app worker`."""

import logging
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.idempotency import purge
from app.api.models import IdempotencyRecord
from app.db import make_engine
from app.web.models import BookingDraft
from app.worker import (
    HOURLY_JOBS,
    SMS_EVERY_SECONDS,
    build_scheduler,
    configure_logging,
    purge_booking_drafts,
    run_job,
)
from tests.factories import TEST_SECRET_KEY
from tests.processes import worker_env

ROOT = Path(__file__).resolve().parents[2]


def _record(key: str, created_at: datetime) -> IdempotencyRecord:
    return IdempotencyRecord(
        scope="bookings.create",
        key=key,
        fingerprint="f" * 64,
        status_code=201,
        body={},
        created_at=created_at,
    )


def test_purge_forgets_only_answers_older_than_a_day(session):
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    session.add_all(
        [_record("old", now - timedelta(hours=25)), _record("new", now - timedelta(hours=23))]
    )
    session.flush()
    assert purge(session, now=now) == 1
    assert session.scalars(select(IdempotencyRecord.key)).all() == ["new"]


def test_the_hourly_purge_forgets_booking_drafts_past_their_lifetime(session):
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    session.add_all(
        [
            BookingDraft(key_hash="a" * 64, answers={"name": "Jan"}, expires_at=now),
            BookingDraft(key_hash="b" * 64, answers={}, expires_at=now + timedelta(seconds=1)),
        ]
    )
    session.flush()
    assert purge_booking_drafts in HOURLY_JOBS
    assert purge_booking_drafts(session, now) == 1
    assert session.scalars(select(BookingDraft.key_hash)).all() == ["b" * 64]


@pytest.mark.slow
def test_worker_process_purges_on_start(fresh_database, database_url, tmp_path):
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url = fresh_database(kind)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        session.add(_record("stale", datetime.now(UTC) - timedelta(days=2)))
    env = worker_env(DATABASE_URL=url, SECRET_KEY=TEST_SECRET_KEY)
    with (tmp_path / "worker.log").open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with Session(engine) as session:
                    if session.scalar(select(IdempotencyRecord.id)) is None:
                        break
                time.sleep(0.3)
            else:
                pytest.fail("worker did not purge: " + (tmp_path / "worker.log").read_text())
            # Past one run of the five-second SMS job: an idle run is not news.
            time.sleep(SMS_EVERY_SECONDS + 1)
            assert proc.poll() is None  # still running, waiting for the next hour
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            engine.dispose()
    # Each line once: what was done, said once; no idle heartbeat, no scheduler chatter.
    log_lines = (tmp_path / "worker.log").read_text().splitlines()
    said = [line.split(" worker ", 1)[-1] for line in log_lines]
    assert said == ["worker started", "purge_idempotency_records: 1"], log_lines


@pytest.fixture
def worker_logging():
    """The worker's logging, with the root at INFO as in `flask --app app worker` (under
    pytest the root keeps pytest's handlers, so basicConfig alone would change nothing)."""
    root = logging.getLogger()
    quietened = [logging.getLogger(name) for name in ("apscheduler", "twilio.http_client")]
    levels = [root.level, *(log.level for log in quietened)]
    root.setLevel(logging.INFO)
    configure_logging()
    yield
    for log, level in zip([root, *quietened], levels, strict=True):
        log.setLevel(level)


def test_the_log_shows_what_jobs_did_not_that_they_ran(app, worker_logging, caplog):
    """APScheduler's "Running job" / "executed successfully" every five seconds and an idle
    hourly purge are debug; a purge that did something, and the scheduler's warnings, show."""
    caplog.set_level(logging.DEBUG, logger="app.worker")
    scheduler_log = logging.getLogger("apscheduler.executors.default")
    assert not scheduler_log.isEnabledFor(logging.INFO)
    assert scheduler_log.isEnabledFor(logging.WARNING)
    twilio_log = logging.getLogger("twilio.http_client")  # ten lines about every SMS sent
    assert not twilio_log.isEnabledFor(logging.INFO)
    assert twilio_log.isEnabledFor(logging.WARNING)

    run_job(app, lambda session, now: 0)
    run_job(app, lambda session, now: 3)
    shown = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert shown == ["<lambda>: 3"]
    assert debug == ["<lambda>: 0"]


def test_a_run_that_starts_late_still_runs_once(app):
    """Under load a job may start seconds late: with the worker's job defaults it runs
    (once), where APScheduler's own would skip it."""
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = build_scheduler(app)
    ran: list[int] = []
    late = BackgroundScheduler(timezone="UTC", job_defaults=scheduler._job_defaults)
    late.add_job(ran.append, "date", run_date=datetime.now(UTC) - timedelta(seconds=5), args=(1,))
    late.start()
    try:
        deadline = time.monotonic() + 5
        # Until it ran and the scheduler has dropped the finished one-off job: shutting down
        # while its thread still drops it raced (JobLookupError there, on a busy machine).
        while (not ran or late.get_jobs()) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        late.shutdown()
    assert ran == [1]
