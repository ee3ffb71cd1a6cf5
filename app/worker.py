"""The background process: APScheduler in its own process, never inside web workers.

Each job is one transaction. Later issues add the SMS outbox sender and reminders here.
GALOP data does not come through here: GALOP pushes it, or cron runs `galop-import`
(docs/galop.md).
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.orm import Session

from app.api import idempotency
from app.web import ratelimit

log = logging.getLogger(__name__)


def run_job(app: Flask, job: Callable[[Session, datetime], object]) -> None:
    """Run ``job`` in one transaction: committed when it returns, rolled back when it raises."""
    with app.extensions["db_sessionmaker"].begin() as session:
        result = job(session, datetime.now(UTC))
    log.info("%s: %s", job.__name__, result)


def purge_idempotency_records(session: Session, now: datetime) -> int:
    return idempotency.purge(session, now=now)


def purge_rate_limit_hits(session: Session, now: datetime) -> int:
    return ratelimit.purge(session, now=now)


HOURLY_JOBS = (purge_idempotency_records, purge_rate_limit_hits)


def build_scheduler(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone=app.config["BLAUWLIJN"].zone)
    for job in HOURLY_JOBS:
        scheduler.add_job(
            run_job,
            "interval",
            hours=1,
            args=(app, job),
            id=job.__name__,
            name=job.__name__,
            next_run_time=datetime.now(UTC),
            max_instances=1,
            coalesce=True,
        )
    return scheduler
