"""Booking and moving an appointment on a caller's behalf, through the same engine as the
web and the keypad: the call-taker is the actor and the channel is "phone"; the citizen
gets the same SMS as when they book or are moved themselves, and may ask through the
call-taker to be texted an earlier moment that frees up."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import flash, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app import commands, current, ratelimit
from app.config import Config
from app.db import get_session
from app.earlier.wishes import Wish
from app.email_address import normalized_email
from app.forms import not_plain_message
from app.phone import is_mobile
from app.staff.access import get_visible, staff_required
from app.values import parse_id, parse_iso_date, parse_moment
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.booking_options import BookingOptions, MomentLabels, booking_options
from callcenter.caller import REASON_MAX, back_to, not_plain, one_line, page_of
from callcenter.models import TakenCall
from callcenter.moments import moments_to_book, moments_to_move
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen
from scheduling.eligibility import Staffing, Who, eligible_staff, service_by_code
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.errors import InvalidRequest, SchedulingError, SlotUnavailable
from scheduling.models import Booking, Service, Staff
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
TOPIC_MAX = 300  # as Booking.topic stores it


def _from_day() -> tuple[bool, date | None]:
    """The first day to show ("More days"; None: today), and whether the form's is a day."""
    raw = request.form.get("from", "")
    day = parse_iso_date(raw) if raw else None
    return (not raw or day is not None), day


def _today() -> date:
    return current.now().astimezone(_config().zone).date()


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
    sound, from_day = _from_day()
    if not sound:
        return page_of(taken, {"move": _("These days cannot be shown.")}, 400)
    offer = moments_to_move(
        get_session(), booking, from_day=from_day, now=current.now(), zone=_config().zone
    )
    return page_of(taken, moving=booking.id, move_offer=offer, labels=MomentLabels(get_session()))


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


@dataclass(frozen=True)
class BookingChoice:
    """Where, with whom, about what, and from which day: the call-taker's choices."""

    location: LocationKind
    site_id: int | None
    staff_id: int | None
    from_day: date | None
    topic: str


def _chosen_id(name: str, allowed: set[int]) -> tuple[bool, int | None]:
    """A chosen office or officer (None: any), and whether it is one of ``allowed``."""
    raw = request.form.get(name, "")
    ident = parse_id(raw) if raw else None
    return (not raw or ident in allowed), ident


def _booking_choice(options: BookingOptions) -> tuple[BookingChoice, dict[str, str]]:
    """The choices in the form, checked against what the service and the address allow;
    with an error per field."""
    errors: dict[str, str] = {}
    raw = request.form.get("location") or options.locations[0].value
    location = next((kind for kind in options.locations if kind.value == raw), None)
    if location is None:
        errors["book_location"] = _("Choose the police office or a home visit.")
        location = options.locations[0]
    site_sound, site_id = _chosen_id("site", {site.id for site in options.offices})
    if not site_sound:
        errors["book_site"] = _("Choose one of the offices in the list.")
    staff_sound, staff_id = _chosen_id("officer", {officer.id for officer in options.officers})
    if not staff_sound:
        errors["book_officer"] = _("Choose one of the officers in the list.")
    day_sound, from_day = _from_day()
    if not day_sound:
        errors["book"] = _("These days cannot be shown.")
    topic = one_line("topic")
    if not_plain(topic):
        errors["book_topic"] = not_plain_message()
    elif len(topic) > TOPIC_MAX:
        errors["book_topic"] = _("Keep the topic to %(length)d characters.", length=TOPIC_MAX)
    choice = BookingChoice(
        location=location,
        site_id=site_id if location is LocationKind.OFFICE else None,
        staff_id=staff_id,
        from_day=from_day,
        topic=topic,
    )
    return choice, errors


def _service() -> Service:
    return service_by_code(get_session(), _config().ivr_booking_service)


def _staffing(service: Service, address: Address) -> Staffing:
    """Who may be booked for the address; the engine's SchedulingError outside the zone."""
    return eligible_staff(get_session(), service, Who(address=address), current.now())


