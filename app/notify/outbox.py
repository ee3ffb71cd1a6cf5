"""Turning booking changes into outbox rows, in the transaction of the change that causes them.

Where rows are written:

* A booking made on the web or through the API queues its confirmation (with the manage
  link, whose secret exists only in that request) and its reminder right at the booking
  call site, in the booking's own transaction, and marks its ``booked`` event handled.
* Every other change (cancellations, moves, officer changes, from any channel: web, API,
  staff pages, GALOP) already writes a ``DomainEvent`` in its own transaction
  (``scheduling.trail``). The worker turns each unhandled event into its outbox rows in one
  transaction per event that also sets ``handled_at``. So nothing is lost: the event
  is durable with the change, and either the rows and ``handled_at`` commit together or
  neither does. Handling an event twice cannot make a second message: the idempotency key
  (kind, booking, event) is unique.

Call sites need no knowledge of messages this way, and channels still to come (staff
pages, the phone) are covered without touching them.

E-mail is the second channel: when SMTP is configured and the booking has an address, the
confirmation, a cancellation by staff and a change also go out by e-mail, as rows of their
own (key ``email:<the SMS key>``) in the same transaction as the SMS.
"""

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.assistance.models import AssistanceDetails
from app.config import Config
from app.db import rowcount
from app.notify.messages import Text, compose, compose_assistance, compose_invitation, subject
from app.notify.models import SUPERSEDED, WITHDRAWN, InboundSms, OutboxMessage
from scheduling.booking import Booked
from scheduling.enums import (
    ActorKind,
    BookingStatus,
    EventKind,
    MessageKind,
    NoticeChannel,
    OutboxStatus,
)
from scheduling.models import BailiffAccount, Booking, DomainEvent, Invitation
from scheduling.notices import idempotency_key, reminder_due


def enqueue(
    session: Session,
    *,
    key: str,
    recipient: str,
    body: str,
    language: str,
    kind: MessageKind,
    booking_id: int | None,
    due_at: datetime,
    now: datetime,
    channel: NoticeChannel = NoticeChannel.SMS,
    subject: str | None = None,
) -> bool:
    """Add one message unless its key is already queued; True when it was added."""
    values = {
        "idempotency_key": key,
        "channel": channel.value,
        "recipient": recipient,
        "subject": subject,
        "body": body,
        "language": language,
        "kind": kind.value,
        "booking_id": booking_id,
        "due_at": due_at,
        "attempts": 0,
        "next_attempt_at": due_at,
        "status": OutboxStatus.PENDING.value,
        "created_at": now,
    }
    table = cast(Table, OutboxMessage.__table__)  # declared as any FromClause; a Table here
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(table).values(**values).on_conflict_do_nothing(index_elements=["idempotency_key"])
    )
    result = session.execute(statement)
    return bool(rowcount(result))


def _queue_reminder(session: Session, booking: Booking, config: Config, now: datetime) -> None:
    lead = timedelta(minutes=booking.service.reminder_lead_minutes)
    due = reminder_due(booking.start_at, config.zone, lead)
    if due <= now:
        return  # booked (or moved) too late for a reminder: the confirmation suffices
    if opted_out(session, booking.citizen_phone):
        return  # they sent STOP: reminders are the non-essential messages
    text = compose(MessageKind.REMINDER, booking, config, language=booking.language)
    enqueue(
        session,
        key=idempotency_key("reminder", booking.id, booking.sequence),
        recipient=booking.citizen_phone,
        body=text.body,
        language=text.language,
        kind=MessageKind.REMINDER,
        booking_id=booking.id,
        due_at=due,
        now=now,
    )


def _drop_pending_reminders(session: Session, booking: Booking) -> None:
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.booking_id == booking.id,
            OutboxMessage.kind == MessageKind.REMINDER,
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.FINAL, last_error_code=SUPERSEDED)
    )


