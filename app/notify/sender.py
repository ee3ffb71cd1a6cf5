"""The outbox sender: claims due messages, hands each to the transport, records the outcome.

At most once per idempotency key: a row is claimed (status ``sending``, a lease) and
committed *before* the provider is called, and the provider's answer is committed right
after, one message at a time. Another worker never takes a claimed row while its lease
runs (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: writers are serialised).

A message whose transport raises (a bug, an address a relay library refuses) is recorded as
a retryable error like any other, so the rest of the batch goes on and the attempts are
capped; one whose worker died while sending it is taken again when its lease ends, and given
up after MAX_ATTEMPTS (a message that kills its worker would otherwise be tried forever).
Given up, it shows on the managers' undelivered-messages page with its reason.

The one window for a duplicate: the process dies after Twilio accepted a message and
before its sid is committed (a few milliseconds per message). The row is then still
``sending``; when its lease ends another attempt sends it again. Twilio's Messages API
takes no idempotency key, so this window cannot be closed from our side; closing it the
other way (never retrying a ``sending`` row) would lose messages, which is worse for a
cancellation notice. (E-mail has the same window: the relay took the message, the worker
died before committing.)
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.notify.models import LANDLINE, CallbackTask, OutboxMessage
from app.notify.transports import Accepted, Transport
from app.phone import is_mobile
from scheduling.enums import CallbackStatus, MessageKind, NoticeChannel, OutboxStatus
from scheduling.models import Booking
from scheduling.notices import MAX_ATTEMPTS, SendError, backoff

log = logging.getLogger(__name__)

# A notice the citizen must get: when it cannot be delivered, a call-taker phones instead.
MUST_ARRIVE = frozenset({MessageKind.CANCELLED_BY_STAFF, MessageKind.CHANGED})
# A notice's copies on the other channel that may still arrive (or have).
STILL_GOING = (
    OutboxStatus.PENDING,
    OutboxStatus.SENDING,
    OutboxStatus.SENT,
    OutboxStatus.DELIVERED,
)
NO_MAIL = SendError("smtp", "SMTP is not configured", retryable=False)
# A landline can take no SMS: not handed to Twilio (which would refuse it, 21614, and charge).
NO_MOBILE = SendError(LANDLINE, "not a mobile number", retryable=False)
# However many bookings, moves or link requests any channel makes for one number, at most this
# many SMS reach it per window (an SMS bomb through the booking pages, the API or the phone).
# Staff members' own notices are not capped: a busy officer is no victim.
SMS_CAPS = ((timedelta(hours=1), 6), (timedelta(days=1), 15))
UNCAPPED = frozenset({MessageKind.CANCELLED_BY_CITIZEN})
CAPPED = SendError("capped", "over the hourly or daily SMS cap for this number", retryable=False)
# Why a message whose last attempt never came back was given up (its worker died sending it).
ABANDONED = SendError("abandoned", "the sender stopped during every attempt", retryable=False)


class MailTransport(Protocol):
    def send(self, *, to: str, subject: str, body: str) -> Accepted | SendError: ...


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: NoticeChannel
    recipient: str
    subject: str | None
    body: str


def claim(session: Session, *, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    """Take up to ``limit`` due messages (and those whose sender died: lease over)."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            or_(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.status == OutboxStatus.SENDING,
            ),
            OutboxMessage.next_attempt_at <= now,
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    taken = []
    sent = _recently_sent(session, (r.recipient for r in rows if _capped(r)), now)
    for row in rows:
        if row.status is OutboxStatus.SENDING and row.attempts >= MAX_ATTEMPTS:
            record(session, row.id, ABANDONED, now)  # its lease ran out once too often
            continue
        if _capped(row):
            if any(sent[(row.recipient, w)] >= cap for w, cap in SMS_CAPS):
                record(session, row.id, CAPPED, now)
                continue
            for window, _cap in SMS_CAPS:
                sent[(row.recipient, window)] += 1
        row.status = OutboxStatus.SENDING
        row.attempts += 1
        row.next_attempt_at = now + lease
        taken.append(row)
    session.flush()
    return [Claimed(r.id, r.channel, r.recipient, r.subject, r.body) for r in taken]


def _capped(row: OutboxMessage) -> bool:
    return row.channel is NoticeChannel.SMS and row.kind not in UNCAPPED


