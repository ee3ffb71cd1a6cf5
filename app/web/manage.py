"""The appointment page behind the SMS link: see it, add it to a calendar, cancel or move it,
ask to be texted an earlier moment or stop waiting for one."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app import commands, current, open_link, ratelimit
from app.db import get_session
from app.earlier import form as earlier_form
from app.earlier.wishes import wish_of
from app.forms import Form
from app.ics import Event, calendar
from app.phone import is_mobile
from app.places import Place, place_of
from app.values import parse_moment
from app.web import bp
from app.web.moments import week_of_moments
from scheduling.addresses import Address
from scheduling.booking import booking_by_token
from scheduling.eligibility import Staffing, Who, eligible_staff
from scheduling.enums import BookingStatus, Channel
from scheduling.errors import NotAllowed, NotFound, SchedulingError, SlotUnavailable
from scheduling.models import Booking
from scheduling.trail import Actor

CITIZEN_WEB = Actor.citizen(Channel.WEB)


def _booking(token: str) -> Booking:
    """The booking of a manage token, or of a signed link sent again by phone (open_link)."""
    if len(token) > 100:
        abort(404)
    secret = current.config().secret_key
    if booking := open_link.opened(get_session(), token, secret=secret, now=current.now()):
        return booking
    try:
        return booking_by_token(get_session(), token)
    except NotFound:
        abort(404)


def _address(booking: Booking) -> Address | None:
    if booking.address_postcode and booking.address_street and booking.address_number:
        return Address(booking.address_postcode, booking.address_street, booking.address_number)
    return None


def _place(booking: Booking) -> Place:
    return place_of(
        get_session(),
        location=booking.location.value,
        staff_id=booking.staff_id,
        site_id=booking.site_id,
        address=_address(booking),
    )


def _changeable(booking: Booking) -> bool:
    """Citizens change online until the service's cut-off; after it they call."""
    cutoff = timedelta(minutes=booking.service.cancel_cutoff_minutes)
    return booking.status is BookingStatus.CONFIRMED and booking.start_at - current.now() >= cutoff


@bp.get("/appointment/<token>")
def appointment(token: str) -> str:
    return _page(_booking(token), token, Form(earlier_form.values(None)))


def _page(booking: Booking, token: str, form: Form) -> str:
    changeable = _changeable(booking)
    return render_template(
        "web/appointment.html",
        booking=booking,
        token=token,
        place=_place(booking),
        changeable=changeable,
        new=request.args.get("new") == "1",
        form=form,
        wish=wish_of(get_session(), booking),
        # Asking needs a phone that takes an SMS, and time for a move.
        can_ask=changeable and is_mobile(booking.citizen_phone),
        earlier_places=earlier_form.choices(booking.service.locations),
        earlier_summary=earlier_form.summary,
    )


@bp.post("/appointment/<token>/earlier")
def ask_earlier(token: str) -> WerkzeugResponse | str:
    """Text me if an earlier moment frees up (the fields of app.earlier.form, no box)."""
    booking = _booking(token)
    _limit_earlier(booking)
    if not (_changeable(booking) and is_mobile(booking.citizen_phone)):
        return redirect(url_for("web.appointment", token=token))
    form = Form.read(*earlier_form.FIELDS)
    zone = current.zone()
    wish = earlier_form.read(
        form,
        places=booking.service.locations,
        mobile=True,
        today=current.now().astimezone(zone).date(),
        before=booking.start_at.astimezone(zone).date(),
        asked=True,
    )
    if wish is None:
        return _page(booking, token, form)
    try:
        commands.ask_earlier(
            get_session(), booking, wish, actor=CITIZEN_WEB, now=current.now(), zone=zone
        )
    except SchedulingError:  # no longer coming (cancelled meanwhile): the page says why
        return redirect(url_for("web.appointment", token=token))
    flash(_("We will text you if an earlier moment frees up."), "success")
    return redirect(url_for("web.appointment", token=token))


