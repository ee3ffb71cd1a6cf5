"""The console's gauge for /metrics (app.gauges): how many callers wait for a call-taker."""

from datetime import datetime

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import gauges
from callcenter.models import TakenCall
from callcenter.waiting import QUEUED
from ivr.models import Call


def queue_length(session: Session, now: datetime) -> float:
    """Callers in the queue, not ended and not taken (as callcenter.waiting lists them)."""
    del now
    return float(
        session.scalar(
            select(func.count())
            .select_from(Call)
            .outerjoin(TakenCall, TakenCall.call_id == Call.id)
            .where(Call.outcome == QUEUED, Call.ended_at.is_(None), TakenCall.call_id.is_(None))
        )
        or 0
    )


def init_app(app: Flask) -> None:
    gauges.add(app, "blauwlijn_call_queue_length", "Callers waiting for a call-taker", queue_length)
