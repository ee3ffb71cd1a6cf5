"""The background process: APScheduler in its own process, never inside web workers.

Each job is one transaction, except the daily purge of personal data (one per batch:
app.retention) and the two SMS jobs: ``notify_events`` takes one
transaction per domain event, ``send_sms`` one to claim a batch and one per message sent
(app.notify.sender says why). Reminders are outbox rows with a later due time.
GALOP data does not come through here: GALOP pushes it, or cron runs `galop-import`
(docs/galop.md).
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy.orm import Session

from app import ratelimit, retention
from app.api import idempotency
from app.assistance import commands as assistance
from app.earlier import offers
from app.job_lock import only_one
from app.meldpunt import draft as report_draft
from app.notify.mail import make_mail_transport
from app.notify.outbox import claim_event, handle_event
from app.notify.recordings import make_eraser
from app.notify.sender import send_due
from app.notify.transports import make_transport
from app.reports import reminders
from app.web import draft

log = logging.getLogger(__name__)


def configure_logging(level: int = logging.INFO) -> None:
    """One line per thing done. APScheduler announces every run of every job ("Running
    job", "executed successfully"): every five seconds for the SMS job, so its news goes to
    debug and the log shows what the jobs did; its warnings and errors (a missed run, a job
    that raised) still show. The same for the Twilio SDK's account of each request."""
    logging.basicConfig(level=level, format="%(asctime)s worker %(message)s")
    # LOG_FORMAT=json: create_app gave the root logger its handler, so basicConfig did nothing.
    logging.getLogger().setLevel(level)
    logging.getLogger("apscheduler").setLevel(max(level, logging.WARNING))
    # The Twilio SDK writes ten INFO lines about every request it sends (URL, headers).
    logging.getLogger("twilio.http_client").setLevel(max(level, logging.WARNING))


def run_job(app: Flask, job: Callable[[Session, datetime], object]) -> None:
    """Run ``job`` in one transaction: committed when it returns, rolled back when it raises."""
    with app.extensions["db_sessionmaker"].begin() as session:
        result = job(session, datetime.now(UTC))
    # An idle hour (nothing purged) is a heartbeat, not news.
    log.log(logging.INFO if result else logging.DEBUG, "%s: %s", job.__name__, result)


def purge_idempotency_records(session: Session, now: datetime) -> int:
    return idempotency.purge(session, now=now)


def purge_rate_limit_hits(session: Session, now: datetime) -> int:
    return ratelimit.purge(session, now=now)


def purge_booking_drafts(session: Session, now: datetime) -> int:
    return draft.purge(session, now=now)


def purge_report_drafts(app: Flask) -> int:
    """Expired reporting-point drafts, with the photo files they still hold."""
    uploads = app.config["BLAUWLIJN"].report_uploads_dir
    with app.extensions["db_sessionmaker"].begin() as session:
        purged = report_draft.purge(session, now=datetime.now(UTC), uploads=uploads)
    log.log(logging.INFO if purged else logging.DEBUG, "purge_report_drafts: %s", purged)
    return purged


def count_assistance_capacity(app: Flask) -> None:
    """Count the bailiff-assistance capacity rule out as the horizon moves (hourly, so a
    day is never missed); one transaction."""
    config = app.config["BLAUWLIJN"]

    def capacity_counted(session: Session, now: datetime) -> int:
        return assistance.capacity_counted(session, now=now, config=config)

    run_job(app, capacity_counted)


HOURLY_JOBS = (purge_idempotency_records, purge_rate_limit_hits, purge_booking_drafts)
SMS_EVERY_SECONDS = 5


def purge_personal_data(app: Flask) -> int:
    """Anonymise what is past its retention period (app.retention); logs counts only."""
    config = app.config["BLAUWLIJN"]
    done = retention.purge(
        app.extensions["db_sessionmaker"], config, datetime.now(UTC), make_eraser(config)
    )
    summary = ", ".join(f"{kind}={n}" for kind, n in sorted(done.items()))
    log.log(logging.INFO if done else logging.DEBUG, "purge_personal_data: %s", summary or 0)
    return done.total()


def notify_events(app: Flask, limit: int = 500) -> int:
    """Turn unhandled domain events into outbox rows, one transaction per event."""
    config = app.config["BLAUWLIJN"]
    handled = 0
    with app.app_context():  # the texts come from the Babel catalogs
        while handled < limit:
            with app.extensions["db_sessionmaker"].begin() as session:
                event = claim_event(session)
                if event is None:
                    break
                handle_event(session, event, config=config, now=datetime.now(UTC))
            handled += 1
    if handled:
        log.info("notify_events: %s", handled)
    return handled


def send_sms(app: Flask) -> int:
    """Send every outbox message that is due: SMS, and e-mail when SMTP is configured."""
    config = app.config["BLAUWLIJN"]
    if "sms_transport" not in app.extensions:
        app.extensions["sms_transport"] = make_transport(config)
    if "mail_transport" not in app.extensions:
        app.extensions["mail_transport"] = make_mail_transport(config)
    sent = send_due(
        app.extensions["db_sessionmaker"],
        app.extensions["sms_transport"],
        clock=lambda: datetime.now(UTC),
        lease=timedelta(seconds=config.sms_send_lease_seconds),
        batch=10,
        mail=app.extensions["mail_transport"],
    )
    if sent:
        log.info("send_sms: %s", sent)
    return sent


def report_reminders(app: Flask) -> int:
    """Remind the assignees of questions due within the next working day and flag overdue
    ones to the supervisors (app.reports.reminders), in one transaction; each message once."""
    config = app.config["BLAUWLIJN"]
    with app.app_context(), app.extensions["db_sessionmaker"].begin() as session:
        now = datetime.now(UTC)
        queued = reminders.remind_assignees(session, config=config, now=now)
        queued += reminders.flag_overdue(session, config=config, now=now)
    log.log(logging.INFO if queued else logging.DEBUG, "report_reminders: %s", queued)
    return queued


REPORT_REMINDERS_EVERY_MINUTES = 15


def earlier_offers(app: Flask) -> offers.Done:
    """Offer freed moments to those who wait, one at a time (app.earlier.offers), in one
    transaction: the offers and their SMS rows commit together; counts only in the log."""
    config = app.config["BLAUWLIJN"]
    with app.app_context(), app.extensions["db_sessionmaker"].begin() as session:
        done = offers.run(session, datetime.now(UTC), config)
    log.log(logging.INFO if done else logging.DEBUG, "earlier_offers: %s", done)
    return done


EARLIER_OFFERS_EVERY_MINUTES = 1


def notify_and_send(app: Flask) -> None:
    notify_events(app)
    send_sms(app)


def alone(app: Flask, name: str, job: Callable[..., object], *args: object) -> None:
    """``job(*args)``, unless another worker process is running job ``name`` (app.job_lock)."""
    with only_one(app.extensions["db_engine"], name) as mine:
        if mine:
            job(*args)
        else:
            log.debug("%s: another worker is running it", name)


def build_scheduler(app: Flask) -> BlockingScheduler:
    # A run that starts late (a busy machine, a long purge before it) still runs, once: by
    # default APScheduler skips a run more than a second late, with a warning.
    scheduler = BlockingScheduler(
        timezone=app.config["BLAUWLIJN"].zone,
        job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    for job in HOURLY_JOBS:
        scheduler.add_job(
            alone,
            "interval",
            hours=1,
            args=(app, job.__name__, run_job, app, job),
            id=job.__name__,
            name=job.__name__,
            next_run_time=datetime.now(UTC),
        )
    scheduler.add_job(
        alone,
        "interval",
        hours=1,
        args=(app, "count_assistance_capacity", count_assistance_capacity, app),
        id="count_assistance_capacity",
        name="count_assistance_capacity",
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        alone,
        "interval",
        hours=1,
        args=(app, "purge_report_drafts", purge_report_drafts, app),
        id="purge_report_drafts",
        name="purge_report_drafts",
        next_run_time=datetime.now(UTC),
    )
    # Daily, and at start: a run a stop or crash cut short is finished by the next start.
    scheduler.add_job(
        alone,
        "interval",
        days=1,
        args=(app, "purge_personal_data", purge_personal_data, app),
        id="purge_personal_data",
        name="purge_personal_data",
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        alone,
        "interval",
        minutes=REPORT_REMINDERS_EVERY_MINUTES,
        args=(app, "report_reminders", report_reminders, app),
        id="report_reminders",
        name="report_reminders",
        # A minute after start: out of the start's burst of purges and sends.
        next_run_time=datetime.now(UTC) + timedelta(minutes=1),
    )
    scheduler.add_job(
        alone,
        "interval",
        minutes=EARLIER_OFFERS_EVERY_MINUTES,
        args=(app, "earlier_offers", earlier_offers, app),
        id="earlier_offers",
        name="earlier_offers",
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        notify_and_send,
        "interval",
        seconds=SMS_EVERY_SECONDS,
        args=(app,),
        id="sms",
        name="sms",
        next_run_time=datetime.now(UTC),
    )
    return scheduler
