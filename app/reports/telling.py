"""Telling people about a report or question: the citizen (their confirmation, news, the
answer) and the staff it is for (a notice with a link, never its content).

Every channel calls ``received`` after submit_report/submit_question and ``after`` after any
other command, in the command's transaction, before its commit: the outbox rows commit with
the change or not at all (app.notify.outbox), and each row's idempotency key makes a second
call add nothing.

How the citizen is told:
- by SMS when they gave a mobile number (a landline takes none: app.phone.is_mobile);
- by e-mail when they gave an address and the zone sends e-mail;
- a **sensitive** report: never by SMS (a phone is read by others), by e-mail only when
  they chose to be contacted by e-mail, and no text names what it is about.
The staff are told by e-mail: the assigned staff member, else every active member of the
assigned team, else the intake desk.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Config
from app.i18n import ZONE_LANGUAGE
from app.notify.outbox import email_key, enqueue
from app.phone import is_mobile
from app.reports import status_link, texts
from app.reports.access import TEAMS
from app.reports.commands import Submitted
from app.reports.enums import CategoryKind, ContactHow, ReportEventKind
from app.reports.models import Report, ReportEvent
from scheduling.enums import MessageKind, NoticeChannel, Role
from scheduling.models import Staff, StaffRole


def received(session: Session, submitted: Submitted, *, config: Config, now: datetime) -> None:
    """The citizen's confirmation (number and status link; a question's promised date) and
    the notice to whoever the case is for."""
    report = submitted.report
    link = f"{config.public_base_url}/status/{submitted.status_token}"
    values = {"zone": config.zone_name, "number": report.number, "link": link}
    if report.category.sensitive:
        template = texts.RECEIVED_SENSITIVE
    elif report.category.kind == CategoryKind.QUESTION and report.due_at is not None:
        template = texts.RECEIVED_QUESTION
        values["day"] = texts.day_in_sms(report.due_at, config.zone, report.language)
    else:
        template = texts.RECEIVED
    body = texts.compose(template, report.language, **values)
    _tell_citizen(
        session,
        report,
        f"report-received:{report.id}",
        MessageKind.REPORT_RECEIVED,
        body,
        config=config,
        now=now,
    )
    submitted_event = next(e for e in report.events if e.kind == ReportEventKind.SUBMITTED)
    _tell_staff(session, report, submitted_event, config=config, now=now)


def after(session: Session, event: ReportEvent, *, config: Config, now: datetime) -> None:
    """What ``event`` must tell: news or the answer to the citizen, a new assignee their
    notice; nothing for the other kinds (notes, merges, withdrawals, added information)."""
    report = event.report
    if event.kind == ReportEventKind.PUBLIC_UPDATE:
        template = texts.UPDATE_SENSITIVE if report.category.sensitive else texts.UPDATE
        body = texts.compose(template, report.language, **_values(report, config))
        _tell_citizen(
            session,
            report,
            f"report-update:{event.id}",
            MessageKind.REPORT_UPDATE,
            body,
            config=config,
            now=now,
        )
    elif event.kind == ReportEventKind.CLOSED:
        question = report.category.kind == CategoryKind.QUESTION
        if report.category.sensitive:
            template = texts.CLOSED_SENSITIVE
        else:
            template = texts.ANSWERED if question else texts.CLOSED
        body = texts.compose(template, report.language, **_values(report, config))
        # A question's answer may travel in the e-mail itself; a report's closing message
        # and anything sensitive stay on the status page.
        answer = str(event.details.get("text", "")) if question else ""
        _tell_citizen(
            session,
            report,
            f"report-answer:{event.id}",
            MessageKind.REPORT_ANSWER,
            body,
            config=config,
            now=now,
            email_answer=answer,
        )
    elif event.kind == ReportEventKind.TRIAGED and _new_assignee(event):
        _tell_staff(session, report, event, config=config, now=now)


def _values(report: Report, config: Config) -> dict[str, str]:
    token = status_link.issue(report, secret=config.secret_key)
    link = f"{config.public_base_url}/status/{token}"
    return {"zone": config.zone_name, "number": report.number, "link": link}


def _new_assignee(event: ReportEvent) -> bool:
    """A triage that handed the case to someone (not back to the intake queue)."""
    if "staff" not in event.details and "team" not in event.details:
        return False
    return any(event.details.get(name, [None, None])[1] is not None for name in ("staff", "team"))


def _tell_citizen(
    session: Session,
    report: Report,
    key: str,
    kind: MessageKind,
    body: str,
    *,
    config: Config,
    now: datetime,
    email_answer: str = "",
) -> None:
    sensitive = report.category.sensitive
    if report.reporter_phone and is_mobile(report.reporter_phone) and not sensitive:
        enqueue(
            session,
            key=key,
            recipient=report.reporter_phone,
            body=body,
            language=report.language,
            kind=kind,
            booking_id=None,
            due_at=now,
            now=now,
        )
    chose_email = report.contact_how == ContactHow.EMAIL
    if report.reporter_email and config.email_enabled and (chose_email or not sensitive):
        mail_body = body
        if email_answer and not sensitive:
            mail_body = texts.with_answer(body, email_answer, report.language)
        enqueue(
            session,
            key=email_key(key),
            recipient=report.reporter_email,
            body=mail_body,
            language=report.language,
            kind=kind,
            booking_id=None,
            due_at=now,
            now=now,
            channel=NoticeChannel.EMAIL,
            subject=texts.subject(texts.SUBJECT_CITIZEN, report.language, number=report.number),
        )


def _tell_staff(
    session: Session, report: Report, event: ReportEvent, *, config: Config, now: datetime
) -> None:
    """A content-free e-mail to each person the case is now for (not to whoever assigned it
    to themselves)."""
    if not config.email_enabled:
        return
    link = f"{config.public_base_url}/staff/reports/{report.id}"
    body = texts.compose(texts.STAFF_NOTICE, ZONE_LANGUAGE, number=report.number, link=link)
    title = texts.subject(texts.SUBJECT_STAFF, ZONE_LANGUAGE)
    for person in _assignees(session, report):
        if not person.email or person.id == event.actor_id:
            continue
        enqueue(
            session,
            key=email_key(f"report-staff:{event.id}:{person.id}"),
            recipient=person.email,
            body=body,
            language=ZONE_LANGUAGE,
            kind=MessageKind.REPORT_STAFF_NOTICE,
            booking_id=None,
            due_at=now,
            now=now,
            channel=NoticeChannel.EMAIL,
            subject=title,
        )


def _assignees(session: Session, report: Report) -> list[Staff]:
    """The assigned person; else the active members of the assigned team; else the intake
    desk's members (a case nobody has yet)."""
    if report.assigned_staff_id is not None:
        person = session.get(Staff, report.assigned_staff_id)
        return [person] if person is not None and person.active else []
    if report.assigned_team is not None:
        roles = TEAMS.get(report.assigned_team, frozenset())
    else:
        roles = frozenset({Role.INTAKE})
    if not roles:
        return []
    return list(
        session.scalars(
            select(Staff)
            .where(
                Staff.active,
                Staff.id.in_(select(StaffRole.staff_id).where(StaffRole.role.in_(roles))),
            )
            .order_by(Staff.id)
        )
    )
