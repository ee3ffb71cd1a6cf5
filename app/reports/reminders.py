"""Keeping the contact form's promise: a reminder to the assignee of a question on the working
day before it is due, and a flag to the supervisors for every open question past its date.
The worker runs both every quarter of an hour (app.worker).

Both are e-mails through the outbox (``MessageKind.REPORT_REMINDER``), in the zone's working
language, that carry a link and the due moment only, never the question (a mailbox is no
place for a citizen's words). Each has an idempotency key of its own — one reminder per
question, one flag per question and supervisor — so a second run, or two workers, send
nothing twice. Without SMTP nothing is queued: the supervisors' home page still counts the
overdue questions (``overdue_count``).

Sensitive questions are left out of the supervisors' flags and count: supervisors may not
open them (app.reports.access). A question assigned to a team rather than a person gets no
reminder; once overdue, the supervisors are told like for any other.
"""

from collections.abc import Collection
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.config import Config
from app.i18n import BABEL_LOCALES
from app.notify.models import OutboxMessage
from app.notify.outbox import enqueue
from app.reports.due import is_working_day
from app.reports.figures import OPEN
from app.reports.models import Report, ReportCategory
from scheduling.enums import MessageKind, NoticeChannel, Role
from scheduling.hours import Hours
from scheduling.models import Staff, StaffRole
from scheduling.zone_time import local_to_utc

STAFF_LANGUAGE = "nl"  # the zone's working language: staff e-mails are not per citizen
# A question's due date is at most a few weeks ahead; looking this far is plenty and keeps
# the candidates to the (status, due_at) index's range.
HORIZON = timedelta(days=31)
_SEARCH_DAYS = 366
REMINDER = (
    _l("A question assigned to you is due %(due)s. Open it: %(link)s"),
    _l("Blauwlijn: a question for you is due soon"),
)
OVERDUE = (
    _l("A question was due %(due)s and is not answered yet. Open it: %(link)s"),
    _l("Blauwlijn: a question is past its answer date"),
)


def reminder_at(due_at: datetime, hours: Hours, zone: ZoneInfo) -> datetime:
    """When the assignee is reminded: the start of the working day before the day the
    question is due (due on Monday: Friday; due the day after Easter Monday: the Friday
    before), at the opening of that day's hours."""
    day = due_at.astimezone(zone).date()
    for _step in range(_SEARCH_DAYS):
        day -= timedelta(days=1)
        if is_working_day(day, hours):
            opens = min(o for weekday, o, _c in hours.windows if weekday == day.weekday())
            return local_to_utc(day, opens, zone)
    return local_to_utc(due_at.astimezone(zone).date(), time(0), zone)


def _open_question() -> ColumnElement[bool]:
    return Report.status.in_(OPEN) & Report.due_at.is_not(None)


def remind_assignees(session: Session, *, config: Config, now: datetime) -> int:
    """Queue the reminder of each open question due within the next working day whose
    assignee has not had it yet; how many were queued. Needs an app context (texts)."""
    if not config.email_enabled:
        return 0
    rows = session.execute(
        select(Report.id, Report.due_at, Staff.email)
        .join(Staff, Report.assigned_staff_id == Staff.id)
        .where(
            _open_question(),
            Report.due_at > now,
            Report.due_at <= now + HORIZON,
            Staff.active.is_(True),
            Staff.email.is_not(None),
        )
    ).all()
    due = {
        f"report_reminder:{report_id}": (report_id, due_at, email)
        for report_id, due_at, email in rows
        if reminder_at(due_at, config.answer_hours, config.zone) <= now
    }
    return _queue(session, due, REMINDER, config=config, now=now)


def _queue(
    session: Session,
    messages: dict[str, tuple[int, datetime, str]],
    texts: tuple[LazyString, LazyString],
    *,
    config: Config,
    now: datetime,
) -> int:
    """Queue each e-mail of ``messages`` (key → report, due moment, address) not queued yet;
    how many were."""
    fresh = _not_queued(session, messages)
    for key in fresh:
        report_id, due_at, email = messages[key]
        body, subject = _texts(texts, report_id, due_at, config)
        enqueue(
            session,
            key=key,
            recipient=email,
            body=body,
            language=STAFF_LANGUAGE,
            kind=MessageKind.REPORT_REMINDER,
            booking_id=None,
            due_at=now,
            now=now,
            channel=NoticeChannel.EMAIL,
            subject=subject,
        )
    return len(fresh)


def _not_queued(session: Session, keys: Collection[str]) -> list[str]:
    """The keys of ``keys`` no message has yet (enqueue skips those anyway: this counts)."""
    if not keys:
        return []
    queued = set(
        session.scalars(
            select(OutboxMessage.idempotency_key).where(
                OutboxMessage.idempotency_key.in_(list(keys))
            )
        )
    )
    return sorted(key for key in keys if key not in queued)


def _overdue() -> ColumnElement[bool]:
    return _open_question() & ReportCategory.sensitive.is_(False)


def flag_overdue(session: Session, *, config: Config, now: datetime) -> int:
    """Queue, once per question and active supervisor, an e-mail about each open question
    past its date; how many were queued. Needs an app context (texts)."""
    if not config.email_enabled:
        return 0
    overdue = session.execute(
        select(Report.id, Report.due_at)
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .where(_overdue(), Report.due_at <= now)
    ).all()
    if not overdue:
        return 0
    supervisors = session.execute(
        select(Staff.id, Staff.email).where(
            Staff.active.is_(True),
            Staff.email.is_not(None),
            Staff.id.in_(select(StaffRole.staff_id).where(StaffRole.role == Role.SUPERVISOR)),
        )
    ).all()
    flags = {
        f"report_overdue:{report_id}:{staff_id}": (report_id, due_at, email)
        for report_id, due_at in overdue
        for staff_id, email in supervisors
    }
    return _queue(session, flags, OVERDUE, config=config, now=now)


def overdue_count(session: Session, *, now: datetime) -> int:
    """Open questions past their date (not sensitive), for the supervisors' home page."""
    found = session.scalar(
        select(func.count())
        .select_from(Report)
        .join(ReportCategory, Report.category_id == ReportCategory.id)
        .where(_overdue(), Report.due_at <= now)
    )
    return int(found or 0)


def case_link(config: Config, report_id: int) -> str:
    """The staff page of a case (app.staff.reports), for a message that has no request."""
    return f"{config.public_base_url.rstrip('/')}/staff/reports/{report_id}"


def _texts(
    texts: tuple[LazyString, LazyString], report_id: int, due_at: datetime, config: Config
) -> tuple[str, str]:
    """A message's body and subject in the staff's language."""
    due = format_datetime(
        due_at.astimezone(config.zone), "EEEE d MMMM HH:mm", locale=BABEL_LOCALES[STAFF_LANGUAGE]
    )
    with force_locale(STAFF_LANGUAGE):
        body = str(texts[0]) % {"due": due, "link": case_link(config, report_id)}
        return body, str(texts[1])
