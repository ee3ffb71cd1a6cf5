"""The one way every channel (citizen pages, the console, Open311, staff pages) writes a
report or a question: submit, add information, withdraw; and the staff's triage, merge,
notes, public updates and closing. Each records what it changed as a ReportEvent (who, when,
what, and whether the citizen sees it); a staff member's change to a sensitive report is
written to the access log too. The caller owns the transaction and commits once; a refusal
raises InvalidRequest or NotAllowed (with the field at fault) before anything is written.

Telling the citizen (e-mail, SMS) and the staff is not done here: every channel calls
app.reports.telling after the command, in the same transaction. Forwarding to a
municipality queues its e-mail here, with its event: one is never recorded without the other.
"""

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.notify.outbox import enqueue
from app.reports import forwarding, numbers
from app.reports.due import answer_due
from app.reports.enums import (
    FINISHED,
    AccessAction,
    CategoryKind,
    ContactHow,
    ReportActor,
    ReportChannel,
    ReportEventKind,
    ReportStatus,
)
from app.reports.models import Report, ReportCategory, ReportEvent, SensitiveAccess
from app.reports.routing import route
from app.text import is_plain
from scheduling.addresses import Address
from scheduling.booking import hash_token
from scheduling.enums import MessageKind, NoticeChannel
from scheduling.errors import InvalidRequest, NotAllowed, NotFound
from scheduling.hours import Hours
from scheduling.models import Street

MAX_DESCRIPTION = 5000
MAX_MESSAGE = 5000
LANGUAGES = ("nl", "fr", "en")


@dataclass(frozen=True)
class Actor:
    kind: ReportActor
    staff_id: int | None = None


CITIZEN = Actor(ReportActor.CITIZEN)
SYSTEM = Actor(ReportActor.SYSTEM)


def staff(staff_id: int) -> Actor:
    return Actor(ReportActor.STAFF, staff_id)


@dataclass(frozen=True)
class Place:
    """Where: a street (of the register when ``street_id`` is known) and house number in a
    postcode, or a landmark, or a point; any of them may be missing."""

    street_id: int | None = None
    street_name: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    municipality: str | None = None
    landmark: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def address(self) -> Address | None:
        if self.street_name and self.house_number and self.postcode:
            return Address(self.postcode, self.street_name, self.house_number)
        return None


@dataclass(frozen=True)
class Reporter:
    name: str | None = None
    phone: str | None = None  # E.164, as app.phone gives it
    email: str | None = None  # as app.email_address gives it
    contact_how: ContactHow | None = None  # sensitive reports: how they may be contacted
    contact_when: str | None = None  # and when ("weekdays after 18:00")

    @property
    def anonymous(self) -> bool:
        return not (self.name or self.phone or self.email)


@dataclass(frozen=True)
class Submission:
    category_code: str
    description: str
    channel: ReportChannel = ReportChannel.WEB
    language: str = "nl"
    place: Place = field(default_factory=Place)
    occurred_at: datetime | None = None
    recurring: str | None = None
    object_type: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    reporter: Reporter = field(default_factory=Reporter)
    # The form's one-time key (unique in the table): a double click cannot make two reports.
    submission_key: str | None = None


@dataclass(frozen=True)
class Promise:
    """What the contact form promises: an answer within ``working_days`` of the zone's
    working ``hours`` (app.reports.due)."""

    working_days: int
    hours: Hours
    zone: ZoneInfo


@dataclass(frozen=True)
class Submitted:
    report: Report
    status_token: str  # shown once, in the status link; only its hash is stored


def submit_report(
    session: Session,
    submission: Submission,
    *,
    now: datetime,
    zone: ZoneInfo,
    actor: Actor = CITIZEN,
) -> Submitted:
    """A report (or a lost or found object), routed at once: to the category's team, else
    the wijkagent of its address, else the intake queue."""
    category = _category(session, submission.category_code)
    if category.kind == CategoryKind.QUESTION:
        raise InvalidRequest("Ask a question through the contact form.", field="category")
    return _submit(session, category, submission, actor, now=now, zone=zone, due_at=None)


