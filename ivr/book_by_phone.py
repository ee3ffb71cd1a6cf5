"""Menu 2, make an appointment: a booking link by SMS, or, after postcode, house number and
the street (its first letters on the keypad, then chosen from the streets read out: a
booking never carries a street the caller did not choose), the next three free moments of
the caller's wijkagent, booked with a key; a caller on a mobile number is then asked whether
to be texted an earlier moment that frees up. A caller whose street the keypad cannot find is
offered the SMS link, a call-taker (in their hours) or a message."""

from datetime import datetime, timedelta

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _

from app import commands, round_marks
from app.earlier.wishes import Wish
from app.phone import national
from ivr import limits, links, menu, message, queue
from ivr.blueprint import bp
from ivr.calls import Turn, answer
from ivr.speech import spoken_moment
from ivr.streets import streets_by_keys
from ivr.telephony.signature import twilio_signed
from ivr.telephony.twiml import twiml_response
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen
from scheduling.eligibility import Who, eligible_staff, service_by_code
from scheduling.enums import Channel, LocationKind
from scheduling.errors import SchedulingError, SlotUnavailable
from scheduling.slots import Slot, find_slots, round_order
from scheduling.trail import Actor

OFFERED = 3
SEARCH_DAYS = 31
STREETS_READ = 3  # a page of streets: what a caller keeps in mind while choosing
STREETS_KEPT = 3 * STREETS_READ  # more than this: the caller keys in more letters
MORE_STREETS = "9"


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
        case "1":
            _text_link(turn, start)
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


def _text_link(turn: Turn, otherwise: menu.Prompt) -> None:
    """The booking link by SMS to the caller's mobile number; else why not, and ``otherwise``."""
    if not links.can_text(turn.call.caller):
        turn.reply.say(_("We cannot send a text message to the number you are calling from."))
        otherwise(turn)
    elif limits.may_text(turn.session, turn.call.caller or "", now=turn.now):
        links.send_booking_link(turn)
        turn.reply.say(_("We have sent a text message with a link to make an appointment."))
        menu.goodbye(turn, "link_sent")
    else:
        turn.reply.say(_("We cannot send more text messages to this number now. Please try later."))
        otherwise(turn)


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
    if not number or not streets_by_keys(turn.session, postcode, number, ""):
        _retry(turn, _("We do not serve that address."))
        return
    turn.remember(number=number, letters_retried=False)
    ask_letters(turn)