def _confirm(
    session: Session, booking: Booking, config: Config, now: datetime, token: str | None
) -> None:
    text = compose(
        MessageKind.CONFIRMATION, booking, config, language=booking.language, manage_token=token
    )
    key = idempotency_key("confirmation", booking.id)
    enqueue(
        session,
        key=key,
        recipient=booking.citizen_phone,
        body=text.body,
        language=text.language,
        kind=MessageKind.CONFIRMATION,
        booking_id=booking.id,
        due_at=now,
        now=now,
    )
    email_copy(session, key, booking, MessageKind.CONFIRMATION, text, config, now)
    _queue_reminder(session, booking, config, now)


def email_copy(
    session: Session,
    sms_key: str,
    booking: Booking,
    kind: MessageKind,
    text: Text,
    config: Config,
    now: datetime,
) -> None:
    """The same notice by e-mail, when SMTP is configured and the citizen gave an address."""
    if not (config.email_enabled and booking.citizen_email):
        return
    enqueue(
        session,
        key=email_key(sms_key),
        recipient=booking.citizen_email,
        body=text.body,
        language=text.language,
        kind=kind,
        booking_id=booking.id,
        due_at=now,
        now=now,
        channel=NoticeChannel.EMAIL,
        subject=subject(kind, config, language=text.language),
    )


def email_key(sms_key: str) -> str:
    return f"email:{sms_key}"


def queue_booked(session: Session, booked: Booked, *, config: Config, now: datetime) -> None:
    """At a booking call site: the confirmation with the manage link, and the reminder."""
    booking = booked.booking
    if booking.bailiff_account_id is not None:
        return  # the worker e-mails the office (handle_event), once its file details exist
    _confirm(session, booking, config, now, booked.manage_token)
    session.execute(
        update(DomainEvent)
        .where(
            DomainEvent.booking_id == booking.id,
            DomainEvent.kind == EventKind.BOOKED,
            DomainEvent.handled_at.is_(None),
        )
        .values(handled_at=now)
    )


def queue_invitation(
    session: Session,
    invitation: Invitation,
    *,
    config: Config,
    language: str,
    link: str,
    now: datetime,
) -> None:
    """In the transaction that makes the invitation: its SMS to the citizen."""
    if invitation.phone is None:
        return
    text = compose_invitation(invitation, config, language=language, link=link)
    enqueue(
        session,
        key=invitation_key(invitation),
        recipient=invitation.phone,
        body=text.body,
        language=text.language,
        kind=MessageKind.INVITATION,
        booking_id=None,
        due_at=now,
        now=now,
    )


def invitation_key(invitation: Invitation) -> str:
    return f"invitation:{invitation.id}"


def invitation_sms(session: Session, invitation: Invitation) -> OutboxMessage | None:
    return session.scalar(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == invitation_key(invitation))
    )


def drop_invitation_sms(session: Session, invitation: Invitation) -> None:
    """A withdrawn invitation's SMS that has not gone out yet never goes out."""
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.idempotency_key == invitation_key(invitation),
            OutboxMessage.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.FINAL, last_error_code=WITHDRAWN)
    )


def handle_event(session: Session, event: DomainEvent, *, config: Config, now: datetime) -> int:
    """Queue what ``event`` means to the people concerned; returns how many rows were added."""
    booking = session.get_one(Booking, event.booking_id)
    before = _count(session, booking.id)
    if booking.bailiff_account_id is not None:
        tell_office(session, event, booking, config, now)
        if event.kind is EventKind.CANCELLED_BY_CITIZEN:  # the office cancelled
            _staff_notice(session, event, booking, config, now)
    elif event.kind is EventKind.BOOKED:
        if booking.start_at > now:  # a past appointment (imported, seeded) needs no SMS
            _confirm(session, booking, config, now, token=None)
    elif event.kind is EventKind.CANCELLED_BY_STAFF:
        _drop_pending_reminders(session, booking)
        if booking.start_at > now:
            _citizen_notice(session, event, booking, MessageKind.CANCELLED_BY_STAFF, config, now)
    elif event.kind is EventKind.CANCELLED_BY_CITIZEN:
        _drop_pending_reminders(session, booking)
        _staff_notice(session, event, booking, config, now)
    elif event.kind in (EventKind.MOVED, EventKind.OFFICER_CHANGED):
        _drop_pending_reminders(session, booking)
        if booking.status is BookingStatus.CONFIRMED:
            _citizen_notice(session, event, booking, MessageKind.CHANGED, config, now)
            _queue_reminder(session, booking, config, now)
    event.handled_at = now
    session.flush()
    return _count(session, booking.id) - before


