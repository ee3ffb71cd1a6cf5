"""Menu 1, your appointment: found by the caller's number or their booking code, read out
as people say it, then confirmed, cancelled (the officer is told) or moved by SMS link.

A caller ID can be forged, so the number alone only lets the caller hear the day and time
(and confirm they will come); cancelling or getting the link asks the booking code first.
Wrong codes are counted per calling number in the database (ivr.limits): after three in
an hour the caller is put through to a call-taker, or may leave a message, never asked again.
"""

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select

from app import commands
from ivr import limits, links, menu, message, queue
from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.speech import spoken_moment
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import twiml_response
from scheduling.booking import is_valid_reference
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.errors import SchedulingError
from scheduling.models import Booking
from scheduling.trail import Actor, record

CALLER = Actor.citizen(Channel.PHONE)


def _coming(turn: Turn, booking: Booking | None) -> bool:
    return (
        booking is not None
        and booking.status is BookingStatus.CONFIRMED
        and booking.start_at > turn.now
    )


def start(turn: Turn) -> None:
    """The caller's next appointment by their number, else their booking code."""
    booking = None
    if turn.call.caller is not None:
        booking = turn.session.scalar(
            select(Booking)
            .where(
                Booking.citizen_phone == turn.call.caller,
                Booking.status == BookingStatus.CONFIRMED,
                Booking.start_at > turn.now,
            )
            .order_by(Booking.start_at)
            .limit(1)
        )
    if booking is None:
        ask_code(turn)
    else:
        turn.remember(booking_id=booking.id, after_code=None)
        read_out(turn)


def ask_code(turn: Turn) -> None:
    if limits.codes_used_up(turn):
        _no_more_codes(turn)
        return
    gather = turn.reply.gather("/ivr/appointment/code", digits=None, finish_on_key="#")
    turn.reply.say(
        _("Please key in the nine digits of your booking code, then the hash key."), into=gather
    )


def _no_more_codes(turn: Turn) -> None:
    """No more tries for this number: a person can check who is calling."""
    turn.reply.say(_("For your safety, we cannot take more booking codes from this number now."))
    if queue.on_duty(turn):
        queue.enqueue(turn, "appointment")
    else:
        turn.reply.say(_("Please leave a message: we will call you back."))
        message.start(turn)


def _verified(turn: Turn, booking: Booking) -> bool:
    """Whether the caller keyed in this appointment's code during this call."""
    return bool(turn.call.state.get("verified") == booking.id)


def _moment(turn: Turn, booking: Booking) -> str:
    return spoken_moment(booking.start_at.astimezone(turn.config.zone), turn.call.language)


def read_out(turn: Turn) -> None:
    booking = turn.booking()
    assert booking is not None  # every caller of read_out has found one
    if not _verified(turn, booking):  # found by a caller ID only: the day and time
        turn.reply.say(_("Your appointment is on %(moment)s.", moment=_moment(turn, booking)))
        options(turn)
        return
    if booking.location is LocationKind.OFFICE and booking.site is not None:
        place = _("at %(site)s", site=booking.site.name)
    elif booking.location is LocationKind.OFFICE:
        place = _("at the police office")
    else:
        place = _("at your address")
    turn.reply.say(
        _(
            "Your appointment is on %(moment)s, %(place)s, with %(officer)s.",
            moment=_moment(turn, booking),
            place=place,
            officer=booking.staff.name,
        )
    )
    options(turn)


