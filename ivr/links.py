"""Links a caller asks for by SMS, sent through the outbox in the call's transaction:
a link to book online, or a link to the appointment page to move it (twice a day at most)."""

from datetime import datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import open_link
from app.notify.messages import render
from app.notify.outbox import enqueue
from app.phone import is_mobile
from ivr.calls import Turn
from scheduling.enums import ActorKind, Channel, MessageKind
from scheduling.models import AuditEntry, Booking
from scheduling.trail import Actor, record

LINK_SENT = "link_sent"
# Links to one appointment a day: enough for a citizen who lost the message, and six calls
# by strangers who know the code send two texts, not six.
LINKS_A_DAY = 2


def can_text(number: str | None) -> bool:
    """Whether an SMS can reach ``number`` (a mobile number)."""
    return is_mobile(number)


def send_booking_link(turn: Turn) -> None:
    """The online booking page in the caller's language, to the number they call from."""
    assert turn.call.caller is not None  # checked with can_text by the caller
    link = f"{turn.config.public_base_url}/book?lang={turn.call.language}"
    body = render(
        _("Police %(zone)s: make your appointment here: %(link)s"),
        {"zone": turn.config.zone_name, "link": link},
    )
    _send(turn, turn.call.caller, body, booking_id=None)


def links_sent_today(turn: Turn, booking: Booking) -> int:
    """How many links to ``booking`` the phone menu sent since midnight (zone time)."""
    local = turn.now.astimezone(turn.config.zone)
    midnight = datetime.combine(local.date(), time(), tzinfo=turn.config.zone)
    return int(
        turn.session.scalar(
            select(func.count()).where(
                AuditEntry.booking_id == booking.id,
                AuditEntry.action == LINK_SENT,
                AuditEntry.at >= midnight,
            )
        )
        or 0
    )


def send_appointment_link(turn: Turn, booking: Booking) -> bool:
    """A link to the appointment page, sent to the appointment's own number (a caller who
    keyed a code may call from another phone); False when today's links were sent already.

    The citizen's own link is left as it is (only its hash is stored, so it cannot be sent
    again): this one is a signed link that works for a day (app.open_link)."""
    if links_sent_today(turn, booking) >= LINKS_A_DAY:
        return False
    link = open_link.issue(booking, secret=turn.config.secret_key, now=turn.now)
    local = booking.start_at.astimezone(turn.config.zone)
    with force_locale(booking.language):
        body = render(
            _(
                "Police %(zone)s: move or cancel your appointment of %(moment)s here "
                "(the link works for 24 hours): %(link)s"
            ),
            {
                "zone": turn.config.zone_name,
                "moment": f"{local:%d/%m %H:%M}",
                "link": f"{turn.config.public_base_url}/appointment/{link}/move",
            },
        )
    _send(turn, booking.citizen_phone, body, booking_id=booking.id, language=booking.language)
    record(
        turn.session,
        actor=Actor(ActorKind.CITIZEN, Channel.PHONE),
        action=LINK_SENT,
        booking=booking,
        now=turn.now,
        details={"call_sid": turn.call.call_sid},
    )
    return True


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
