"""Requesting assistance (/deurwaarder/aanvraag): the form, then the first moments when that
many officers are free together, then one of them booked, all on one page.

The moments are buttons of the same form, so what the office typed travels with the chosen
moment and a refusal re-shows everything filled in. A double submit (a double click, two
tabs, the back button) books once: the office user's row is locked while booking, and a
live booking of the office for the same file at the same moment is the one already made.
"""

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.assistance import commands
from app.assistance.models import AssistanceDetails, ExecutionKind, OfficeUser
from app.bailiffs import assistance_form, bp
from app.bailiffs.access import office_user_required
from app.bailiffs.refusals import engine_error
from app.db import get_session
from app.forms import Form
from app.i18n import language, local
from app.places import zone_streets
from app.values import parse_instant
from scheduling.enums import BookingStatus, Channel
from scheduling.errors import SchedulingError, SlotUnavailable
from scheduling.models import Booking, Service
from scheduling.slots import Slot


@office_user_required()
def request_assistance(user: OfficeUser) -> str | WerkzeugResponse:
    session = get_session()
    service = commands.assistance_service(session)
    kinds = commands.execution_kinds(session)
    now = current.now()
    if request.method == "GET":
        return _page(service, assistance_form.blank(service, now), kinds)
    form, wanted = assistance_form.read(session, service, {k.code for k in kinds})
    window = assistance_form.read_window(form, local(current.now()).date())
    start = request.form.get("start")
    if window is not None and request.form.get("later"):
        window = assistance_form.later(form, window)
    if wanted is None or window is None:
        return _page(service, form, kinds)
    if start is not None:
        return _book(user, form, wanted, start, service, kinds)
    ratelimit.hit_or_refuse("assistance-search-user", str(user.id))
    try:
        moments = commands.first_moments(
            session,
            wanted,
            first_day=window.first_day,
            last_day=window.last_day,
            now=now,
            config=current.config(),
        )
    except SchedulingError as error:
        engine_error(form, error)
        return _page(service, form, kinds)
    return _page(service, form, kinds, moments=moments, searched=True)


# The endpoint the URL plan names: `bailiffs.request` (the function's name would shadow
# flask.request inside this module).
bp.add_url_rule("/aanvraag", "request", request_assistance, methods=["GET", "POST"])


def _book(
    user: OfficeUser,
    form: Form,
    wanted: commands.AssistanceRequest,
    raw_start: str,
    service: Service,
    kinds: list[ExecutionKind],
) -> str | WerkzeugResponse:
    ratelimit.hit_or_refuse("assistance-book-user", str(user.id))
    start = parse_instant(raw_start)
    if start is None:
        flash(_("Choose one of the moments."), "error")
        return _page(service, form, kinds)
    session = get_session()
    # Two submits of one form wait for each other here; the second then finds the first.
    session.scalar(select(OfficeUser.id).where(OfficeUser.id == user.id).with_for_update())
    made = _already_booked(user, wanted, start)
    if made is not None:
        return redirect(url_for("bailiffs.booking", reference=made.reference))
    try:
        booked = commands.book(
            session,
            wanted,
            start=start,
            who=commands.OfficeActor(user.office, Channel.WEB, user=user),
            now=current.now(),
            config=current.config(),
        )
    except SlotUnavailable:
        flash(
            _(
                "Another booking has just taken this moment. Choose another one; everything "
                "you entered is kept."
            ),
            "error",
        )
        return _research(user, form, wanted, service, kinds)
    except SchedulingError as error:
        engine_error(form, error)
        return _page(service, form, kinds)
    flash(_("Assistance is booked. Your office gets a confirmation by e-mail."), "success")
    return redirect(url_for("bailiffs.booking", reference=booked.booking.reference))


def _research(
    user: OfficeUser,
    form: Form,
    wanted: commands.AssistanceRequest,
    service: Service,
    kinds: list[ExecutionKind],
) -> str:
    """The form again with the moments still free in the same window."""
    window = assistance_form.read_window(form, local(current.now()).date())
    moments: list[Slot] = []
    if window is not None:
        try:
            moments = commands.first_moments(
                get_session(),
                wanted,
                first_day=window.first_day,
                last_day=window.last_day,
                now=current.now(),
                config=current.config(),
            )
        except SchedulingError as error:
            engine_error(form, error)
    return _page(service, form, kinds, moments=moments, searched=window is not None)


def _already_booked(
    user: OfficeUser, wanted: commands.AssistanceRequest, start: datetime
) -> Booking | None:
    """The office's live booking for this file at this moment: a second submit of one form."""
    return get_session().scalar(
        select(Booking)
        .join(AssistanceDetails, AssistanceDetails.booking_id == Booking.id)
        .where(
            Booking.bailiff_account_id == user.office_id,
            Booking.start_at == start,
            Booking.status == BookingStatus.CONFIRMED,
            AssistanceDetails.file_reference == wanted.file_reference.strip(),
        )
    )


def _page(
    service: Service,
    form: Form,
    kinds: list[ExecutionKind],
    *,
    moments: list[Slot] | None = None,
    searched: bool = False,
) -> str:
    return render_template(
        "bailiffs/request.html",
        form=form,
        service=service,
        kinds=[(k.code, k.name(language())) for k in kinds],
        durations=[
            (str(m), assistance_form.hours_label(m)) for m in assistance_form.durations(service)
        ],
        officer_counts=[(str(n), str(n)) for n in assistance_form.officer_counts(service)],
        risks=risk_questions(),
        streets=zone_streets(get_session()),
        moments=moments or [],
        searched=searched,
    )


def risk_questions() -> list[tuple[str, str]]:
    """The five questions, in the order the officers read the answers."""
    return [
        ("known_aggression", _("Is anyone at the address known to be aggressive?")),
        ("weapons", _("Are there weapons at the address, or may there be?")),
        ("dogs", _("Are there dogs or other animals that may threaten?")),
        (
            "vulnerable_persons",
            _("Will vulnerable people be present (children, ill or elderly people)?"),
        ),
        ("interpreter_needed", _("Is an interpreter needed?")),
    ]