def submit_question(
    session: Session,
    submission: Submission,
    *,
    now: datetime,
    promise: Promise,
    actor: Actor = CITIZEN,
) -> Submitted:
    """A question, with the date by which the zone answers it."""
    category = _category(session, submission.category_code)
    if category.kind != CategoryKind.QUESTION:
        raise InvalidRequest("This is not a question's category.", field="category")
    due = answer_due(now, working_days=promise.working_days, hours=promise.hours, zone=promise.zone)
    return _submit(session, category, submission, actor, now=now, zone=promise.zone, due_at=due)


def add_information(
    session: Session, report: Report, text: str, *, actor: Actor, now: datetime
) -> ReportEvent:
    """The citizen (or a call-taker for them) adds to a case that is still open."""
    _open(report)
    return _record(
        session,
        report,
        actor,
        ReportEventKind.INFORMATION_ADDED,
        now,
        {"text": _text(text, "text", MAX_DESCRIPTION)},
        public=True,
    )


def withdraw(session: Session, report: Report, *, actor: Actor, now: datetime) -> ReportEvent:
    """The citizen withdraws their report: it is closed, and says so."""
    _open(report)
    report.status = ReportStatus.WITHDRAWN
    report.closed_at = now
    return _record(session, report, actor, ReportEventKind.WITHDRAWN, now, {}, public=True)


def triage(
    session: Session,
    report: Report,
    *,
    actor: Actor,
    now: datetime,
    category_code: str | None = None,
    staff_id: int | None = None,
    team: str | None = None,
) -> ReportEvent:
    """Fix the category and assign the case to a person or a team (one of them, or neither
    to hand it back to the intake queue)."""
    _open(report)
    if staff_id is not None and team is not None:
        raise InvalidRequest("Assign to a person or to a team, not both.", field="assignee")
    changes: dict[str, Any] = {}
    if category_code is not None and category_code != report.category.code:
        category = _category(session, category_code)
        if (category.kind == CategoryKind.QUESTION) != (
            report.category.kind == CategoryKind.QUESTION
        ):
            raise InvalidRequest(
                "A report cannot become a question, nor the other way round.", field="category"
            )
        changes["category"] = [report.category.code, category.code]
        report.category = category
    if (staff_id, team) != (report.assigned_staff_id, report.assigned_team):
        changes["staff"] = [report.assigned_staff_id, staff_id]
        changes["team"] = [report.assigned_team, team]
        report.assigned_staff_id, report.assigned_team = staff_id, team
    if report.status == ReportStatus.NEW:
        report.status = ReportStatus.TRIAGED
    return _record(session, report, actor, ReportEventKind.TRIAGED, now, changes, public=False)


def merge(
    session: Session, duplicate: Report, into: Report, *, actor: Actor, now: datetime
) -> ReportEvent:
    """Close ``duplicate`` as merged into ``into``: its citizen reads the case's number, the
    case records what joined it."""
    _open(duplicate)
    _open(into)
    if duplicate.id == into.id:
        raise InvalidRequest("A report cannot be merged into itself.", field="merged_into")
    if duplicate.category.sensitive != into.category.sensitive:
        raise NotAllowed(
            "A sensitive report is merged only with another sensitive report.", field="merged_into"
        )
    duplicate.status = ReportStatus.MERGED
    duplicate.merged_into_id = into.id
    duplicate.closed_at = now
    _record(
        session,
        into,
        actor,
        ReportEventKind.ABSORBED,
        now,
        {"from": duplicate.number},
        public=False,
    )
    return _record(
        session, duplicate, actor, ReportEventKind.MERGED, now, {"into": into.number}, public=True
    )


def add_note(
    session: Session, report: Report, text: str, *, actor: Actor, now: datetime
) -> ReportEvent:
    """An internal note: staff only, never on the citizen's status page."""
    return _record(
        session,
        report,
        actor,
        ReportEventKind.NOTE,
        now,
        {"text": _text(text, "text", MAX_MESSAGE)},
        public=False,
    )


def public_update(
    session: Session, report: Report, text: str, *, actor: Actor, now: datetime
) -> ReportEvent:
    """News for the citizen on the status page; the case is then in progress."""
    _open(report)
    if report.status in (ReportStatus.NEW, ReportStatus.TRIAGED):
        report.status = ReportStatus.IN_PROGRESS
    return _record(
        session,
        report,
        actor,
        ReportEventKind.PUBLIC_UPDATE,
        now,
        {"text": _text(text, "text", MAX_MESSAGE)},
        public=True,
    )


