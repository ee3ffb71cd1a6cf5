"""Messages (/staff/admin/messages): the SMS and e-mails that did not reach their recipient,
and the open call-backs made from notices that could not be delivered. Managers see what
failed and why; nothing is changed here (call-takers work the call-backs)."""

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.db import get_session
from app.notify.models import CallbackTask, OutboxMessage
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from scheduling.enums import CallbackStatus, MessageKind, NoticeChannel
from scheduling.models import Booking, Staff

LIST_LENGTH = 100  # rows per table
KINDS = {
    MessageKind.CONFIRMATION: _l("Confirmation"),
    MessageKind.REMINDER: _l("Reminder"),
    MessageKind.CANCELLED_BY_STAFF: _l("Cancellation by staff"),
    MessageKind.CHANGED: _l("Change of appointment"),
    MessageKind.CANCELLED_BY_CITIZEN: _l("Cancellation by the citizen (to staff)"),
    MessageKind.INVITATION: _l("Invitation"),
    MessageKind.LINK: _l("Link asked for on the phone"),
    MessageKind.CALLBACK: _l("Call-back registered"),
    MessageKind.REPORT_RECEIVED: _l("Report or question received"),
    MessageKind.REPORT_UPDATE: _l("News about a report"),
    MessageKind.REPORT_ANSWER: _l("Answer or closing message"),
    MessageKind.REPORT_STAFF_NOTICE: _l("New case (to staff)"),
    MessageKind.REPORT_REMINDER: _l("Question due or overdue (to staff)"),
    MessageKind.REPORT_FORWARD: _l("Report forwarded to the municipality"),
    MessageKind.ASSISTANCE_BOOKED: _l("Assistance booked (to the bailiff office)"),
    MessageKind.ASSISTANCE_CHANGED: _l("Assistance moved (to the bailiff office)"),
    MessageKind.ASSISTANCE_CANCELLED: _l("Assistance cancelled or refused (to the bailiff office)"),
    MessageKind.OFFICE_INVITATION: _l("Invitation to the bailiffs' portal"),
    MessageKind.EARLIER_OFFER: _l("An earlier moment offered (reply JA)"),
}
CHANNELS = {NoticeChannel.SMS: _l("SMS"), NoticeChannel.EMAIL: _l("E-mail")}


@dataclass(frozen=True)
class Row:
    at: datetime
    recipient: str  # masked
    kind: str
    channel: str
    error: str
    reference: str | None


def mask(recipient: str) -> str:
    """Enough of a number or address to tell two apart, not enough to use it."""
    if "@" in recipient:
        local, _, domain = recipient.rpartition("@")
        return f"{local[:1]}•••@{domain}"
    return f"{recipient[:6]}•••{recipient[-2:]}" if len(recipient) > 8 else "•••"


def _row(message: OutboxMessage, at: datetime, error: str, reference: str | None) -> Row:
    return Row(
        at=at,
        recipient=mask(message.recipient),
        kind=str(KINDS[message.kind]),
        channel=str(CHANNELS[message.channel]),
        error=error,
        reference=reference,
    )


def _error(message: OutboxMessage) -> str:
    return " ".join(p for p in (message.last_error_code, message.last_error_message) if p)


@bp.get("/admin/messages")
@staff_required(*MANAGERS)
def admin_messages(me: Staff) -> str:
    session = get_session()
    failed = session.execute(
        select(OutboxMessage, Booking.reference)
        .outerjoin(Booking, Booking.id == OutboxMessage.booking_id)
        .where(OutboxMessage.failed())
        .order_by(OutboxMessage.id.desc())
        .limit(LIST_LENGTH)
    ).tuples()
    callbacks = session.execute(
        select(CallbackTask, OutboxMessage, Booking.reference)
        .join(OutboxMessage, OutboxMessage.id == CallbackTask.outbox_id)
        .join(Booking, Booking.id == CallbackTask.booking_id)
        .where(CallbackTask.status == CallbackStatus.OPEN)
        .order_by(CallbackTask.id.desc())
        .limit(LIST_LENGTH)
    ).tuples()
    return render_template(
        "staff/admin/messages.html",
        failed=[_row(m, m.created_at, _error(m), ref) for m, ref in failed],
        callbacks=[_row(m, task.created_at, task.reason, ref) for task, m, ref in callbacks],
        list_length=LIST_LENGTH,
    )
