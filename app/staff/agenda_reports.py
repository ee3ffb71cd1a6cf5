"""The "Reports for you" panel beside an officer's agenda: the open, non-sensitive reports and
questions assigned to them, the most urgent first (a question's due date, then the oldest).
Sensitive reports are never listed here: they go to the restricted team, and an agenda is
read over a colleague's shoulder."""

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select

from app.db import get_session
from app.reports.enums import FINISHED
from app.reports.models import Report, ReportCategory

LIMIT = 20  # beyond it the panel says how many more, and the queue shows them


@dataclass(frozen=True)
class ReportForYou:
    number: str
    category: str
    street: str
    age_days: int
    due_at: datetime | None
    url: str


@dataclass(frozen=True)
class ReportsForYou:
    shown: list[ReportForYou]
    total: int


def _mine(staff_id: int) -> ColumnElement[bool]:
    return (
        (Report.assigned_staff_id == staff_id)
        & Report.status.not_in(FINISHED)
        & ReportCategory.sensitive.is_(False)
    )


def reports_for(staff_id: int, *, now: datetime, language: str) -> ReportsForYou:
    session = get_session()
    rows = session.execute(
        select(
            Report.id,
            Report.number,
            Report.street_name,
            Report.municipality,
            Report.landmark,
            Report.created_at,
            Report.due_at,
            ReportCategory.names,
            ReportCategory.code,
        )
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .where(_mine(staff_id))
        .order_by(Report.due_at.is_(None), Report.due_at, Report.created_at, Report.id)
        .limit(LIMIT)
    ).all()
    total = session.scalar(
        select(func.count())
        .select_from(Report)
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .where(_mine(staff_id))
    )
    shown = [
        ReportForYou(
            number=row.number,
            category=row.names.get(language) or row.names.get("nl") or row.code,
            street=", ".join(part for part in (row.street_name, row.municipality) if part)
            or row.landmark
            or _("No place given"),
            age_days=max((now - row.created_at).days, 0),
            due_at=row.due_at,
            url=url_for("staff.report", ident=row.id),
        )
        for row in rows
    ]
    return ReportsForYou(shown, int(total or 0))