@bp.post("/appointment/<token>/earlier/stop")
def drop_earlier(token: str) -> WerkzeugResponse:
    """Stop waiting for an earlier moment (an offer not yet answered is withdrawn)."""
    booking = _booking(token)
    _limit_earlier(booking)
    if commands.drop_earlier(get_session(), booking, actor=CITIZEN_WEB, now=current.now()):
        flash(_("We will not text you about earlier moments any more."), "success")
    return redirect(url_for("web.appointment", token=token))


def _limit_earlier(booking: Booking) -> None:
    ratelimit.hit_or_refuse("change-ip", request.remote_addr or "?")
    ratelimit.hit_or_refuse("earlier-booking", str(booking.id))


@bp.route("/appointment/<token>/cancel", methods=["GET", "POST"])
def cancel_appointment(token: str) -> WerkzeugResponse | str:
    """ "Are you sure?" first: the appointment, an optional reason, and a button that says
    what it does; cancelling is the second step, so a stray tap cancels nothing."""
    booking = _booking(token)
    if request.method == "POST":
        ratelimit.hit_or_refuse("change-ip", request.remote_addr or "?")
    if not _changeable(booking):  # cancelled already, or too close: the page says which
        return redirect(url_for("web.appointment", token=token))
    form = Form()
    if request.method == "POST":
        form = Form.read("reason", multiline=("reason",))
        if len(form.values["reason"]) > 500:
            form.errors["reason"] = _("Keep the reason under 500 characters.")
        if form.ok:
            try:
                commands.cancel(
                    get_session(),
                    booking,
                    actor=CITIZEN_WEB,
                    now=current.now(),
                    reason=form.values["reason"] or None,
                )
            except NotAllowed:
                flash(
                    _("This appointment can no longer be changed online. Please call us."),
                    "error",
                )
            # The appointment page says it is cancelled (one notice) and offers to book again.
            return redirect(url_for("web.appointment", token=token))
    return render_template(
        "web/cancel.html", booking=booking, token=token, place=_place(booking), form=form
    )


@bp.route("/appointment/<token>/move", methods=["GET", "POST"])
def move_appointment(token: str) -> WerkzeugResponse | str:
    booking = _booking(token)
    if not _changeable(booking):
        return redirect(url_for("web.appointment", token=token))
    session = get_session()
    if request.method == "POST":
        ratelimit.hit_or_refuse("change-ip", request.remote_addr or "?")
        choice = parse_moment(request.form.get("slot", ""))
        if choice is None:
            flash(_("Choose a moment."), "error")
        else:
            try:
                commands.move(
                    session,
                    booking,
                    start=choice[0],
                    staff_id=choice[1],
                    actor=CITIZEN_WEB,
                    now=current.now(),
                    config=current.config(),
                )
            except (SlotUnavailable, NotAllowed):
                flash(
                    _("Someone else has just booked that moment. Please choose another one."),
                    "error",
                )
            else:
                flash(_("Your appointment has been moved."), "success")
                return redirect(url_for("web.appointment", token=token))
    staffing = (
        Staffing([booking.staff_id])
        if booking.invitation_id
        else eligible_staff(session, booking.service, Who(address=_address(booking)), current.now())
    )
    week = week_of_moments(
        session,
        service=booking.service,
        staffing=staffing,
        location=booking.location,
        week=request.args.get("week", 0, type=int),
        now=current.now(),
    )
    return render_template("web/move.html", booking=booking, token=token, week=week)


@bp.get("/appointment/<token>/calendar.ics")
def appointment_ics(token: str) -> Response:
    booking = _booking(token)
    place = _place(booking)
    config = current.config()
    body = calendar(
        [
            Event(
                booking,
                summary=booking.service.name(booking.language),
                location=f"{place.title}, {place.address}".strip(", "),
                description=_(
                    "Reference %(reference)s. Manage: %(url)s",
                    reference=booking.reference,
                    url=config.public_base_url + url_for("web.appointment", token=token),
                ),
            )
        ],
        uid_domain=urlsplit(config.public_base_url).hostname or "blauwlijn",
        now=current.now(),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="afspraak.ics"'
    return response