def _booking_page(
    taken: TakenCall,
    errors: dict[str, str],
    status: int,
    *,
    offered: tuple[Service, Staffing, BookingChoice] | None = None,
) -> Answer:
    """The panel with the booking form: its choices and, once the address is known and the
    choices are sound, the free moments grouped by day."""
    service, session = _service(), get_session()
    staffing = offered[1] if offered else None
    options = booking_options(session, service, staffing, _today())
    if offered is None or set(errors) - {"book", "book_earlier"}:  # moments for sound choices
        return page_of(taken, errors, status, booking=options)
    choice = offered[2]
    offer = moments_to_book(
        session,
        service,
        offered[1],
        location=choice.location,
        site_id=choice.site_id,
        staff_id=choice.staff_id,
        from_day=choice.from_day,
        now=current.now(),
        zone=_config().zone,
    )
    return page_of(
        taken, errors, status, booking=options, book_offer=offer, labels=MomentLabels(session)
    )


def _checked_caller_and_address(taken: TakenCall) -> Address | str:
    """The caller's address from the form, or what is wrong with the caller or it."""
    if not_plain(*(one_line(n) for n in ("name", *ADDRESS))):
        return not_plain_message()
    if taken.call.caller is None:
        return _("The number is hidden: book on the website instead.")
    address = _address()
    if address is None:
        return _("Give the caller's postcode, street and house number.")
    return address


@dataclass(frozen=True)
class _Offer:
    """What the booking form offers for the caller's address, and the choices made in it."""

    service: Service
    address: Address
    staffing: Staffing
    choice: BookingChoice
    errors: dict[str, str]


def _offer(taken: TakenCall) -> _Offer | Answer:
    """The form's offer, or the booking page with why there is none (no caller, an
    address outside the zone)."""
    address = _checked_caller_and_address(taken)
    if isinstance(address, str):
        return _booking_page(taken, {"book": address}, 400)
    service = _service()
    try:
        staffing = _staffing(service, address)
    except SchedulingError:
        return _booking_page(
            taken, {"book": _("This address is not in our zone, or not known.")}, 400
        )
    options = booking_options(get_session(), service, staffing, _today())
    choice, errors = _booking_choice(options)
    return _Offer(service, address, staffing, choice, errors)


@bp.post("/calls/<int:call_id>/book/moments")
@staff_required(*CONSOLE_ROLES)
def moments_for_booking(me: Staff, call_id: int) -> Answer:
    """Show free moments (and "More days": the same with a later first day)."""
    taken = get_visible(TakenCall, call_id)
    offer = _offer(taken)
    if not isinstance(offer, _Offer):
        return offer
    errors, offered = offer.errors, (offer.service, offer.staffing, offer.choice)
    return _booking_page(taken, errors, 400 if errors else 200, offered=offered)


@bp.post("/calls/<int:call_id>/book")
@staff_required(*CONSOLE_ROLES)
def book_for_caller(me: Staff, call_id: int) -> Answer:
    taken = get_visible(TakenCall, call_id)
    offer = _offer(taken)
    if not isinstance(offer, _Offer):
        return offer
    service, address, choice, errors = offer.service, offer.address, offer.choice, offer.errors
    offered = (service, offer.staffing, choice)
    caller, moment, name = taken.call.caller, _moment(), one_line("name")
    if caller is None or moment is None or not name or len(name) > 200:
        errors["book"] = _("Give the caller's name and address, and choose a moment.")
    try:
        email = _email()
    except InvalidRequest:
        errors["book"] = _("Enter one e-mail address like name@example.be, or leave it empty.")
    earlier = Wish() if request.form.get("earlier") else None  # any place, any day
    if earlier is not None and not is_mobile(caller):
        errors["book_earlier"] = _("This number gets no text message: no earlier moment by SMS.")
    if errors or caller is None or moment is None:
        return _booking_page(taken, errors, 400, offered=offered)
    ratelimit.hit_or_refuse("booking-staff", str(taken.staff_id))
    ratelimit.hit_or_refuse("booking-phone", caller)
    request_ = BookingRequest(
        service_code=service.code,
        start=moment[0],
        staff_id=moment[1],
        location=choice.location,
        citizen=Citizen(name=name, phone=caller, email=email),
        address=address,
        language=taken.call.language,
        topic=choice.topic or None,
    )
    try:
        commands.book(
            get_session(),
            request_,
            actor=Actor.staff(taken.staff_id, Channel.PHONE),
            now=current.now(),
            config=_config(),
            earlier=earlier,
        )
    except SlotUnavailable:
        message = _("This moment is no longer free. Choose another one.")
        return _booking_page(taken, {"book": message}, 409, offered=offered)
    except SchedulingError:
        return _booking_page(taken, {"book": _("This appointment cannot be booked.")}, 409)
    flash(_("The appointment is booked. The citizen gets an SMS with the details."), "success")
    return back_to(taken)
