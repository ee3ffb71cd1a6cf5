"""Menu 1, your appointment: found by the caller's number or their booking code, read out
as people say it, then confirmed, cancelled (the officer is told) or moved by SMS link."""

from flask import Response
from flask_babel import gettext as _
from sqlalchemy import select

from app import commands
from ivr import links, menu
from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.signature import twilio_signed
from ivr.speech import spoken_moment
from ivr.twiml import twiml_response
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
        _found(turn, booking)


def ask_code(turn: Turn, attempt: int = 1) -> None:
    gather = turn.reply.gather(
        "/ivr/appointment/code", digits=None, finish_on_key="#", attempt=attempt
    )
    turn.reply.say(
        _("Please key in the nine digits of your booking code, then the hash key."), into=gather
    )


def _found(turn: Turn, booking: Booking) -> None:
    turn.remember(booking_id=booking.id)
    read_out(turn)


def _moment(turn: Turn, booking: Booking) -> str:
    return spoken_moment(booking.start_at.astimezone(turn.config.zone), turn.call.language)


def read_out(turn: Turn) -> None:
    booking = turn.booking()
    assert booking is not None  # every caller of read_out has found one
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
    booking = None
    if is_valid_reference(code):
        booking = turn.session.scalar(select(Booking).where(Booking.reference == code))
    if booking is not None and _coming(turn, booking):
        _found(turn, booking)
    elif turn.args.get("attempt") == "1":
        turn.reply.say(
            _("We do not know a coming appointment with that code.")
            if code
            else _("We did not hear a code.")
        )
        ask_code(turn, attempt=2)
    else:
        turn.reply.say(
            _(
                "We still do not know that code. You find it in the text message about "
                "your appointment."
            )
        )
        menu.menu_prompt(turn)


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
            gather = turn.reply.gather("/ivr/appointment/cancel")
            turn.reply.say(
                _(
                    "To cancel your appointment on %(moment)s, press 1. To keep it, press 2.",
                    moment=_moment(turn, booking),
                ),
                into=gather,
            )
        case "3":
            links.send_move_link(turn, booking)
            turn.reply.say(_("We have sent a text message with a link to move your appointment."))
            menu.goodbye(turn, "link_sent")
        case "0":
            read_out(turn)
        case "*":
            menu.menu_prompt(turn)
        case _other:
            menu.wrong_key(turn, options)


def _cancel(turn: Turn) -> None:
    booking = turn.booking()
    if booking is None or not _coming(turn, booking) or turn.digits != "1":
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
    return twiml_response(answer("code", _code))


@bp.post("/appointment/choice")
@twilio_signed
def choice() -> Response:
    return twiml_response(answer("appointment", _choice))


@bp.post("/appointment/cancel")
@twilio_signed
def cancel_appointment() -> Response:
    return twiml_response(answer("cancel", _cancel))