def ask_letters(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/book/letters", digits=None, finish_on_key="#")
    turn.reply.say(
        _(
            "Now key in the first three letters of your street, one key per letter as in a "
            "text message: 2 for A, B or C, 3 for D, E or F, and so on. Then press the hash key."
        ),
        into=gather,
    )


def _letters(turn: Turn) -> None:
    keys = "".join(k for k in turn.digits if k in "23456789")
    postcode, number = str(turn.call.state["postcode"]), str(turn.call.state["number"])
    streets = streets_by_keys(turn.session, postcode, number, keys) if keys else []
    if not streets:
        turn.reply.say(_("We found no street with that house number and those letters."))
        if turn.call.state.get("letters_retried"):
            other_ways(turn)
        else:
            turn.remember(letters_retried=True)
            ask_letters(turn)
    elif len(streets) > STREETS_KEPT:
        turn.reply.say(_("Many streets begin with those letters."))
        ask_letters(turn)
    else:
        turn.remember(streets=streets, page=0)
        read_streets(turn)


def read_streets(turn: Turn) -> None:
    """A page of streets, each with its key; 9 the next page, 0 none of these."""
    streets, page = turn.call.state["streets"], int(turn.call.state["page"])
    gather = turn.reply.gather("/ivr/book/street")
    shown = streets[page * STREETS_READ : (page + 1) * STREETS_READ]
    for key, street in enumerate(shown, start=1):
        turn.reply.say(_("For %(street)s, press %(key)s.", street=street, key=key), into=gather)
    if len(streets) > (page + 1) * STREETS_READ:
        turn.reply.say(_("For more streets, press 9."), into=gather)
    turn.reply.say(_("If your street is not among them, press 0."), into=gather)


def _street(turn: Turn) -> None:
    streets, page = turn.call.state.get("streets", []), int(turn.call.state.get("page", 0))
    shown = streets[page * STREETS_READ : (page + 1) * STREETS_READ]
    digits = turn.digits
    if not digits:
        menu.unanswered(turn, read_streets)
    elif digits == MORE_STREETS and len(streets) > (page + 1) * STREETS_READ:
        turn.remember(page=page + 1)
        read_streets(turn)
    elif digits == "0":
        other_ways(turn)
    elif digits.isdigit() and 1 <= int(digits) <= len(shown):
        postcode, number = turn.call.state["postcode"], turn.call.state["number"]
        turn.remember(address=[postcode, shown[int(digits) - 1], number])
        offer(turn)
    else:
        menu.wrong_key(turn, read_streets)


def other_ways(turn: Turn) -> None:
    """The street cannot be found with the keypad: the link by SMS, a person, a message."""
    gather = turn.reply.gather("/ivr/book/other")
    turn.reply.say(_("To get a text message with a link to book online, press 1."), into=gather)
    if queue.on_duty(turn):
        turn.reply.say(_("To speak to a call-taker, press 0."), into=gather)
    else:
        turn.reply.say(_("To leave a message so that we call you back, press 3."), into=gather)
    turn.reply.say(_("For the main menu, press star."), into=gather)


def _other_way(turn: Turn) -> None:
    match turn.digits:
        case "":
            menu.unanswered(turn, other_ways)
        case "1":
            _text_link(turn, other_ways)
        case "0" if queue.on_duty(turn):
            queue.enqueue(turn, "appointment")
        case "3":
            message.start(turn)
        case "*":
            menu.menu_prompt(turn)
        case _other:
            menu.wrong_key(turn, other_ways)


def _address(turn: Turn) -> Address:
    postcode, street, number = turn.call.state["address"]
    return Address(postcode, street, number)


def offer(turn: Turn) -> None:
    """Read the next free moments of the wijkagent and ask for one."""
    service = service_by_code(turn.session, turn.config.ivr_booking_service)
    staffing = eligible_staff(turn.session, service, Who(address=_address(turn)), turn.now)
    today = turn.now.astimezone(turn.config.zone).date()
    # Moments on the officer's round first, as every channel offers them.
    slots = round_order(
        find_slots(
            turn.session,
            service=service,
            staff_ids=staffing,
            covers=staffing.covers,
            place=staffing.place,
            first_day=today,
            last_day=today + timedelta(days=SEARCH_DAYS),
            now=turn.now,
            zone=turn.config.zone,
            location=LocationKind.OFFICE,
        )
    )[:OFFERED]
    if not slots:
        turn.reply.say(_("Your wijkagent has no free moment in the coming weeks."))
        start(turn)
        return
    marks = round_marks.villages(turn.session, slots, place=staffing.place)
    turn.remember(offered=[_offered(s, marks.get(s)) for s in slots])
    turn.reply.say(_("The next free moments of your wijkagent are:"))
    read_moments(turn)


def _offered(slot: Slot, village: str | None) -> list[str | int | None]:
    """What the call keeps of a moment read out: its start, officer, and the village of the
    officer's round it is on (None when it is on none)."""
    return [slot.start.isoformat(), slot.staff_ids[0], village]


def read_moments(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/book/moment")
    for key, (start_at, _staff, *village) in enumerate(turn.call.state["offered"], start=1):
        moment = spoken_moment(
            datetime.fromisoformat(start_at).astimezone(turn.config.zone), turn.call.language
        )
        turn.reply.say(_("For %(moment)s, press %(key)s.", moment=moment, key=key), into=gather)
        if village and village[0]:  # a call that began before rounds keeps two fields
            said = round_marks.already_in_village(
                datetime.fromisoformat(start_at), village[0], turn.config.zone
            )
            turn.reply.say(said, into=gather)
    turn.reply.say(_("To hear them again, press 0."), into=gather)


def _moment(turn: Turn) -> None:
    offered = turn.call.state.get("offered", [])
    digits = turn.digits
    if not digits:
        menu.unanswered(turn, read_moments)
    elif digits == "0":
        read_moments(turn)
    elif digits.isdigit() and 1 <= int(digits) <= len(offered):
        start_at, staff_id = offered[int(digits) - 1][:2]
        _book(turn, start_at, staff_id)
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
        note = _("Booked on the blue number's keypad: the street chosen from a list read out.")
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
    if links.can_text(caller):  # an offer comes by SMS: a landline is not asked
        ask_earlier(turn)
    else:
        menu.goodbye(turn, "booked")


def ask_earlier(turn: Turn) -> None:
    gather = turn.reply.gather("/ivr/book/earlier")
    turn.reply.say(
        _("To get a text message if an earlier moment frees up, press 1. Otherwise press 2."),
        into=gather,
    )


def _earlier(turn: Turn) -> None:
    """1: wait for an earlier moment anywhere the service is given; 2: no. The appointment is
    booked either way, so silence twice ends the call without a wish."""
    booking = turn.booking()
    match turn.digits:
        case "" if turn.quiet == 1:
            turn.reply.say(_("Sorry, we did not hear a choice."))
            ask_earlier(turn)
        case "":
            menu.goodbye(turn, "booked")
        case "1" if booking is not None:
            try:
                commands.ask_earlier(
                    turn.session,
                    booking,
                    Wish(),
                    actor=Actor.citizen(Channel.PHONE),
                    now=turn.now,
                    zone=turn.config.zone,
                )
            except SchedulingError:  # no longer coming (cancelled meanwhile): nothing to wait for
                turn.reply.say(_("We cannot do that for this appointment any more."))
            else:
                turn.reply.say(_("We will text you if an earlier moment frees up."))
            menu.goodbye(turn, "booked")
        case "2":
            menu.goodbye(turn, "booked")
        case _other:
            menu.wrong_key(turn, ask_earlier)


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


@bp.post("/book/letters")
@twilio_signed
def letters() -> Response:
    return twiml_response(answer("letters", _letters))


@bp.post("/book/street")
@twilio_signed
def street() -> Response:
    return twiml_response(answer("street", _street))


@bp.post("/book/other")
@twilio_signed
def other() -> Response:
    return twiml_response(answer("book_other", _other_way))


@bp.post("/book/moment")
@twilio_signed
def moment() -> Response:
    return twiml_response(answer("moment", _moment))


@bp.post("/book/earlier")
@twilio_signed
def earlier() -> Response:
    return twiml_response(answer("book_earlier", _earlier))