def _recently_sent(
    session: Session, recipients: Iterable[str], now: datetime
) -> Counter[tuple[str, timedelta]]:
    """How many SMS each recipient was sent in each cap's window."""
    numbers = set(recipients)
    counts: Counter[tuple[str, timedelta]] = Counter()
    if not numbers:
        return counts
    for window, _cap in SMS_CAPS:
        rows = session.execute(
            select(OutboxMessage.recipient, func.count())
            .where(
                OutboxMessage.recipient.in_(numbers),
                OutboxMessage.channel == NoticeChannel.SMS,
                OutboxMessage.sent_at > now - window,
            )
            .group_by(OutboxMessage.recipient)
        )
        for recipient, count in rows:
            counts[(recipient, window)] = count
    return counts


def record(session: Session, message_id: int, outcome: Accepted | SendError, now: datetime) -> None:
    """Write what the provider said about one claimed message."""
    row = session.get_one(OutboxMessage, message_id)
    if isinstance(outcome, Accepted):
        row.status = OutboxStatus.SENT
        row.provider_sid = outcome.sid
        row.sent_at = now
        row.last_error_code = row.last_error_message = None
        return
    row.last_error_code, row.last_error_message = outcome.code, outcome.message
    if outcome.retryable and row.attempts < MAX_ATTEMPTS:
        row.status = OutboxStatus.PENDING
        row.next_attempt_at = now + backoff(row.attempts)
        return
    row.status = OutboxStatus.FINAL
    what = "E-mail" if row.channel is NoticeChannel.EMAIL else "SMS"
    log.warning("%s %s given up: %s %s", what, row.id, outcome.code, outcome.message)
    undeliverable(session, row, f"{what} not sent ({outcome.code}): {outcome.message}", now)


def _copies(session: Session, row: OutboxMessage) -> list[OutboxMessage]:
    """The notice ``row`` is part of: its SMS and, if any, its e-mail copy."""
    sms_key = row.idempotency_key.removeprefix("email:")
    return list(
        session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.idempotency_key.in_([sms_key, f"email:{sms_key}"])
            )
        )
    )


def undeliverable(session: Session, row: OutboxMessage, reason: str, now: datetime) -> None:
    """A notice that must arrive and will not by any channel: a call-back task (once per
    notice). While its copy on the other channel may still arrive, nobody needs to call."""
    if row.kind not in MUST_ARRIVE or row.booking_id is None:
        return
    # Lock the booking: the two copies failing at once in two workers must not both think
    # the other one is still on its way.
    session.execute(select(Booking.id).where(Booking.id == row.booking_id).with_for_update())
    copies = _copies(session, row)
    if any(c.id != row.id and c.status in STILL_GOING for c in copies):
        return
    exists = session.scalar(
        select(CallbackTask.id).where(CallbackTask.outbox_id.in_([c.id for c in copies]))
    )
    if exists is None:
        session.add(
            CallbackTask(
                booking_id=row.booking_id,
                outbox_id=row.id,
                reason=reason[:500],
                created_at=now,
                status=CallbackStatus.OPEN,
            )
        )
        session.flush()


def send_due(
    sessions: sessionmaker[Session],
    transport: Transport,
    *,
    clock: Callable[[], datetime],
    lease: timedelta,
    batch: int = 50,
    mail: MailTransport | None = None,
) -> int:
    """Send what is due (SMS through ``transport``, e-mail through ``mail``), batch after
    batch, until nothing is; returns how many were tried."""
    tried = 0
    while True:
        with sessions.begin() as session:
            claimed = claim(session, now=clock(), lease=lease, limit=batch)
        if not claimed:
            return tried
        for message in claimed:  # one message's failure never holds up the others
            outcome = _send(message, transport, mail)
            with sessions.begin() as session:
                record(session, message.id, outcome, clock())
            tried += 1


def _send(
    message: Claimed, transport: Transport, mail: MailTransport | None
) -> Accepted | SendError:
    try:
        return _hand_over(message, transport, mail)
    except Exception as exc:  # any bug in a transport is this one message's error
        # The exception's text (and traceback) may quote the recipient: only its type is kept.
        log.error("outbox message %s: the transport raised %s", message.id, type(exc).__name__)
        return SendError("exception", f"the transport raised {type(exc).__name__}", retryable=True)


def _hand_over(
    message: Claimed, transport: Transport, mail: MailTransport | None
) -> Accepted | SendError:
    if message.channel is NoticeChannel.SMS:
        if not is_mobile(message.recipient):
            return NO_MOBILE
        return transport.send(to=message.recipient, body=message.body)
    if mail is None:  # SMTP was switched off after the row was queued
        return NO_MAIL
    return mail.send(to=message.recipient, subject=message.subject or "", body=message.body)
