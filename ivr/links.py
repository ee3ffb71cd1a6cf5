"""Links a caller asks for by SMS, sent through the outbox in the call's transaction:
a link to book online, or a fresh link to the appointment page to move it."""

import secrets

import phonenumbers
from flask_babel import force_locale
from flask_babel import gettext as _

from app.notify.messages import render
from app.notify.outbox import enqueue
from ivr.calls import Turn
from scheduling.booking import hash_token
from scheduling.enums import ActorKind, Channel, MessageKind
from scheduling.models import Booking
from scheduling.trail import Actor, record

TEXTABLE = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def can_text(number: str | None) -> bool:
    """Whether an SMS can reach ``number`` (a mobile number)."""
    return number is not None and phonenumbers.number_type(phonenumbers.parse(number)) in TEXTABLE


def send_booking_link(turn: Turn) -> None:
    """The online booking page in the caller's language, to the number they call from."""
    assert turn.call.caller is not None  # checked with can_text by the caller
    link = f"{turn.config.public_base_url}/book?lang={turn.call.language}"
    body = render(
        _("Police %(zone)s: make your appointment here: %(link)s"),
        {"zone": turn.config.zone_name, "link": link},
    )
    _send(turn, turn.call.caller, body, booking_id=None)


def send_move_link(turn: Turn, booking: Booking) -> None:
    """A new secret for the appointment page, sent to the appointment's own number (a
    caller who keyed a code may call from another phone). The old link stops working:
    only the secret's hash is stored, so the page can only be reached with a new one."""
    token = secrets.token_urlsafe(24)
    booking.token_hash = hash_token(token)
    local = booking.start_at.astimezone(turn.config.zone)
    with force_locale(booking.language):
        body = render(
            _("Police %(zone)s: move or cancel your appointment of %(moment)s here: %(link)s"),
            {
                "zone": turn.config.zone_name,
                "moment": f"{local:%d/%m %H:%M}",
                "link": f"{turn.config.public_base_url}/appointment/{token}/move",
            },
        )
    _send(turn, booking.citizen_phone, body, booking_id=booking.id, language=booking.language)
    record(
        turn.session,
        actor=Actor(ActorKind.CITIZEN, Channel.PHONE),
        action="link_sent",
        booking=booking,
        now=turn.now,
        details={"call_sid": turn.call.call_sid},
    )


def _send(
    turn: Turn, recipient: str, body: str, *, booking_id: int | None, language: str | None = None
) -> None:
    enqueue(
        turn.session,
        key=f"ivr-link:{turn.call.call_sid}:{turn.reply.step}",
        recipient=recipient,
        body=body,
        language=language or turn.call.language,
        kind=MessageKind.LINK,
        booking_id=booking_id,
        due_at=turn.now,
        now=turn.now,
    )