def tell_office(
    session: Session, event: DomainEvent, booking: Booking, config: Config, now: datetime
) -> None:
    """A bailiff office hears of its assistance by e-mail (never SMS), in its language:
    booked, moved (by itself or the zone, with the zone's reason), cancelled or refused.
    Nothing about the past, nothing without SMTP or an address; an officer changing (who
    goes is the zone's business) is no news to the office."""
    office = session.get_one(BailiffAccount, booking.bailiff_account_id)
    if not (config.email_enabled and office.email) or booking.start_at <= now:
        return
    payload = event.payload or {}
    by_zone = payload.get("actor") != ActorKind.BAILIFF.value
    reason = payload.get("reason") if isinstance(payload.get("reason"), str) else None
    before: datetime | None = None
    match event.kind:
        case EventKind.BOOKED:
            kind = MessageKind.ASSISTANCE_BOOKED
        case EventKind.CANCELLED_BY_CITIZEN | EventKind.CANCELLED_BY_STAFF:
            kind = MessageKind.ASSISTANCE_CANCELLED
        case EventKind.MOVED | EventKind.OFFICER_CHANGED:
            if payload.get("from") in (None, payload.get("to")):
                return  # the same moment, another officer
            kind = MessageKind.ASSISTANCE_CHANGED
            before = datetime.fromisoformat(str(payload["from"]))
    details = session.get(AssistanceDetails, booking.id)
    mail = compose_assistance(
        kind,
        booking,
        config,
        language=office.language,
        file_reference=details.file_reference if details else booking.topic or "-",
        execution_kind=details.execution_kind.name(office.language) if details else "-",
        by_zone=by_zone,
        reason=reason,
        before=before,
    )
    enqueue(
        session,
        key=idempotency_key(kind.value, booking.id, f"event{event.id}"),
        recipient=office.email,
        body=mail.body,
        language=mail.language,
        kind=kind,
        booking_id=booking.id,
        due_at=now,
        now=now,
        channel=NoticeChannel.EMAIL,
        subject=mail.subject,
    )


def _count(session: Session, booking_id: int) -> int:
    return len(
        session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.booking_id == booking_id)
        ).all()
    )


def _citizen_notice(
    session: Session,
    event: DomainEvent,
    booking: Booking,
    kind: MessageKind,
    config: Config,
    now: datetime,
) -> None:
    text = compose(kind, booking, config, language=booking.language)
    key = idempotency_key(kind.value, booking.id, f"event{event.id}")
    enqueue(
        session,
        key=key,
        recipient=booking.citizen_phone,
        body=text.body,
        language=text.language,
        kind=kind,
        booking_id=booking.id,
        due_at=now,
        now=now,
    )
    email_copy(session, key, booking, kind, text, config, now)


def _staff_notice(
    session: Session, event: DomainEvent, booking: Booking, config: Config, now: datetime
) -> None:
    phone = booking.staff.phone
    if not phone or booking.start_at <= now:
        return
    text = compose(MessageKind.CANCELLED_BY_CITIZEN, booking, config, language="nl")
    enqueue(
        session,
        key=idempotency_key("staff_cancelled", booking.id, f"event{event.id}"),
        recipient=phone,
        body=text.body,
        language=text.language,
        kind=MessageKind.CANCELLED_BY_CITIZEN,
        booking_id=booking.id,
        due_at=now,
        now=now,
    )


def opted_out(session: Session, phone: str) -> bool:
    """Whether the last STOP/START this number sent was STOP."""
    last = session.scalar(
        select(InboundSms.action)
        .where(InboundSms.sender == phone, InboundSms.action.in_(["opted_out", "opted_in"]))
        .order_by(InboundSms.id.desc())
        .limit(1)
    )
    return last == "opted_out"


def claim_event(session: Session) -> DomainEvent | None:
    """The oldest unhandled event, locked (PostgreSQL: others skip it; SQLite: serialised)."""
    return session.scalars(
        select(DomainEvent)
        .where(DomainEvent.handled_at.is_(None))
        .order_by(DomainEvent.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
