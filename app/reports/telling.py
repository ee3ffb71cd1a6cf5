"""Placeholder on this branch; the contact-status branch has the real module."""

from datetime import datetime

from sqlalchemy.orm import Session

from app.config import Config
from app.reports.commands import Submitted
from app.reports.models import ReportEvent


def received(session: Session, submitted: Submitted, *, config: Config, now: datetime) -> None:
    """Placeholder on this branch; the contact-status branch has the real module."""


def after(session: Session, event: ReportEvent, *, config: Config, now: datetime) -> None:
    """Placeholder on this branch; the contact-status branch has the real module."""
