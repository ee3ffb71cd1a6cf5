"""What the caller panel's "Register a report" form offers: the zone's active categories in
the console's language, reports first, then lost and found, then questions; and the form's
one-time key (callcenter.report_for_caller)."""

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.reports.enums import CategoryKind
from app.reports.models import ReportCategory

ORDER = (CategoryKind.REPORT, CategoryKind.LOST, CategoryKind.FOUND, CategoryKind.QUESTION)


@dataclass(frozen=True)
class CategoryChoice:
    code: str
    name: str
    kind: CategoryKind
    anonymous_allowed: bool


def category_choices(session: Session, language: str) -> list[CategoryChoice]:
    categories = session.scalars(select(ReportCategory).where(ReportCategory.active))
    choices = [
        CategoryChoice(c.code, c.name(language), c.kind, c.anonymous_allowed) for c in categories
    ]
    return sorted(choices, key=lambda c: (ORDER.index(c.kind), c.name.casefold()))


def new_report_key() -> str:
    """The one-time key of a report form as it is shown: a double click sends it twice."""
    return secrets.token_urlsafe(24)
