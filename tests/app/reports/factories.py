"""Categories and reports for the reporting point's tests."""

from datetime import UTC, datetime
from itertools import count
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.reports import commands
from app.reports.commands import Place, Reporter, Submission
from app.reports.enums import CategoryKind
from app.reports.models import Report, ReportCategory

BXL = ZoneInfo("Europe/Brussels")
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)  # Tuesday 1 December 2026, 10:00 in Brussels
_seq = count(1)


def make_category(session: Session, **kw: object) -> ReportCategory:
    n = next(_seq)
    category = ReportCategory(
        **{
            "code": f"cat-{n}",
            "names": {"nl": f"Categorie {n}", "fr": f"Catégorie {n}", "en": f"Category {n}"},
            "kind": CategoryKind.REPORT,
            **kw,
        }
    )
    session.add(category)
    session.flush()
    return category


def submit(
    session: Session,
    category: ReportCategory,
    *,
    now: datetime = NOW,
    place: Place | None = None,
    reporter: Reporter | None = None,
    **kw: object,
) -> Report:
    submission = Submission(
        category_code=category.code,
        description=str(kw.pop("description", "Sluikstort naast de glasbol")),
        place=place or Place(street_name="Plaats", house_number="3", postcode="1547"),
        reporter=reporter or Reporter(name="An Peeters", phone="+32470123456"),
        **kw,  # type: ignore[arg-type]
    )
    return commands.submit_report(session, submission, now=now, zone=BXL).report
