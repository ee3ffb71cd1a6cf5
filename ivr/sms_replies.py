"""``POST /sms/inbound``: what citizens answer to our SMS.

ANNULEER/ANNULER/CANCEL cancels the appointment the last message was about, JA/OUI/YES
records that they will come, or, when the last message was an earlier moment offered
(app.earlier.offers), JA takes it (the booking moves) and NEE/NON/NO lets it pass on, STOP/START switch reminders off and on, anything else is
kept for the call-takers. Each Twilio message sid acts once: a replay gets the same answer.
"""

from datetime import UTC, datetime

from flask import Response
from flask import request as flask_request
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session
from twilio.twiml.messaging_response import MessagingResponse

from app import commands, current, ratelimit
from app.db import get_session
from app.earlier import offers
from app.notify.earlier import offer_of_key
from app.notify.messages import render
from app.notify.models import InboundSms, OutboxMessage
from app.phone import e164_or_none, national
from app.text import plain
from ivr.sms import bp
from ivr.telephony.signature import twilio_signed
from scheduling.enums import BookingStatus, Channel, MessageKind, NoticeChannel, OutboxStatus
from scheduling.errors import SchedulingError
from scheduling.models import Booking
from scheduling.trail import Actor, record

CANCEL = {"ANNULEER": "nl", "ANNULER": "fr", "CANCEL": "en"}
YES = {"JA": "nl", "OUI": "fr", "YES": "en"}
OPT = {"STOP": "opted_out", "START": "opted_in"}
NO = {"NEE": "nl", "NON": "fr", "NO": "en"}
SENT = (OutboxStatus.SENT, OutboxStatus.DELIVERED, OutboxStatus.FAILED)


def _sender(raw: str) -> str:
    """The sender as E.164, or a sender name (an alphanumeric sender id)."""
    return e164_or_none(raw) or plain(raw[:20], multiline=False)


