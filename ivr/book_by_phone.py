"""Menu 2, make an appointment: a booking link by SMS, or, after postcode and house number
on the keypad, the next three free moments of the caller's wijkagent, booked with a key."""

from datetime import datetime, timedelta

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _

from app import commands
from app.phone import national
from ivr import limits, links, menu
from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.speech import spoken_moment
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import twiml_response
from scheduling.addresses import Address, addresses_at
from scheduling.booking import BookingRequest, Citizen
from scheduling.eligibility import Who, eligible_staff, service_by_code
from scheduling.enums import Channel, LocationKind
from scheduling.errors import SchedulingError, SlotUnavailable
from scheduling.slots import find_slots
from scheduling.trail import Actor

OFFERED = 3
SEARCH_DAYS = 31


def start(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/book")
    for text in (
        _("To get a text message with a link to book online, press 1."),
        _("To hear the next free moments of your wijkagent and book one now, press 2."),
        _("For the main menu, press star."),
    ):
        turn.reply.say(text, into=gather)


def _choice(turn: Turn) -> None:
    match turn.digits:
        case "":
            menu.unanswered(turn, start)
        case "1" if links.can_text(turn.call.caller):
            assert turn.call.caller is not None  # can_text said so
            if limits.may_text(turn.session, turn.call.caller, now=turn.now):
                links.send_booking_link(turn)
                turn.reply.say(_("We have sent a text message with a link to make an appointment."))
                menu.goodbye(turn, "link_sent")
            else:
                turn.reply.say(
                    _("We cannot send more text messages to this number now. Please try later.")
                )
                start(turn)
        case "1":
            turn.reply.say(_("We cannot send a text message to the number you are calling from."))
            start(turn)
        case "2" if turn.call.caller is None:
            turn.reply.say(
                _(
                    "Your number is hidden, so we cannot book for you by phone. Please leave a message."
                )
            )
            menu.menu_prompt(turn)
        case "2":
            ask_postcode(turn)
        case "*":
            menu.menu_prompt(turn)
        case _other:
            menu.wrong_key(turn, start)


def ask_postcode(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/book/postcode", digits=4)
    turn.reply.say(_("Please key in the four digits of your postcode."), into=gather)


def _postcode(turn: Turn) -> None:
    if len(turn.digits) == 4 and turn.digits.isdigit():
        turn.remember(postcode=turn.digits)
        gather = turn.reply.gather("/ivr/book/number", digits=None, finish_on_key="#")
        turn.reply.say(_("Now key in your house number, then the hash key."), into=gather)
    else:
        _retry(turn, _("We did not get a postcode of four digits."))


def _retry(turn: Turn, why: str) -> None:
    """One more try from the postcode, then back to the menu."""
    turn.reply.say(why)
    if not turn.call.state.get("retried"):
        turn.remember(retried=True)
        ask_postcode(turn)
    else:
        menu.menu_prompt(turn)


def _number(turn: Turn) -> None:
    number = turn.digits.replace("*", "")
    postcode = str(turn.call.state.get("postcode", ""))
    try:
        found = addresses_at(turn.session, postcode, number) if number else []
    except SchedulingError:
        found = []
    if not found:
        _retry(turn, _("We do not serve that address."))
    elif len(found) > 1:
        turn.reply.say(
            _("Several wijkagents work in that postcode: we cannot tell yours from the number.")
        )
        start(turn)
    else:
        address = found[0][1]
        turn.remember(address=[address.postcode, address.street, address.number])
        offer(turn)


def _address(turn: Turn) -> Address:
    postcode, street, number = turn.call.state["address"]
    return Address(postcode, street, number)


def offer(turn: Turn) -> None:
    """Read the next free moments of the wijkagent and ask for one."""
    service = service_by_code(turn.session, turn.config.ivr_booking_service)
    staffing = eligible_staff(turn.session, service, Who(address=_address(turn)), turn.now)
    today = turn.now.astimezone(turn.config.zone).date()
    slots = find_slots(
        turn.session,
        service=service,
        staff_ids=staffing,
        covers=staffing.covers,
        first_day=today,
        last_day=today + timedelta(days=SEARCH_DAYS),
        now=turn.now,
        zone=turn.config.zone,
        location=LocationKind.OFFICE,
    )[:OFFERED]
    if not slots:
        turn.reply.say(_("Your wijkagent has no free moment in the coming weeks."))
        start(turn)
        return
    turn.remember(offered=[[s.start.isoformat(), s.staff_ids[0]] for s in slots])
    turn.reply.say(_("The next free moments of your wijkagent are:"))
    read_moments(turn)


def read_moments(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/book/moment")
    for key, (start_at, _staff) in enumerate(turn.call.state["offered"], start=1):
        moment = spoken_moment(
            datetime.fromisoformat(start_at).astimezone(turn.config.zone), turn.call.language
        )
        turn.reply.say(_("For %(moment)s, press %(key)s.", moment=moment, key=key), into=gather)
    turn.reply.say(_("To hear them again, press 0."), into=gather)


def _moment(turn: Turn) -> None:
    offered = turn.call.state.get("offered", [])
    digits = turn.digits
    if not digits:
        menu.unanswered(turn, read_moments)
    elif digits == "0":
        read_moments(turn)
    elif digits.isdigit() and 1 <= int(digits) <= len(offered):
        _book(turn, *offered[int(digits) - 1])
    else:
        menu.wrong_key(turn, read_moments)


def _book(turn: Turn, start_at: str, staff_id: int) -> None:
    caller = turn.call.caller
    assert caller is not None  # a hidden number is stopped before the postcode
    if not limits.may_book(turn):
        turn.reply.say(
            _(
                "This number has booked several appointments in the last hour. Please call "
                "again later, or during the call-takers' hours."
            )
        )
        menu.goodbye(turn, "booking_limit")
        return
    address = _address(turn)
    with force_locale("nl"):  # for the officer, whose pages are in Dutch
        note = _(
            "Booked on the blue number's keypad: postcode %(postcode)s, house number "
            "%(number)s (street not keyed).",
            postcode=address.postcode,
            number=address.number,
        )
    request = BookingRequest(
        service_code=turn.config.ivr_booking_service,
        start=datetime.fromisoformat(start_at),
        staff_id=staff_id,
        location=LocationKind.OFFICE,
        citizen=Citizen(name=national(caller), phone=caller),
        address=address,
        language=turn.call.language,
        topic=note,
    )
    try:
        booked = commands.book(
            turn.session,
            request,
            actor=Actor.citizen(Channel.PHONE),
            now=turn.now,
            config=turn.config,
        )
    except SlotUnavailable:
        turn.reply.say(_("Sorry, that moment was just taken."))
        offer(turn)
        return
    turn.remember(booking_id=booked.booking.id)
    place = booked.booking.site.name if booked.booking.site else _("the police office")
    turn.reply.say(
        _(
            "Your appointment is booked on %(moment)s at %(place)s. You will get a text "
            "message with the details.",
            moment=spoken_moment(
                booked.booking.start_at.astimezone(turn.config.zone), turn.call.language
            ),
            place=place,
        )
    )
    menu.goodbye(turn, "booked")


@bp.post("/book")
@twilio_signed
def book_choice() -> Response:
    return twiml_response(answer("book", _choice))


@bp.post("/book/postcode")
@twilio_signed
def postcode() -> Response:
    return twiml_response(answer("postcode", _postcode))


@bp.post("/book/number")
@twilio_signed
def number() -> Response:
    return twiml_response(answer("number", _number))


@bp.post("/book/moment")
@twilio_signed
def moment() -> Response:
    return twiml_response(answer("moment", _moment))
