"""The office's bookings: the list (/deurwaarder/), one booking with its history, its .ics,
and moving or cancelling it through app.assistance.commands.

Only the signed-in user's office's bookings exist here: another office's reference is a 404
like a missing one. Inside the service's cut-off the engine refuses a change, and the page
says whom to call instead (BAILIFF_DESK_PHONE)."""

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.assistance import commands
from app.assistance.models import OfficeUser
from app.bailiffs import assistance_form, bp
from app.bailiffs.access import office_user_required
from app.bailiffs.refusals import engine_error
from app.bailiffs.shown import Shown, history, shown, shown_all, steps
from app.db import get_session
from app.forms import Form
from app.i18n import language, local
from app.ics import Event, calendar
from app.phone import national
from app.values import parse_instant
from scheduling.enums import BookingStatus, Channel
from scheduling.errors import NotAllowed, NotFound, SchedulingError, SlotUnavailable
from scheduling.models import Booking
from scheduling.slots import Slot

PAGE_SIZE = 20
REASON_MAX = 500  # as Booking.cancel_reason stores it


@bp.get("/")
@office_user_required()
def home(user: OfficeUser) -> str:
    """Upcoming bookings first (soonest first), then past ones (latest first), paged."""
    session = get_session()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    now = current.now()
    mine = Booking.bailiff_account_id == user.office_id
    upcoming_count = session.scalar(select(func.count()).where(mine, Booking.start_at >= now)) or 0
    past_count = session.scalar(select(func.count()).where(mine, Booking.start_at < now)) or 0
    first = (page - 1) * PAGE_SIZE
    upcoming = list(
        session.scalars(
            select(Booking)
            .where(mine, Booking.start_at >= now)
            .order_by(Booking.start_at, Booking.id)
            .offset(first)
            .limit(PAGE_SIZE)
        )
    )
    past = (
        list(
            session.scalars(
                select(Booking)
                .where(mine, Booking.start_at < now)
                .order_by(Booking.start_at.desc(), Booking.id.desc())
                .offset(max(first - upcoming_count, 0))
                .limit(PAGE_SIZE - len(upcoming))
            )
        )
        if len(upcoming) < PAGE_SIZE
        else []
    )
    return render_template(
        "bailiffs/home.html",
        upcoming=shown_all(session, upcoming),
        past=shown_all(session, past),
        page=page,
        has_next=first + PAGE_SIZE < upcoming_count + past_count,
        lang=language(),
    )


def _own(user: OfficeUser, reference: str) -> Booking:
    if len(reference) > 20:
        abort(404)
    try:
        return commands.office_booking(get_session(), user.office, reference)
    except NotFound:
        abort(404)


@bp.get("/boekingen/<reference>")
@office_user_required()
def booking(user: OfficeUser, reference: str) -> str:
    return _booking_page(_own(user, reference))


def _booking_page(
    booking: Booking,
    *,
    window: Form | None = None,
    moments: list[Slot] | None = None,
    cancel_form: Form | None = None,
) -> str:
    session = get_session()
    entries = history(session, booking)
    config = current.config()
    now = current.now()
    cutoff = timedelta(minutes=booking.service.cancel_cutoff_minutes)
    return render_template(
        "bailiffs/booking.html",
        item=shown(session, booking, entries=entries),
        steps=steps(session, booking, entries),
        window=window or Form(assistance_form.window_defaults(booking.service, now)),
        moments=moments,
        cancel_form=cancel_form or Form(),
        inside_cutoff=booking.start_at - now < cutoff,
        cutoff_hours=booking.service.cancel_cutoff_minutes // 60,
        desk_phone=config.desk_phone,
        desk_phone_shown=national(config.desk_phone),
        lang=language(),
        reason_max=REASON_MAX,
    )


@bp.post("/boekingen/<reference>/verplaatsen")
@office_user_required()
def move(user: OfficeUser, reference: str) -> str | WerkzeugResponse:
    """Without ``start``: the first moments in the window for the same request; with it:
    the move to that moment."""
    booking = _own(user, reference)
    session = get_session()
    if booking.status is not BookingStatus.CONFIRMED:
        flash(_("This booking can no longer be moved."), "error")
        return redirect(url_for("bailiffs.booking", reference=booking.reference))
    start = request.form.get("start")
    if start is not None:
        return _move_to(user, booking, start)
    window_form = Form.read(*assistance_form.WINDOW)
    window = assistance_form.read_window(window_form, local(current.now()).date())
    if window is None:
        return _booking_page(booking, window=window_form)
    ratelimit.hit_or_refuse("assistance-search-user", str(user.id))
    wanted = assistance_form.of_booking(booking, commands.details_of(session, booking))
    try:
        found = commands.first_moments(
            session,
            wanted,
            first_day=window.first_day,
            last_day=window.last_day,
            now=current.now(),
            config=current.config(),
        )
    except SchedulingError as error:
        engine_error(window_form, error)
        return _booking_page(booking, window=window_form)
    # The booking keeps its lead officer (app.assistance.commands.move), so only moments
    # they go to can be offered, and not the booking's own moment.
    found = [s for s in found if booking.staff_id in s.staff_ids and s.start != booking.start_at]
    return _booking_page(booking, window=window_form, moments=found)


