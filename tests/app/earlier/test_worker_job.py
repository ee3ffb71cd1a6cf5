"""The worker's earlier-offers job: scheduled every minute, one transaction, counts in the
log and never who (no number, no name)."""

import logging
from datetime import date

from freezegun import freeze_time
from sqlalchemy import select

from app import commands
from app.earlier.models import EarlierOffer
from app.earlier.wishes import Wish
from app.worker import EARLIER_OFFERS_EVERY_MINUTES, build_scheduler, earlier_offers
from tests.app.earlier.zone import WEB, at, book

A, C = "+32470000001", "+32470000003"


def test_the_job_runs_every_minute(app):
    scheduler = build_scheduler(app)
    job = scheduler.get_job("earlier_offers")
    assert job is not None
    assert EARLIER_OFFERS_EVERY_MINUTES == 1
    assert job.trigger.interval.total_seconds() == 60


def test_the_job_offers_and_logs_counts_only(app, session, officer, caplog):
    config = app.config["BLAUWLIJN"]
    start = at(date(2026, 12, 1), 9)
    with app.app_context():
        book(
            session, officer, config, at(date(2026, 12, 16), 10), phone=A, now=start, earlier=Wish()
        )
        c = book(session, officer, config, at(date(2026, 12, 9), 9), phone=C, now=start)
        commands.cancel(session, c, actor=WEB, now=start)
    with freeze_time(start), caplog.at_level(logging.INFO, logger="app.worker"):
        done = earlier_offers(app)
    assert done.offered == 1
    assert session.scalars(select(EarlierOffer)).one().start_at == at(date(2026, 12, 9), 9)
    [line] = [r.getMessage() for r in caplog.records if "earlier_offers" in r.getMessage()]
    assert "offered=1" in line
    assert "0470" not in line
    assert "+32" not in line
    assert "Burger" not in line
