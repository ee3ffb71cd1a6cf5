"""The booking flow as question pages: service → address → place → moment → details → check."""

from collections.abc import Callable
from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import commands, current, ratelimit
from app.db import get_session
from app.earlier import form as earlier_form
from app.earlier.wishes import Wish
from app.forms import Form
from app.i18n import language
from app.phone import is_mobile
from app.places import (
    address_line,
    location_label,
    offices_hint,
    offices_of,
    place_of,
    zone_streets,
)
from app.values import parse_moment
from app.web import bp, draft
from app.web.moments import Week, first_week_with_moments, week_of_moments
from scheduling.addresses import Address, district_for
from scheduling.booking import BookingRequest, Citizen, free_slot_at
from scheduling.eligibility import Staffing, Who, eligible_staff, valid_invitation
from scheduling.enums import Audience, Channel, LocationKind, ServedBy
from scheduling.errors import SchedulingError, SlotUnavailable
from scheduling.models import Service, Staff
from scheduling.slots import Slot
from scheduling.trail import Actor

Redirect = WerkzeugResponse
ADDRESS = ("postcode", "street", "number")
TOPIC_LENGTH = 300  # as Booking.topic stores it
ViewAnswer = str | Redirect
QUESTIONS = (  # in the order they are asked; a page never opens before its predecessors
    "web.choose_service",
    "web.invitation",
    "web.address",
    "web.location",
    "web.moment",
    "web.details",
    "web.check",
)


def _chosen_service(d: draft.Draft) -> Service | None:
    if not d.service:
        return None
    return get_session().scalar(select(Service).where(Service.code == d.service))


def _needs_address(service: Service) -> bool:
    return service.served_by is ServedBy.DISTRICT_OFFICER


def _next_step(d: draft.Draft, service: Service | None) -> str:
    """The first question not answered yet: every page sends people back there."""
    if service is None:
        return "web.choose_service"
    if service.served_by is ServedBy.INVITED_STAFF and not d.invitation_code:
        return "web.invitation"
    if _needs_address(service) and d.address is None:
        return "web.address"
    if not d.location:
        return "web.location"
    if not d.start:
        return "web.moment"
    if not (d.name and d.phone):
        return "web.details"
    return "web.check"


def _go_on(d: draft.Draft) -> Redirect:
    return redirect(url_for(_next_step(d, _chosen_service(d))))


def _guard(step: str) -> tuple[draft.Draft, Service] | Redirect:
    """The draft and service for ``step``, or a redirect when an earlier answer is missing."""
    d = draft.load()
    service = _chosen_service(d)
    wanted = _next_step(d, service)
    if service is None or QUESTIONS.index(wanted) < QUESTIONS.index(step):
        return redirect(url_for(wanted))
    return d, service


def previous_step(d: draft.Draft, service: Service) -> str:
    """Where "Back" leads from the moment page: the last question actually asked."""
    if d.invitation_code:
        return "web.invitation"
    if len(service.locations) > 1:
        return "web.location"
    if _needs_address(service):
        return "web.address"
    return "web.choose_service"


def question(
    step: str,
) -> Callable[[Callable[[draft.Draft, Service], ViewAnswer]], Callable[[], ViewAnswer]]:
    """A question page: called with the draft and service, or sent back to an earlier question."""

    def wrap(view: Callable[[draft.Draft, Service], ViewAnswer]) -> Callable[[], ViewAnswer]:
        @wraps(view)
        def page() -> ViewAnswer:
            guarded = _guard(step)
            if not isinstance(guarded, tuple):
                return guarded
            return view(*guarded)

        return page

    return wrap


def bookable_services() -> list[Service]:
    """What a citizen can start booking here (invitations come in through their code)."""
    return list(
        get_session().scalars(
            select(Service)
            .where(
                Service.audience == Audience.CITIZEN, Service.served_by != ServedBy.INVITED_STAFF
            )
            .order_by(Service.id)
        )
    )


@bp.route("/book", methods=["GET", "POST"])
def choose_service() -> str | Redirect:
    services = bookable_services()
    form = Form({"service": draft.load().service})
    if request.method == "GET" and request.args.get("service"):
        return _start_from_link(services)
    if request.method == "POST":
        form = Form.read("service")
        chosen = next((s for s in services if s.code == form.values["service"]), None)
        if chosen is None:
            form.errors["service"] = _("Choose what you want to book.")
        else:
            d = draft.Draft(service=chosen.code)
            if len(chosen.locations) == 1:
                d.location = chosen.locations[0]
            draft.save(d)
            return _go_on(d)
    options = [
        (s.code, s.name(language()), _("%(minutes)d minutes", minutes=s.duration_minutes))
        for s in services
    ]
    return render_template("web/book_service.html", options=options, form=form)