def _last_booking(session: Session, sender: str) -> Booking | None:
    """The booking of the last message we sent to this number."""
    booking_id = session.scalar(
        select(OutboxMessage.booking_id)
        .where(
            OutboxMessage.recipient == sender,
            OutboxMessage.booking_id.is_not(None),
            OutboxMessage.status.in_(
                [OutboxStatus.SENT, OutboxStatus.DELIVERED, OutboxStatus.FAILED]
            ),
        )
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return session.get(Booking, booking_id) if booking_id is not None else None


def _offer_asked(session: Session, sender: str) -> int | None:
    """The offer of an earlier moment when that is the last SMS this number got (by the
    time it went out: a reminder queued days ago may leave after the offer)."""
    last = session.execute(
        select(OutboxMessage.kind, OutboxMessage.idempotency_key)
        .where(
            OutboxMessage.recipient == sender,
            OutboxMessage.channel == NoticeChannel.SMS,
            OutboxMessage.status.in_(SENT),
        )
        .order_by(OutboxMessage.sent_at.desc().nulls_last(), OutboxMessage.id.desc())
        .limit(1)
    ).first()
    if last is None or last.kind is not MessageKind.EARLIER_OFFER:
        return None
    return offer_of_key(last.idempotency_key)


def _answer_offer(
    session: Session, offer_id: int, word: str, sender: str, now: datetime
) -> tuple[str, Booking | None, str]:
    """JA or NEE to an earlier moment offered (a few an hour per number at most)."""
    if not ratelimit.take(session, "earlier-reply-phone", sender, now=now):
        return "refused", None, gettext("Too many messages from this number. Please call %(blue)s.")
    if word in NO:
        answer = offers.decline(session, offer_id, now=now)
        return (
            "earlier_declined",
            answer.booking,
            gettext(
                "Understood: you keep your appointment of %(day)s at %(time)s. We will tell "
                "you if another earlier moment frees up."
            ),
        )
    answer = offers.accept(session, offer_id, now=now, config=current.config())
    if answer.outcome == "moved":
        return (
            "earlier_moved",
            answer.booking,
            gettext("Done: your appointment is moved to %(day)s at %(time)s."),
        )
    return (
        "earlier_gone",
        answer.booking,
        gettext(
            "This moment is no longer free. You keep your appointment of %(day)s at "
            "%(time)s; we will tell you if another earlier moment frees up."
        ),
    )


def _values(booking: Booking | None) -> dict[str, str]:
    config = current.config()
    blue = national(config.twilio_from_number)
    values = {"blue": blue, "day": "", "time": ""}
    if booking is not None:
        local = booking.start_at.astimezone(config.zone)
        values.update(day=f"{local:%d/%m}", time=f"{local:%H:%M}")
    return values


def _act(
    session: Session, word: str, sender: str, now: datetime
) -> tuple[str, Booking | None, str]:
    """(action, booking, reply template) for one message."""
    if word in YES or word in NO:
        offer_id = _offer_asked(session, sender)
        if offer_id is not None:
            return _answer_offer(session, offer_id, word, sender, now)
    booking = _last_booking(session, sender)
    live = booking is not None and booking.status is BookingStatus.CONFIRMED
    if word in OPT:
        if word == "STOP":
            return (
                OPT[word],
                booking,
                gettext("You will no longer get reminders. Send START to get them again."),
            )
        return OPT[word], booking, gettext("You will get reminders again.")
    if (word in CANCEL or word in YES) and (
        booking is None
        or booking.start_at <= now
        or not (live or booking.status is BookingStatus.CANCELLED)
    ):
        return (
            "refused",
            booking,
            gettext("We found no coming appointment for this number. Please call %(blue)s."),
        )
    if word in CANCEL and booking is not None:
        try:
            commands.cancel(session, booking, actor=Actor.citizen(Channel.SMS), now=now)
        except SchedulingError:
            return (
                "refused",
                booking,
                gettext("Your appointment is too close to cancel by SMS: please call %(blue)s."),
            )
        return (
            "cancelled",
            booking,
            gettext("Your appointment of %(day)s at %(time)s is cancelled. Questions: %(blue)s"),
        )
    if word in YES and booking is not None:
        if not live:
            return (
                "refused",
                booking,
                gettext("This appointment was cancelled. To book again, call %(blue)s."),
            )
        record(
            session,
            actor=Actor.citizen(Channel.SMS),
            action="attendance_confirmed",
            booking=booking,
            now=now,
        )
        return "confirmed", booking, gettext("Thank you: we expect you on %(day)s at %(time)s.")
    return (
        "kept",
        booking,
        gettext(
            "Thank you, a call-taker will read your message. Questions: %(blue)s. "
            "Emergency: 112, police: 101."
        ),
    )


@bp.post("/inbound")
@twilio_signed
def inbound() -> Response:
    form = flask_request.form
    session = get_session()
    sid = form.get("MessageSid", "")[:64]
    seen = session.scalar(select(InboundSms).where(InboundSms.message_sid == sid))
    if seen is None:
        now = datetime.now(UTC)
        sender = _sender(form.get("From", ""))
        text = plain(form.get("Body", "")[:1600])  # kept, less what no field may hold
        word = (text.strip().split() or [""])[0].upper().strip(".!")
        booking = _last_booking(session, sender)
        language = (
            booking.language
            if booking is not None
            else CANCEL.get(word) or YES.get(word) or NO.get(word) or "nl"
        )
        with force_locale(language):
            action, booking, template = _act(session, word, sender, now)
        reply = render(template, _values(booking))
        seen = InboundSms(
            message_sid=sid,
            sender=sender,
            body=text,
            received_at=now,
            action=action,
            booking_id=booking.id if booking is not None else None,
            reply=reply,
        )
        session.add(seen)
        session.flush()
    answer = MessagingResponse()
    answer.message(seen.reply)
    return Response(str(answer), mimetype="text/xml")
