"""How long personal data is kept, and the daily purge that makes it so (run by the worker).

Two periods, counted in the zone's calendar days (so a DST change moves nothing) and read
from the configuration, which the privacy page (app.web.legal) shows too:

* ``RETENTION_APPOINTMENT_DAYS`` (365): an appointment's personal fields (name, phone,
  e-mail, address, topic, reason of a cancellation or move) and everything about it (the
  SMS and e-mails sent, the SMS replies, call-backs), from the day after the appointment.
  A year lets a citizen come back about a visit (a complaint, "when was the officer here?")
  and the officer find the appointment in their agenda; the booking row itself stays
  without them (start, service, officer, status, channel) for the zone's statistics.
  Invitations lose their phone number a year after they end; SMS not about an appointment
  (an invitation's) go a year after they were written.
* ``RETENTION_CONTACT_DAYS`` (90): calls to the blue number (the caller's number, what the
  menu held for them), voice messages and call-backs, the call-takers' notes, and SMS
  received that are about no appointment. A call-taker sees who called recently; after three
  months that number is no longer needed, only the count of calls (ivr.retention and
  callcenter.retention do their own tables, hearing ``app.signals.personal_data_expired``).

* Per category of the reporting point (``ReportCategory.retention_days``): a finished report
  or question loses its reporter, contact, house number, free texts and photos that many days
  after it was closed (app.reports.retention); category, street and dates stay.

Shorter-lived data is purged hourly by its owner: a web booking's draft answers (two hours,
app.web.draft), the API's replayed answers (API_REPLAY_WINDOW, app.api.idempotency) and rate
limit hits (an hour, hashed, app.ratelimit).

The purge anonymises in place rather than deleting, so statistics and foreign keys survive.
It is batched, one transaction per batch: a killed run leaves whole batches done and the next
run finds the rest by the same test (a personal field still set). Batches are taken with
``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers split the work; SQLite runs one
writer at a time. Running it again changes nothing. Its log line holds counts only.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from app.config import Config
from app.db import rowcount
from app.notify.models import CallbackTask, InboundSms, OutboxMessage
from app.notify.recordings import EraseRecording
from app.reports import retention as reports
from app.signals import personal_data_expired
from scheduling.enums import CallbackStatus, OutboxStatus
from scheduling.models import AuditEntry, Booking, DomainEvent, Invitation
from scheduling.zone_time import first_kept

API_REPLAY_WINDOW = timedelta(hours=24)  # as long as API clients are told to retry
# A booking's or a report's answers so far (app.web.draft, app.meldpunt.draft), after the last
# answer: as long as a session lasts.
DRAFT_LIFETIME = timedelta(hours=2)
BATCH = 500
RECORDINGS_PER_ROUND = 20  # one HTTP call each: short transactions
# Free text staff wrote about a booking's change (audit entries, domain events).
FREE_TEXT_KEYS = ("reason",)


@dataclass(frozen=True)
class Cutoffs:
    """The first instants still kept: what is older goes; and the run's instant and zone,
    for periods set per row (the reporting point's categories), and where its photos are."""

    appointment: datetime
    contact: datetime
    now: datetime
    zone: ZoneInfo
    uploads: Path


def cutoffs(config: Config, now: datetime) -> Cutoffs:
    return Cutoffs(
        appointment=first_kept(now, config.retention_appointment_days, config.zone),
        contact=first_kept(now, config.retention_contact_days, config.zone),
        now=now,
        zone=config.zone,
        uploads=config.report_uploads_dir,
    )


def purge(
    sessions: sessionmaker[Session], config: Config, now: datetime, erase: EraseRecording
) -> Counter[str]:
    """Purge everything past its period, one transaction per round of batches; the counts of
    what was anonymised, per kind. Voice messages are erased at Twilio first (``erase``)."""
    limits = cutoffs(config, now)
    total: Counter[str] = Counter(recordings=erase_recordings(sessions, limits.contact, erase))
    while True:
        with sessions.begin() as session:
            done = purge_round(session, limits, batch=BATCH)
        total.update(done)
        if not any(done.values()):  # each round changes what it takes, so this ends
            return +total


def purge_round(session: Session, limits: Cutoffs, *, batch: int) -> Counter[str]:
    """One batch of every kind, in the caller's transaction."""
    done: Counter[str] = Counter()
    done["bookings"] = _bookings(session, limits.appointment, batch)
    done["messages"] = _messages(session, limits.appointment, batch)
    done["sms_received"] = _sms_received(session, limits.contact, batch)
    done["callbacks"] = _callbacks(session, limits.contact, batch)
    done["invitations"] = _invitations(session, limits.appointment, batch)
    done.update(
        reports.purge_round(
            session, now=limits.now, zone=limits.zone, uploads=limits.uploads, batch=batch
        )
    )
    for _receiver, counts in personal_data_expired.send(
        session, session=session, cutoffs=limits, batch=batch
    ):
        done.update(counts)
    return done


def take(session: Session, query: Select[Any], batch: int) -> list[int]:
    """Up to ``batch`` ids, locked; rows another purge holds are left to it (PostgreSQL)."""
    return list(session.scalars(query.limit(batch).with_for_update(skip_locked=True)))


def anonymise(
    session: Session,
    key: InstrumentedAttribute[int],
    ids: list[int],
    still: ColumnElement[bool],
    **values: Any,
) -> int:
    """Set ``values`` on the rows whose ``key`` is in ``ids`` and that ``still`` hold personal
    data (checked again: a concurrent purge may have done them meanwhile)."""
    if not ids:
        return 0
    result = session.execute(
        update(key.class_).where(key.in_(ids), still).values(**values),
        execution_options={"synchronize_session": False},
    )
    return rowcount(result)


BOOKING_PERSONAL = or_(
    Booking.citizen_name != "",
    Booking.citizen_phone != "",
    Booking.citizen_email.is_not(None),
    Booking.address_street.is_not(None),
    Booking.address_number.is_not(None),
    Booking.address_postcode.is_not(None),
    Booking.topic.is_not(None),
    Booking.cancel_reason.is_not(None),
)


def _bookings(session: Session, before: datetime, batch: int) -> int:
    """A booking's personal fields and, in the same transaction, what was sent, received and
    written about it."""
    ids = take(
        session,
        select(Booking.id).where(Booking.end_at < before, BOOKING_PERSONAL).order_by(Booking.id),
        batch,
    )
    if not ids:
        return 0
    for model in (AuditEntry, DomainEvent):
        column = "details" if model is AuditEntry else "payload"
        for row in session.scalars(select(model).where(model.booking_id.in_(ids))):
            kept = {k: v for k, v in getattr(row, column).items() if k not in FREE_TEXT_KEYS}
            if kept != getattr(row, column):
                setattr(row, column, kept)
    session.flush()
    _anonymise_messages(session, OutboxMessage.booking_id.in_(ids))
    session.execute(
        update(InboundSms)
        .where(InboundSms.booking_id.in_(ids), InboundSms.sender != "")
        .values(sender="", body="", reply=""),
        execution_options={"synchronize_session": False},
    )
    _anonymise_callbacks(session, CallbackTask.booking_id.in_(ids))
    return anonymise(
        session,
        Booking.id,
        ids,
        BOOKING_PERSONAL,
        citizen_name="",
        citizen_phone="",
        citizen_email=None,
        address_postcode=None,
        address_street=None,
        address_number=None,
        topic=None,
        cancel_reason=None,
    )


MESSAGE_PERSONAL = OutboxMessage.recipient != ""
# A message still to go keeps its text until it has gone or been given up.
MESSAGE_SETTLED = OutboxMessage.status.not_in((OutboxStatus.PENDING, OutboxStatus.SENDING))


def _anonymise_messages(session: Session, which: ColumnElement[bool]) -> int:
    result = session.execute(
        update(OutboxMessage)
        .where(which, MESSAGE_PERSONAL, MESSAGE_SETTLED)
        .values(recipient="", subject=None, body="", last_error_message=None),
        execution_options={"synchronize_session": False},
    )
    return rowcount(result)


def _messages(session: Session, before: datetime, batch: int) -> int:
    """SMS and e-mails about no appointment (an invitation's), a period after they were
    written; those about an appointment go with it (``_bookings``)."""
    ids = take(
        session,
        select(OutboxMessage.id)
        .where(
            OutboxMessage.booking_id.is_(None),
            OutboxMessage.created_at < before,
            MESSAGE_PERSONAL,
            MESSAGE_SETTLED,
        )
        .order_by(OutboxMessage.id),
        batch,
    )
    return _anonymise_messages(session, OutboxMessage.id.in_(ids)) if ids else 0


def _sms_received(session: Session, before: datetime, batch: int) -> int:
    """SMS received about no appointment (those about one go with it)."""
    ids = take(
        session,
        select(InboundSms.id)
        .where(
            InboundSms.booking_id.is_(None),
            InboundSms.received_at < before,
            InboundSms.sender != "",
        )
        .order_by(InboundSms.id),
        batch,
    )
    return anonymise(
        session, InboundSms.id, ids, InboundSms.sender != "", sender="", body="", reply=""
    )


# The recording's sid and URL go with the audio (erase_recordings), not here.
CALLBACK_PERSONAL = or_(
    CallbackTask.phone.is_not(None),
    CallbackTask.transcription.is_not(None),
    CallbackTask.reason != "",
)


def _anonymise_callbacks(session: Session, which: ColumnElement[bool]) -> int:
    """A call-back without a number or message can no longer be made: it is closed too."""
    result = session.execute(
        update(CallbackTask)
        .where(which, CALLBACK_PERSONAL)
        .values(
            phone=None,
            transcription=None,
            reason="",
            status=CallbackStatus.DONE,
        ),
        execution_options={"synchronize_session": False},
    )
    return rowcount(result)


def erase_recordings(
    sessions: sessionmaker[Session], before: datetime, erase: EraseRecording
) -> int:
    """Voice messages past the contact period, erased at Twilio and then forgotten here, a
    few per transaction. At the first one Twilio does not erase (unreachable, refusing), the
    rest wait for the next run: their call-backs keep the sid, so no audio is ever orphaned."""
    erased = 0
    while True:
        with sessions.begin() as session:
            due = session.execute(
                select(CallbackTask.id, CallbackTask.recording_sid)
                .where(CallbackTask.created_at < before, CallbackTask.recording_sid.is_not(None))
                .order_by(CallbackTask.id)
                .limit(RECORDINGS_PER_ROUND)
                .with_for_update(skip_locked=True)
            ).all()
            if not due:
                return erased
            for task_id, sid in due:
                if not erase(sid):
                    return erased
                session.execute(
                    update(CallbackTask)
                    .where(CallbackTask.id == task_id)
                    .values(recording_sid=None, recording_url=None),
                    execution_options={"synchronize_session": False},
                )
                erased += 1


def _callbacks(session: Session, before: datetime, batch: int) -> int:
    """Call-backs and voice messages, a contact period after they came in; one whose
    recording is still at Twilio waits for it (``erase_recordings``)."""
    ids = take(
        session,
        select(CallbackTask.id)
        .where(
            CallbackTask.created_at < before,
            CALLBACK_PERSONAL,
            CallbackTask.recording_sid.is_(None),
        )
        .order_by(CallbackTask.id),
        batch,
    )
    return _anonymise_callbacks(session, CallbackTask.id.in_(ids)) if ids else 0


def _invitations(session: Session, before: datetime, batch: int) -> int:
    """An invitation's phone number, a period after it ended."""
    ids = take(
        session,
        select(Invitation.id)
        .where(Invitation.valid_until < before, Invitation.phone.is_not(None))
        .order_by(Invitation.id),
        batch,
    )
    return anonymise(session, Invitation.id, ids, Invitation.phone.is_not(None), phone=None)