def close_with_message(
    session: Session, report: Report, message: str, *, actor: Actor, now: datetime
) -> ReportEvent:
    """Close the case with a message to the citizen: a question is then answered (the
    message is the answer), a report closed."""
    _open(report)
    question = report.category.kind == CategoryKind.QUESTION
    report.status = ReportStatus.ANSWERED if question else ReportStatus.CLOSED
    report.closed_at = now
    return _record(
        session,
        report,
        actor,
        ReportEventKind.CLOSED,
        now,
        {"text": _text(message, "message", MAX_MESSAGE)},
        public=True,
    )


def forward(
    session: Session,
    report: Report,
    *,
    to: str,
    with_identity: bool,
    actor: Actor,
    now: datetime,
    zone_name: str,
    zone: ZoneInfo,
) -> ReportEvent:
    """Send the case to its municipality by e-mail (``to``, its configured address): what,
    where and when; the reporter's name and contact only ``with_identity`` (when they agreed).
    A sensitive report is never forwarded."""
    _open(report)
    if report.category.sensitive:
        raise NotAllowed("A sensitive report is never forwarded.", field="forward")
    if (
        with_identity
        and Reporter(report.reporter_name, report.reporter_phone, report.reporter_email).anonymous
    ):
        raise InvalidRequest("This reporter left no name or contact.", field="forward_identity")
    event = _record(
        session,
        report,
        actor,
        ReportEventKind.FORWARDED,
        now,
        {"to": to, "municipality": report.municipality, "identity": with_identity},
        public=False,
    )
    mail = forwarding.compose(report, with_identity=with_identity, zone_name=zone_name, zone=zone)
    enqueue(
        session,
        key=f"report-forward:{event.id}",
        recipient=to,
        body=mail.body,
        subject=mail.subject,
        language=forwarding.LANGUAGE,
        kind=MessageKind.REPORT_FORWARD,
        booking_id=None,
        due_at=now,
        now=now,
        channel=NoticeChannel.EMAIL,
    )
    return event


def opened(session: Session, report: Report, *, staff_id: int, now: datetime) -> None:
    """A staff member opened a case: logged when it is sensitive."""
    _log_access(session, report, staff_id, AccessAction.OPEN, now)


def exported(session: Session, report: Report, *, staff_id: int, now: datetime) -> None:
    """A staff member exported a case (CSV, print): logged when it is sensitive."""
    _log_access(session, report, staff_id, AccessAction.EXPORT, now)


def report_by_token(session: Session, token: str) -> Report:
    report = session.scalar(select(Report).where(Report.token_hash == hash_token(token.strip())))
    if report is None:
        raise NotFound("No report for this link.", field="token")
    return report


def _submit(
    session: Session,
    category: ReportCategory,
    submission: Submission,
    actor: Actor,
    *,
    now: datetime,
    zone: ZoneInfo,
    due_at: datetime | None,
) -> Submitted:
    place, reporter = _named_by_register(session, submission.place), submission.reporter
    _check(submission, category)
    assignment = route(session, handled_by=category.handled_by, address=place.address)
    token = secrets.token_urlsafe(24)  # 192 bits
    report = Report(
        number=numbers.next_number(session, category.kind, now=now, zone=zone),
        token_hash=hash_token(token),
        submission_key=submission.submission_key,
        category=category,
        channel=submission.channel,
        status=ReportStatus.NEW,
        street_id=place.street_id,
        street_name=_optional(place.street_name, "street", 200),
        house_number=_optional(place.house_number, "number", 12),
        postcode=_optional(place.postcode, "postcode", 4),
        municipality=_optional(place.municipality, "municipality", 200),
        landmark=_optional(place.landmark, "landmark", 300),
        lat=place.lat,
        lon=place.lon,
        occurred_at=submission.occurred_at,
        recurring=_optional(submission.recurring, "recurring", 300),
        description=_text(submission.description, "description", MAX_DESCRIPTION),
        object_type=_optional(submission.object_type, "object_type", 40),
        answers=dict(submission.answers),
        reporter_name=_optional(reporter.name, "name", 200),
        reporter_phone=reporter.phone or None,
        reporter_email=reporter.email or None,
        contact_how=reporter.contact_how,
        contact_when=_optional(reporter.contact_when, "contact_when", 300),
        language=submission.language,
        due_at=due_at,
        assigned_staff_id=assignment.staff_id,
        assigned_team=assignment.team,
        created_at=now,
        updated_at=now,
    )
    session.add(report)
    session.flush()
    details: dict[str, Any] = {"channel": submission.channel.value}
    if not assignment.intake:
        details |= {"staff": assignment.staff_id, "team": assignment.team}
    _record(session, report, actor, ReportEventKind.SUBMITTED, now, details, public=True)
    return Submitted(report, token)


