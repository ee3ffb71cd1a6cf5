"""The background process: APScheduler in its own process, never inside web workers.

Each job is one transaction. Later issues add the SMS outbox sender, reminders and
GALOP imports here.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.orm import Session

from app.api import idempotency

log = logging.getLogger(__name__)


def run_job(app: Flask, job: Callable[[Session, datetime], object]) -> None:
    """Run ``job`` in one transaction: committed when it returns, rolled back when it raises."""
    with app.extensions["db_sessionmaker"].begin() as session:
        result = job(session, datetime.now(UTC))
    log.info("%s: %s", job.__name__, result)


def purge_idempotency_records(session: Session, now: datetime) -> int:
    return idempotency.purge(session, now=now)


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=app.config["BLAUWLIJN"].zone)
    scheduler.add_job(
        run_job, "interval", hours=1, args=(app, purge_idempotency_records),
        id="purge_idempotency_records", next_run_time=datetime.now(UTC),
        max_instances=1, coalesce=True,
    )
    return scheduler