def _move_to(user: OfficeUser, booking: Booking, raw_start: str) -> str | WerkzeugResponse:
    ratelimit.hit_or_refuse("assistance-book-user", str(user.id))
    start = parse_instant(raw_start)
    if start is None:
        flash(_("Choose one of the moments."), "error")
        return redirect(url_for("bailiffs.booking", reference=booking.reference))
    if start == booking.start_at:  # a second submit of the same move: already done
        return redirect(url_for("bailiffs.booking", reference=booking.reference))
    try:
        commands.move(
            get_session(),
            booking,
            start=start,
            who=commands.OfficeActor(user.office, Channel.WEB, user=user),
            now=current.now(),
            config=current.config(),
        )
    except NotAllowed:
        flash(_cutoff_message(booking), "error")
        return redirect(url_for("bailiffs.booking", reference=booking.reference))
    except SlotUnavailable:
        flash(
            _("Another booking has just taken this moment. Search again and choose another one."),
            "error",
        )
        return redirect(url_for("bailiffs.booking", reference=booking.reference))
    except SchedulingError:
        flash(_("The zone's rules do not allow this moment. Choose another one."), "error")
        return redirect(url_for("bailiffs.booking", reference=booking.reference))
    flash(_("The booking is moved. Your office gets an e-mail with the new moment."), "success")
    return redirect(url_for("bailiffs.booking", reference=booking.reference))


@bp.post("/boekingen/<reference>/annuleren")
@office_user_required()
def cancel(user: OfficeUser, reference: str) -> str | WerkzeugResponse:
    booking = _own(user, reference)
    if booking.status is BookingStatus.CANCELLED:  # a second submit: already done
        return redirect(url_for("bailiffs.booking", reference=booking.reference))
    form = Form.read("reason", multiline=("reason",))
    if "reason" not in form.errors and len(form.values["reason"]) > REASON_MAX:
        form.errors["reason"] = _("Keep it to %(length)d characters.", length=REASON_MAX)
    if not form.ok:
        return _booking_page(booking, cancel_form=form)
    ratelimit.hit_or_refuse("assistance-book-user", str(user.id))
    try:
        commands.cancel(
            get_session(),
            booking,
            who=commands.OfficeActor(user.office, Channel.WEB, user=user),
            now=current.now(),
            reason=form.values["reason"] or None,
        )
    except NotAllowed:
        flash(_cutoff_message(booking), "error")
        return redirect(url_for("bailiffs.booking", reference=booking.reference))
    flash(_("The booking is cancelled. The officers are told."), "success")
    return redirect(url_for("bailiffs.booking", reference=booking.reference))


def _cutoff_message(booking: Booking) -> str:
    return _(
        "Less than %(hours)d hours before the assistance, the portal can no longer change it: "
        "call the police zone on %(phone)s.",
        hours=booking.service.cancel_cutoff_minutes // 60,
        phone=national(current.config().desk_phone),
    )


@bp.get("/boekingen/<reference>/agenda.ics")
@office_user_required()
def booking_ics(user: OfficeUser, reference: str) -> Response:
    item = shown(get_session(), _own(user, reference))
    body = calendar(
        [event_of(item)],
        uid_domain=urlsplit(current.config().public_base_url).hostname or "blauwlijn",
        now=current.now(),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="bijstand.ics"'
    return response


def event_of(item: Shown) -> Event:
    """A booking in the office's calendar: the kind and file in the title, the address as
    the location; the officers' number (names only when the zone allows it)."""
    details = item.details
    kind = details.execution_kind.name(language()) if details else ""
    file = details.file_reference if details else ""
    lines = [
        _("Police assistance, booking %(reference)s", reference=item.booking.reference),
        _("Officers: %(count)d", count=item.booking.officers),
    ]
    if item.officer_names:
        lines.append(", ".join(item.officer_names))
    return Event(
        item.booking,
        summary=" – ".join(filter(None, (_("Police assistance"), kind, file))),
        location=item.address,
        description="\n".join(lines),
    )
