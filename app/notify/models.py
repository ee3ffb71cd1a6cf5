"""What goes out and comes in by SMS and e-mail, and the call-backs when that fails.

``CallbackTask`` lives here, not with the console that works it: notify creates one when a
notice cannot be delivered, the phone menu when a caller leaves a message, and the console
(which sits above both) claims and closes them."""

from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, String, or_
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.enums import CallbackStatus, MessageKind, NoticeChannel, OutboxStatus
from scheduling.models import Base, enum_column, intpk, short_str, utc
from scheduling.types import UTCDateTime

# Why a message was given up without anything failing: it was no longer wanted (a reminder
# after the appointment moved or was cancelled, an invitation withdrawn before it went out),
# or it could never go: the number is a landline (the citizen was told no SMS would come; a
# notice that must arrive becomes a call-back).
SUPERSEDED = "superseded"
WITHDRAWN = "withdrawn"
LANDLINE = "landline"
NOT_FAILURES = (SUPERSEDED, WITHDRAWN, LANDLINE)


class OutboxMessage(Base):
    """One SMS or e-mail to send, written in the same transaction as what causes it
    (app.notify).

    The idempotency key is unique: however often an event is handled, one row per message
    (an e-mail copy has its own key, ``email:<the SMS key>``).
    """

    __tablename__ = "sms_outbox"
    __table_args__ = (
        Index("ix_sms_outbox_due", "status", "next_attempt_at"),
        Index("ix_sms_outbox_booking", "booking_id"),
        Index("ix_sms_outbox_recipient_sent", "recipient", "sent_at"),  # the per-number cap
    )

    id: Mapped[intpk]
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    channel: Mapped[NoticeChannel] = mapped_column(
        enum_column(NoticeChannel), default=NoticeChannel.SMS
    )
    recipient: Mapped[str] = mapped_column(String(200))  # E.164, or an e-mail address
    subject: Mapped[str | None] = mapped_column(String(200))  # e-mail only
    body: Mapped[str] = mapped_column(String(1600))
    language: Mapped[str] = mapped_column(String(2))
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    due_at: Mapped[utc]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[utc]
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.PENDING
    )
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_error_code: Mapped[str | None] = mapped_column(String(40))
    last_error_message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[utc]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def failed(cls) -> ColumnElement[bool]:
        """Messages that did not reach the person: undelivered, or given up on an error — not
        those dropped because they were no longer wanted or could never go (NOT_FAILURES)."""
        return or_(
            cls.status == OutboxStatus.FAILED,
            (cls.status == OutboxStatus.FINAL)
            & cls.last_error_code.is_not(None)
            & cls.last_error_code.not_in(NOT_FAILURES),
        )


class CallbackTask(Base):
    """A citizen the call-takers must phone: a notice about their appointment did not arrive,
    or a caller of the blue number left a message or asked to be called back."""

    __tablename__ = "callback_tasks"
    __table_args__ = (Index("ix_callback_tasks_status", "status"),)

    id: Mapped[intpk]
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("sms_outbox.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(500))
    # From the blue number: who to call (E.164; None when the number was withheld), the call
    # it came from, and a voice message with Twilio's transcription when one was left.
    phone: Mapped[str | None] = mapped_column(String(20))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    transcription: Mapped[str | None] = mapped_column(String(4000))
    created_at: Mapped[utc]
    status: Mapped[CallbackStatus] = mapped_column(
        enum_column(CallbackStatus), default=CallbackStatus.OPEN
    )


class InboundSms(Base):
    """An SMS a citizen sent to the blue number, and what it did (unique per Twilio sid, so
    a replayed webhook has no second effect); what is not understood is kept for call-takers."""

    __tablename__ = "sms_inbound"
    __table_args__ = (Index("ix_sms_inbound_sender", "sender", "received_at"),)

    id: Mapped[intpk]
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(20))  # E.164 (or as Twilio gave it)
    body: Mapped[str] = mapped_column(String(1600))
    received_at: Mapped[utc]
    action: Mapped[short_str]  # cancelled, confirmed, opted_out, opted_in, kept, refused
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    reply: Mapped[str] = mapped_column(String(1600), default="")
