"""Public report numbers, "M-2026-000123": a prefix (M a report, V a question), the zone's
year, and a counter per prefix and year that one statement takes the next value of
(INSERT … ON CONFLICT DO UPDATE … RETURNING): two submissions at once wait for each other
on the counter's row and never get the same number, on PostgreSQL and on SQLite."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.reports.enums import CategoryKind
from app.reports.models import ReportNumber

PREFIXES = {
    CategoryKind.REPORT: "M",  # melding
    CategoryKind.LOST: "M",
    CategoryKind.FOUND: "M",
    CategoryKind.QUESTION: "V",  # vraag
}


def next_number(session: Session, kind: CategoryKind, *, now: datetime, zone: ZoneInfo) -> str:
    prefix, year = PREFIXES[kind], now.astimezone(zone).year
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(ReportNumber)
        .values(prefix=prefix, year=year, last=1)
        .on_conflict_do_update(
            index_elements=[ReportNumber.prefix, ReportNumber.year],
            set_={"last": ReportNumber.last + 1},
        )
        .returning(ReportNumber.last)
    )
    last = session.execute(statement).scalar_one()
    return f"{prefix}-{year}-{last:06d}"