def _start_from_link(services: list[Service]) -> Redirect:
    """/book?service=…[&postcode=&street=&number=]: start with what a link already knows
    (the "who is my wijkagent?" answer), dropping an address the zone does not serve."""
    chosen = next((s for s in services if s.code == request.args["service"]), None)
    if chosen is None:
        return redirect(url_for("web.choose_service"))
    d = draft.Draft(service=chosen.code)
    if len(chosen.locations) == 1:
        d.location = chosen.locations[0]
    given = Form.read(*ADDRESS, source=request.args)
    if given.ok:
        d.postcode, d.street, d.number = (given.values[k][:200] for k in ADDRESS)
    if d.address is not None:
        try:
            district_for(get_session(), d.address)
        except SchedulingError:
            d.postcode = d.street = d.number = ""
    draft.save(d)
    return _go_on(d)


@bp.route("/book/address", methods=["GET", "POST"])
@question("web.address")
def address(d: draft.Draft, _service: Service) -> ViewAnswer:
    form = Form({"postcode": d.postcode, "street": d.street, "number": d.number})
    if request.method == "POST":
        form = Form.read("postcode", "street", "number")
        form.required("postcode", _("Enter your postcode."))
        form.required("street", _("Enter your street."))
        form.required("number", _("Enter your house number."))
        if form.ok:
            d.postcode, d.street, d.number = (
                form.values[k] for k in ("postcode", "street", "number")
            )
            try:
                district_for(get_session(), Address(d.postcode, d.street, d.number))
            except SchedulingError as error:
                form.errors[error.field or "street"] = address_error(error)
            else:
                d.start, d.staff_id = "", 0  # another officer may serve the new address
                draft.save(d)
                return _go_on(d)
    return render_template("web/book_address.html", form=form, streets=zone_streets(get_session()))


def address_error(error: SchedulingError) -> str:
    if error.field == "postcode":
        return _("A postcode has four digits.")
    if error.field == "number":
        return _("Enter a house number like 12 or 12A.")
    return _("We do not find this address in our zone. Check the street and postcode.")


@bp.route("/book/location", methods=["GET", "POST"])
@question("web.location")
def location(d: draft.Draft, service: Service) -> ViewAnswer:
    officer = _officer_name(d)
    form = Form({"location": d.location})
    if request.method == "POST":
        form = Form.read("location")
        if form.values["location"] not in service.locations:
            form.errors["location"] = _("Choose where you want to meet.")
        else:
            d.location, d.start, d.staff_id = form.values["location"], "", 0
            draft.save(d)
            return _go_on(d)
    today = current.now().astimezone(current.zone()).date()
    offices = offices_of(get_session(), _staffing(d, service), today)
    options = [
        (loc, location_label(loc), offices_hint(offices) if loc == LocationKind.OFFICE else "")
        for loc in service.locations
    ]
    return render_template("web/book_location.html", options=options, form=form, officer=officer)


def _officer_name(d: draft.Draft) -> str | None:
    if d.address is None:
        return None
    return district_for(get_session(), d.address).officer.name


@bp.route("/book/moment", methods=["GET", "POST"])
@question("web.moment")
def moment(d: draft.Draft, service: Service) -> ViewAnswer:
    session_ = get_session()
    staffing = _staffing(d, service)
    until = (
        valid_invitation(session_, d.invitation_code, service, current.now()).valid_until
        if d.invitation_code
        else None
    )
    week = request.args.get("week", type=int)
    if request.method == "POST":
        choice = parse_moment(request.form.get("slot", ""))
        if choice is not None:
            d.start, d.staff_id = choice[0].isoformat(), choice[1]
            draft.save(d)
            return _go_on(d)
        flash(_("Choose a moment."), "error")
    location = LocationKind(d.location)

    def week_at(offset: int) -> Week:
        return week_of_moments(
            session_,
            service=service,
            staffing=staffing,
            location=location,
            week=offset,
            now=current.now(),
            until=until,
        )

    shown = week_at(week or 0)
    if week is None and shown.empty:  # opened, not paged: on the first week with a moment
        first = first_week_with_moments(
            session_,
            service=service,
            staffing=staffing,
            location=location,
            now=current.now(),
            until=until,
        )
        shown = week_at(first) if first else shown
    return render_template(
        "web/book_moment.html",
        service=service,
        week=shown,
        officer=_officer_name(d),
        chosen=d.start,
        back=previous_step(d, service),
    )


