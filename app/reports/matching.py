"""Reports that may be about the same thing, shown to staff to merge or to link.

* Duplicates: the same category on the same street (the register's street, or the same
  street name in the same postcode when the report has no register street) within a few
  days of each other.
* Lost and found: a found object and a lost one of the same object type, in the same
  municipality, in the same ISO week (of when it was lost or found, else of the report).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.reports.enums import CategoryKind, ReportStatus
from app.reports.models import Report, ReportCategory
from scheduling.addresses import street_key

DUPLICATE_DAYS = 7


@dataclass(frozen=True)
class Facts:
    """What the rules compare of a report."""

    id: int
    category_id: int
    kind: CategoryKind
    street_id: int | None
    postcode: str | None
    street_name: str | None
    municipality: str | None
    object_type: str | None
    occurred_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, report: Report) -> "Facts":
        return cls(
            id=report.id,
            category_id=report.category_id,
            kind=report.category.kind,
            street_id=report.street_id,
            postcode=report.postcode,
            street_name=report.street_name,
            municipality=report.municipality,
            object_type=report.object_type,
            occurred_at=report.occurred_at,
            created_at=report.created_at,
        )


def place_key(facts: Facts) -> tuple[str, ...] | None:
    """The street a report is on, comparable: None when it names no street."""
    if facts.street_id is not None:
        return ("register", str(facts.street_id))
    if facts.postcode and facts.street_name and street_key(facts.street_name):
        return ("name", facts.postcode.strip(), street_key(facts.street_name))
    return None


def is_duplicate(a: Facts, b: Facts, *, days: int = DUPLICATE_DAYS) -> bool:
    place = place_key(a)
    return (
        a.id != b.id
        and a.category_id == b.category_id
        and place is not None
        and place == place_key(b)
        and abs(a.created_at - b.created_at) <= timedelta(days=days)
    )


def iso_week(facts: Facts, zone: ZoneInfo) -> tuple[int, int]:
    day: date = (facts.occurred_at or facts.created_at).astimezone(zone).date()
    year, week, _ = day.isocalendar()
    return year, week


def is_possible_match(a: Facts, b: Facts, *, zone: ZoneInfo) -> bool:
    """A lost and a found object (either way round) of one type, municipality and week."""
    return (
        {a.kind, b.kind} == {CategoryKind.LOST, CategoryKind.FOUND}
        and bool(a.object_type)
        and _same(a.object_type, b.object_type)
        and bool(a.municipality)
        and _same(a.municipality, b.municipality)
        and iso_week(a, zone) == iso_week(b, zone)
    )


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().casefold() == (b or "").strip().casefold()


# Merged and withdrawn cases are no candidates: they are settled already.
_LIVE = Report.status.not_in((ReportStatus.MERGED, ReportStatus.WITHDRAWN))


def duplicate_candidates(
    session: Session, report: Report, *, days: int = DUPLICATE_DAYS
) -> list[Report]:
    """Other live reports of the same category on the same street, within ``days``."""
    facts = Facts.of(report)
    if place_key(facts) is None:
        return []
    window = timedelta(days=days)
    query = select(Report).where(
        Report.id != report.id,
        Report.category_id == report.category_id,
        Report.created_at.between(report.created_at - window, report.created_at + window),
        _LIVE,
    )
    if report.street_id is not None:
        query = query.where(Report.street_id == report.street_id)
    else:
        query = query.where(Report.postcode == report.postcode)
    found = session.scalars(query.order_by(Report.created_at)).all()
    return [r for r in found if is_duplicate(facts, Facts.of(r), days=days)]


def lost_found_matches(session: Session, report: Report, *, zone: ZoneInfo) -> list[Report]:
    """The found objects that may be this lost one, or the lost ones this found one may be."""
    facts = Facts.of(report)
    opposite = {CategoryKind.LOST: CategoryKind.FOUND, CategoryKind.FOUND: CategoryKind.LOST}
    if facts.kind not in opposite or not facts.object_type or not facts.municipality:
        return []
    # A week either side of its day holds its ISO week; the rule then picks the week itself.
    around = facts.occurred_at or facts.created_at
    span = timedelta(days=8)
    query = (
        select(Report)
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .where(
            ReportCategory.kind == opposite[facts.kind],
            Report.id != report.id,
            _LIVE,
            Report.created_at >= around - span,
            func.lower(Report.object_type) == facts.object_type.strip().lower(),
        )
        .order_by(Report.created_at)
    )
    return [r for r in session.scalars(query) if is_possible_match(facts, Facts.of(r), zone=zone)]