def _named_by_register(session: Session, place: Place) -> Place:
    """A register street names itself: its name and municipality are the register's (Dutch,
    else French), never what a form said, so every report carries a street name to route
    and show by."""
    if place.street_id is None:
        return place
    street = session.get(Street, place.street_id)
    if street is None:
        raise InvalidRequest("Unknown street.", field="street")
    return replace(
        place,
        street_name=street.name_nl or street.name_fr,
        municipality=street.municipality_nl or street.municipality_fr,
    )


def _check(submission: Submission, category: ReportCategory) -> None:
    place, reporter = submission.place, submission.reporter
    if submission.language not in LANGUAGES:
        raise InvalidRequest("Unknown language.", field="language")
    if not category.anonymous_allowed and not (
        reporter.name and (reporter.phone or reporter.email)
    ):
        raise InvalidRequest(
            "This category needs your name and a phone number or e-mail address.", field="name"
        )
    if reporter.contact_how == ContactHow.PHONE and not reporter.phone:
        raise InvalidRequest("Give the phone number we may call.", field="phone")
    if reporter.contact_how == ContactHow.EMAIL and not reporter.email:
        raise InvalidRequest("Give the e-mail address we may write to.", field="email")
    if (place.lat is None) != (place.lon is None):
        raise InvalidRequest("A location needs both latitude and longitude.", field="location")
    if (
        place.lat is not None
        and place.lon is not None
        and not (-90 <= place.lat <= 90 and -180 <= place.lon <= 180)
    ):
        raise InvalidRequest("This is not a location on Earth.", field="location")
    kinds_with_object = (CategoryKind.LOST, CategoryKind.FOUND)
    if category.kind in kinds_with_object and not submission.object_type:
        raise InvalidRequest("Say what kind of object it is.", field="object_type")


def _category(session: Session, code: str) -> ReportCategory:
    category = session.scalar(
        select(ReportCategory).where(ReportCategory.code == code, ReportCategory.active)
    )
    if category is None:
        raise InvalidRequest("Choose one of the categories.", field="category")
    return category


def _open(report: Report) -> None:
    if report.status in FINISHED:
        raise NotAllowed("This case is closed.", field="status")


def _text(text: str, name: str, limit: int) -> str:
    text = text.strip()
    if not text:
        raise InvalidRequest("This cannot be empty.", field=name)
    if len(text) > limit or not is_plain(text, multiline=True):
        raise InvalidRequest(f"Use at most {limit} ordinary characters.", field=name)
    return text


def _optional(text: str | None, name: str, limit: int) -> str | None:
    text = (text or "").strip()
    if len(text) > limit or not is_plain(text):
        raise InvalidRequest(f"Use at most {limit} ordinary characters.", field=name)
    return text or None


def _record(
    session: Session,
    report: Report,
    actor: Actor,
    kind: ReportEventKind,
    now: datetime,
    details: dict[str, Any],
    *,
    public: bool,
) -> ReportEvent:
    event = ReportEvent(
        report=report,
        at=now,
        actor_kind=actor.kind,
        actor_id=actor.staff_id,
        kind=kind,
        details=details,
        public=public,
    )
    report.updated_at = now
    session.add(event)
    if actor.staff_id is not None and kind != ReportEventKind.SUBMITTED:
        _log_access(session, report, actor.staff_id, AccessAction.CHANGE, now)
    session.flush()
    return event


def _log_access(
    session: Session, report: Report, staff_id: int, action: AccessAction, now: datetime
) -> None:
    if report.category.sensitive:
        session.add(SensitiveAccess(staff_id=staff_id, report_id=report.id, action=action, at=now))
        session.flush()
