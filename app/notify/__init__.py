"""SMS to citizens and staff: the outbox (``outbox``), its texts (``messages``), the sender
(``sender``, run by the worker) and the transports (``transports``)."""

from datetime import datetime

from flask import current_app
from sqlalchemy.orm import Session

from app.notify.outbox import queue_booked
from scheduling.booking import Booked


def booked(session: Session, booked: Booked, *, now: datetime) -> None:
    """At a booking call site, in its transaction: queue the confirmation and reminder."""
    queue_booked(session, booked, config=current_app.config["BLAUWLIJN"], now=now)
