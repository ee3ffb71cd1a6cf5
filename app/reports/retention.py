"""The reporting point's share of the daily purge (app.retention): a finished case loses
its personal data once its category's retention period has passed since it was closed —
the reporter's name and contact, the place down to the street (house number, landmark,
point), every free text (description, answers, when it recurs, the texts of its history)
and its photos' rows. Category, street, postcode, municipality, status and dates stay for
the figures. The case records that it was anonymised; a second run changes nothing.

Periods are counted in the zone's calendar days, as the other periods (app.retention).
Photos go with their rows: the files are erased in the purge's transaction, before its
commit — a run cut short after it leaves rows whose files are gone, which the next run
deletes; never a photo on disk that nothing points at any more.
"""

from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.reports import photos
from app.reports.enums import FINISHED, ReportActor, ReportEventKind
from app.reports.models import Report, ReportCategory, ReportEvent, ReportPhoto
from scheduling.zone_time import first_kept

# Keys of an event's details that hold free text (notes, updates, answers, added information).
FREE_TEXT_KEYS = ("text",)


def expired(session: Session, *, now: datetime, zone: ZoneInfo, batch: int) -> list[int]:
    """Up to ``batch`` finished, not yet anonymised cases past their category's period,
    locked (rows another purge holds are left to it on PostgreSQL)."""
    ids: list[int] = []
    for category_id, days in session.execute(
        select(ReportCategory.id, ReportCategory.retention_days).order_by(ReportCategory.id)
    ).tuples():
        if len(ids) >= batch:
            break
        ids += session.scalars(
            select(Report.id)
            .where(
                Report.category_id == category_id,
                Report.status.in_(FINISHED),
                Report.closed_at < first_kept(now, days, zone),
                Report.anonymised_at.is_(None),
            )
            .order_by(Report.id)
            .limit(batch - len(ids))
            .with_for_update(skip_locked=True)
        )
    return ids


def anonymise(session: Session, ids: list[int], *, now: datetime, uploads: Path) -> Counter[str]:
    """Remove the personal data of these cases, in the caller's transaction."""
    done: Counter[str] = Counter()
    if not ids:
        return done
    for event in session.scalars(select(ReportEvent).where(ReportEvent.report_id.in_(ids))):
        kept = {k: v for k, v in event.details.items() if k not in FREE_TEXT_KEYS}
        if kept != event.details:
            event.details = kept
    stored = session.scalars(
        delete(ReportPhoto).where(ReportPhoto.report_id.in_(ids)).returning(ReportPhoto.stored_name)
    ).all()
    for name in stored:
        photos.remove(name, uploads)
    done["report_photos"] = len(stored)
    for report in session.scalars(
        select(Report).where(Report.id.in_(ids), Report.anonymised_at.is_(None))
    ):
        report.reporter_name = report.reporter_phone = report.reporter_email = None
        report.contact_how = None
        report.contact_when = None
        report.house_number = report.landmark = report.recurring = None
        report.lat = report.lon = None
        report.description = ""
        report.answers = {}
        report.anonymised_at = now
        session.add(
            ReportEvent(
                report_id=report.id,
                at=now,
                actor_kind=ReportActor.SYSTEM,
                kind=ReportEventKind.ANONYMISED,
                details={},
                public=False,
            )
        )
        done["reports"] += 1
    session.flush()
    return done


def purge_round(
    session: Session, *, now: datetime, zone: ZoneInfo, uploads: Path, batch: int
) -> Counter[str]:
    """One batch, for app.retention's rounds."""
    ids = expired(session, now=now, zone=zone, batch=batch)
    return anonymise(session, ids, now=now, uploads=uploads)