@bp.route("/book/details", methods=["GET", "POST"])
@question("web.details")
def details(d: draft.Draft, service: Service) -> ViewAnswer:
    form = Form(
        {"name": d.name, "phone": d.phone, "email": d.email, "topic": d.topic}
        | earlier_form.values(earlier_form.from_stored(d.earlier, d.earlier_not_before))
    )
    if request.method == "POST":
        form = Form.read(
            "name", "phone", "email", "topic", "website", *earlier_form.FIELDS, multiline=("topic",)
        )
        if form.values["website"]:  # the honeypot: people never see this field, bots fill it
            abort(400)
        name = form.required("name", _("Enter your name."))
        phone = form.phone("phone")
        email = form.email(
            "email", _("Enter one e-mail address like name@example.be, or leave it empty.")
        )
        topic = form.values["topic"]
        if "topic" not in form.errors and len(topic) > TOPIC_LENGTH:
            form.errors["topic"] = _(
                "Keep it to %(length)d characters: your officer will ask for the rest.",
                length=TOPIC_LENGTH,
            )
        wish = _earlier_wish(form, d, service, phone)
        if form.ok:
            d.name, d.phone, d.email, d.topic = name, phone, email, topic
            d.earlier, d.earlier_not_before = earlier_form.stored(wish)
            draft.save(d)
            return _go_on(d)
    # The one who will read it: the officer or case handler whose moment was chosen.
    chosen = get_session().get(Staff, d.staff_id) if d.staff_id else None
    whom = chosen.name if chosen else _("us")
    return render_template(
        "web/book_details.html",
        form=form,
        whom=whom,
        earlier_places=earlier_form.choices(service.locations),
    )


def _earlier_wish(form: Form, d: draft.Draft, service: Service, phone: str) -> Wish | None:
    """The earlier moment asked on the details step (the box needs a mobile number)."""
    zone = current.zone()
    start = d.start_at
    return earlier_form.read(
        form,
        places=service.locations,
        mobile="phone" in form.errors or is_mobile(phone),  # a wrong number has its own error
        today=current.now().astimezone(zone).date(),
        before=start.astimezone(zone).date() if start else None,
    )


@bp.route("/book/check", methods=["GET", "POST"])
@question("web.check")
def check(d: draft.Draft, service: Service) -> ViewAnswer:
    if request.method == "POST":
        ratelimit.hit_or_refuse("booking-ip", request.remote_addr or "?")
        ratelimit.hit_or_refuse("booking-phone", d.phone)
        start = d.start_at
        if start is None:  # not reached: the check comes after the moment (_next_step)
            return _moment_gone(d)
        try:
            booked = commands.book(
                get_session(),
                BookingRequest(
                    service_code=service.code,
                    start=start,
                    staff_id=d.staff_id,
                    location=LocationKind(d.location),
                    citizen=Citizen(d.name, d.phone, d.email or None),
                    address=d.address,
                    invitation_code=d.invitation_code or None,
                    language=language(),
                    topic=d.topic or None,
                ),
                actor=Actor.citizen(Channel.WEB),
                now=current.now(),
                config=current.config(),
                earlier=earlier_form.from_stored(d.earlier, d.earlier_not_before),
            )
        except SlotUnavailable:
            return _moment_gone(d)
        except SchedulingError as error:
            flash(error.message, "error")
            return redirect(url_for("web.check"))
        draft.clear()
        return redirect(url_for("web.appointment", token=booked.manage_token, new=1))
    slot = _still_free(d, service)
    if slot is None:
        return _moment_gone(d)
    place = place_of(
        get_session(),
        location=d.location,
        staff_id=d.staff_id,
        site_id=slot.site_id,
        address=d.address,
    )
    return render_template(
        "web/book_check.html",
        d=d,
        service=service,
        place=place,
        officer=_officer_name(d),
        address=address_line(get_session(), d.address) if d.address else "",
        textable=is_mobile(d.phone),
        earlier=earlier_form.from_stored(d.earlier, d.earlier_not_before),
        earlier_summary=earlier_form.summary,
    )


def _staffing(d: draft.Draft, service: Service) -> Staffing:
    who = Who(address=d.address, invitation_code=d.invitation_code or None)
    return eligible_staff(get_session(), service, who, current.now())


def _still_free(d: draft.Draft, service: Service) -> Slot | None:
    """The chosen moment as the engine offers it now, or None when it is gone."""
    if d.start_at is None:
        return None
    try:
        return free_slot_at(
            get_session(),
            service=service,
            staff_ids=[d.staff_id],
            covers=_staffing(d, service).covers,
            start=d.start_at,
            wanted=d.staff_id,
            location=LocationKind(d.location),
            now=current.now(),
            zone=current.zone(),
        )
    except SlotUnavailable:
        return None


def _moment_gone(d: draft.Draft) -> Redirect:
    d.start, d.staff_id = "", 0
    draft.save(d)
    flash(
        _(
            "Someone else has just booked that moment. Please choose another one; "
            "we kept everything else you entered."
        ),
        "error",
    )
    return redirect(url_for("web.moment"))
