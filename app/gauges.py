"""What the database holds that operations watch, read at scrape time (one short query each):
the outbox's backlog and its oldest message, the earlier moments offered and unanswered.

Other layers add their own (the console: callers waiting) with ``add``; app.metrics reads
them all when /metrics is asked, in every web process alike, so multi-process mode needs
nothing for them."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.earlier.models import EarlierOffer, OfferStatus
from app.notify.models import OutboxMessage
from scheduling.enums import OutboxStatus

UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    read: Callable[[Session, datetime], float]


def add(
    app: Flask, name: str, documentation: str, read: Callable[[Session, datetime], float]
) -> None:
    """Report ``read(session, now)`` as the gauge ``name`` on every scrape."""
    app.extensions.setdefault("metrics_gauges", []).append(Gauge(name, documentation, read))


def outbox_depth(session: Session, now: datetime) -> float:
    """Messages due and not yet handed to the provider (reminders for later are no backlog)."""
    return float(
        session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status.in_(UNSENT), OutboxMessage.due_at <= now)
        )
        or 0
    )


def outbox_oldest_age(session: Session, now: datetime) -> float:
    """Seconds the oldest due, unsent message has waited since it was due (0: none waits)."""
    oldest = session.scalar(
        select(func.min(OutboxMessage.due_at)).where(
            OutboxMessage.status.in_(UNSENT), OutboxMessage.due_at <= now
        )
    )
    return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0


def earlier_offers_open(session: Session, now: datetime) -> float:
    """Earlier moments offered by SMS that wait for the citizen's answer."""
    del now  # an open offer past its time is expired by the worker, and counted until then
    return float(
        session.scalar(
            select(func.count())
            .select_from(EarlierOffer)
            .where(EarlierOffer.status == OfferStatus.OPEN)
        )
        or 0
    )


class DatabaseCollector:
    """The gauges of ``app`` for one scrape; ``blauwlijn_database_up`` 0 when a query fails
    (then the gauges are left out rather than reported as 0)."""

    def __init__(self, gauges: list[Gauge], session: Session, now: datetime) -> None:
        self._gauges, self._session, self._now = gauges, session, now

    def collect(self) -> Iterator[Metric]:
        values = []
        try:
            for gauge in self._gauges:
                values.append((gauge, gauge.read(self._session, self._now)))
        except SQLAlchemyError:
            self._session.rollback()
            values = []
            up = 0.0
        else:
            up = 1.0
        yield GaugeMetricFamily(
            "blauwlijn_database_up", "1 when the scrape's queries answered, else 0", value=up
        )
        for gauge, value in values:
            yield GaugeMetricFamily(gauge.name, gauge.documentation, value=value)


def init_app(app: Flask) -> None:
    add(app, "blauwlijn_outbox_depth", "SMS and e-mail due and not yet sent", outbox_depth)
    add(
        app,
        "blauwlijn_outbox_oldest_age_seconds",
        "How long the oldest due, unsent message has waited, in seconds",
        outbox_oldest_age,
    )
    add(
        app,
        "blauwlijn_earlier_offers_open",
        "Earlier moments offered by SMS, awaiting an answer",
        earlier_offers_open,
    )
