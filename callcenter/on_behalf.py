"""Booking and moving an appointment on a caller's behalf, through the same engine as the
web and the keypad: the call-taker is the actor and the channel is "phone"; the citizen
gets the same SMS as when they book or are moved themselves."""

from datetime import UTC, datetime

from flask import flash, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app import commands, current, ratelimit
from app.config import Config
from app.db import get_session
from app.email_address import normalized_email
from app.forms import not_plain_message
from app.staff.access import get_visible, staff_required
from app.values import parse_moment
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.caller import REASON_MAX, back_to, not_plain, one_line, page_of
from callcenter.models import TakenCall
from callcenter.moments import moments_to_book, moments_to_move
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.errors import InvalidRequest, SchedulingError, SlotUnavailable
from scheduling.models import Booking, Staff
from scheduling.trail import Actor

Answer = tuple[str, int] | WerkzeugResponse


def _config() -> Config:
    config: Config = current.config()
    return config


def _callers_booking(taken: TakenCall, booking_id: int) -> Booking | None:
    """One of the caller's live appointments (matched by the number they call from)."""
    booking = get_session().get(Booking, booking_id)
    if booking is None or taken.call.caller is None or booking.citizen_phone != taken.call.caller:
        return None
    return booking if booking.status is BookingStatus.CONFIRMED else None


def _moment() -> tuple[datetime, int] | None:
    """The chosen moment: its start (UTC) and the staff member, from ``start|staff``."""
    chosen = parse_moment(request.form.get("moment", ""))
    if chosen is None:
        return None
    return chosen[0].astimezone(UTC), chosen[1]


ADDRESS = ("postcode", "street", "number")


def _address() -> Address | None:
    postcode, street, number = (one_line(n) for n in ADDRESS)
    if not (postcode.isdigit() and len(postcode) == 4 and street and number and len(street) <= 200):
        return None
    return Address(postcode, street, number[:12])


def _email() -> str | None:
    """The optional address for the e-mail copy, normalized; InvalidRequest when it is not
    exactly one address."""
    typed = one_line("email")
    return normalized_email(typed) if typed else None


@bp.post("/calls/<int:call_id>/bookings/<int:booking_id>/moments")
@staff_required(*CONSOLE_ROLES)
def moments_for_move(me: Staff, call_id: int, booking_id: int) -> Answer:
    taken = get_visible(TakenCall, call_id)
    booking = _callers_booking(taken, booking_id)
    if booking is None:
        return page_of(taken, {"move": _("This appointment is not the caller's.")}, 403)
    config = _config()
    slots = moments_to_move(get_session(), booking, now=current.now(), zone=config.zone)
    return page_of(taken, moving=booking.id, slots=slots)


@bp.post("/calls/<int:call_id>/bookings/<int:booking_id>/move")
@staff_required(*CONSOLE_ROLES)
def move(me: Staff, call_id: int, booking_id: int) -> Answer:
    taken = get_visible(TakenCall, call_id)
    booking = _callers_booking(taken, booking_id)
    if booking is None:
        return page_of(taken, {"move": _("This appointment is not the caller's.")}, 403)
    moment, reason = _moment(), one_line("reason")
    if not_plain(reason):
        return page_of(taken, {"move": not_plain_message()}, 400)
    if moment is None or not reason or len(reason) > REASON_MAX:
        return page_of(taken, {"move": _("Choose the new moment and give the reason.")}, 400)
    session = get_session()
    try:
        commands.move(
            session,
            booking,
            start=moment[0],
            actor=Actor.staff(taken.staff_id, Channel.PHONE),
            now=current.now(),
            config=_config(),
            reason=reason,
        )
    except SlotUnavailable:
        return page_of(
            taken, {"move": _("This moment is no longer free. Choose another one.")}, 409
        )
    except SchedulingError:
        return page_of(taken, {"move": _("This is not possible for this appointment.")}, 409)
    flash(_("The appointment is moved. The citizen gets an SMS."), "success")
    return back_to(taken)


@bp.post("/calls/<int:call_id>/book/moments")
@staff_required(*CONSOLE_ROLES)
def moments_for_booking(me: Staff, call_id: int) -> Answer:
    taken = get_visible(TakenCall, call_id)
    if not_plain(*(one_line(n) for n in ("name", *ADDRESS))):
        return page_of(taken, {"book": not_plain_message()}, 400)
    address = _address()
    if taken.call.caller is None:
        return page_of(
            taken, {"book": _("The number is hidden: book on the website instead.")}, 400
        )
    if address is None:
        return page_of(
            taken, {"book": _("Give the caller's postcode, street and house number.")}, 400
        )
    config = _config()
    try:
        slots = moments_to_book(
            get_session(), config.ivr_booking_service, address, now=current.now(), zone=config.zone
        )
    except SchedulingError:
        return page_of(taken, {"book": _("This address is not in our zone, or not known.")}, 400)
    return page_of(taken, booking_slots=slots)


@bp.post("/calls/<int:call_id>/book")
@staff_required(*CONSOLE_ROLES)
def book_for_caller(me: Staff, call_id: int) -> Answer:
    taken = get_visible(TakenCall, call_id)
    if not_plain(*(one_line(n) for n in ("name", *ADDRESS))):
        return page_of(taken, {"book": not_plain_message()}, 400)
    caller, address, moment = taken.call.caller, _address(), _moment()
    name = one_line("name")
    if caller is None or address is None or moment is None or not name or len(name) > 200:
        return page_of(
            taken, {"book": _("Give the caller's name and address, and choose a moment.")}, 400
        )
    try:
        email = _email()
    except InvalidRequest:
        return page_of(
            taken,
            {"book": _("Enter one e-mail address like name@example.be, or leave it empty.")},
            400,
        )
    ratelimit.hit_or_refuse("booking-staff", str(taken.staff_id))
    ratelimit.hit_or_refuse("booking-phone", caller)
    config, session, now = _config(), get_session(), current.now()
    request_ = BookingRequest(
        service_code=config.ivr_booking_service,
        start=moment[0],
        staff_id=moment[1],
        location=LocationKind.OFFICE,
        citizen=Citizen(name=name, phone=caller, email=email),
        address=address,
        language=taken.call.language,
    )
    try:
        commands.book(
            session,
            request_,
            actor=Actor.staff(taken.staff_id, Channel.PHONE),
            now=now,
            config=config,
        )
    except SlotUnavailable:
        return page_of(
            taken, {"book": _("This moment is no longer free. Choose another one.")}, 409
        )
    except SchedulingError:
        return page_of(taken, {"book": _("This appointment cannot be booked.")}, 409)
    flash(_("The appointment is booked. The citizen gets an SMS with the details."), "success")
    return back_to(taken)