def options(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/appointment/choice")
    for text in (
        _("To confirm that you will come, press 1."),
        _("To cancel it, press 2."),
        _("To get a text message with a link to move it, press 3."),
        _("To hear it again, press 0. For the main menu, press star."),
    ):
        turn.reply.say(text, into=gather)


def _code(turn: Turn) -> None:
    code = turn.digits.replace("*", "")
    if not code:  # silence is no guess: asked once more, then the menu
        turn.reply.say(_("We did not hear a code."))
        ask_code(turn) if turn.quiet == 1 else menu.menu_prompt(turn)
        return
    if limits.codes_used_up(turn):  # meanwhile, by another call from this number
        _no_more_codes(turn)
        return
    booking = None
    if is_valid_reference(code):
        booking = turn.session.scalar(select(Booking).where(Booking.reference == code))
    if booking is None or not _coming(turn, booking):
        if limits.wrong_code(turn):
            _no_more_codes(turn)
        else:
            turn.reply.say(_("We do not know a coming appointment with that code."))
            ask_code(turn)
        return
    then = turn.call.state.get("after_code")
    if turn.call.state.get("booking_id") != booking.id:
        then = None  # another appointment than the one read out: hear it first
    turn.remember(booking_id=booking.id, verified=booking.id, after_code=None)
    if then == "cancel":
        _cancel_question(turn, booking)
    elif then == "link":
        _link(turn, booking)
    else:
        read_out(turn)


def _with_code(turn: Turn, booking: Booking, then: str) -> bool:
    """Whether the caller may ``then`` (cancel, link) now; if not, the code is asked."""
    if _verified(turn, booking):
        return True
    turn.remember(after_code=then)
    turn.reply.say(
        _(
            "For this we first need your booking code. You find it in our text messages "
            "and on your appointment page."
        )
    )
    ask_code(turn)
    return False


def _cancel_question(turn: Turn, booking: Booking) -> None:
    gather = turn.reply.gather("/ivr/appointment/cancel")
    turn.reply.say(
        _(
            "To cancel your appointment on %(moment)s, press 1. To keep it, press 2.",
            moment=_moment(turn, booking),
        ),
        into=gather,
    )


def _link(turn: Turn, booking: Booking) -> None:
    if links.send_appointment_link(turn, booking):
        turn.reply.say(_("We have sent a text message with a link to move your appointment."))
        menu.goodbye(turn, "link_sent")
    else:
        turn.reply.say(
            _(
                "We have already sent you this link twice today. Please use one of those "
                "text messages, or call again tomorrow."
            )
        )
        options(turn)


def _choice(turn: Turn) -> None:
    booking = turn.booking()
    if booking is None or not _coming(turn, booking):
        turn.reply.say(_("This appointment can no longer be changed by phone."))
        menu.menu_prompt(turn)
        return
    match turn.digits:
        case "":
            menu.unanswered(turn, options)
        case "1":
            record(
                turn.session,
                actor=CALLER,
                action="attendance_confirmed",
                booking=booking,
                now=turn.now,
                details={"call_sid": turn.call.call_sid},
            )
            turn.reply.say(
                _("Thank you. We expect you on %(moment)s.", moment=_moment(turn, booking))
            )
            menu.goodbye(turn, "confirmed")
        case "2":
            if _with_code(turn, booking, "cancel"):
                _cancel_question(turn, booking)
        case "3":
            if _with_code(turn, booking, "link"):
                _link(turn, booking)
        case "0":
            read_out(turn)
        case "*":
            menu.menu_prompt(turn)
        case _other:
            menu.wrong_key(turn, options)


def _cancel(turn: Turn) -> None:
    booking = turn.booking()
    if (
        booking is None
        or not _coming(turn, booking)
        or not _verified(turn, booking)
        or turn.digits != "1"
    ):
        turn.reply.say(_("Your appointment is kept."))
        menu.goodbye(turn, "kept")
        return
    try:
        commands.cancel(
            turn.session,
            booking,
            actor=CALLER,
            now=turn.now,
            details={"call_sid": turn.call.call_sid},
        )
    except SchedulingError:
        turn.reply.say(
            _(
                "Your appointment is too close to cancel in this menu. Please leave a "
                "message, or call during the call-takers' hours."
            )
        )
        menu.menu_prompt(turn)
        return
    turn.reply.say(_("Your appointment is cancelled. We let the officer know."))
    menu.goodbye(turn, "cancelled")


@bp.post("/appointment/code")
@twilio_signed
def code() -> Response:
    return twiml_response(answer("code", _code, secret=True))


@bp.post("/appointment/choice")
@twilio_signed
def choice() -> Response:
    return twiml_response(answer("appointment", _choice))


@bp.post("/appointment/cancel")
@twilio_signed
def cancel_appointment() -> Response:
    return twiml_response(answer("cancel", _cancel))
