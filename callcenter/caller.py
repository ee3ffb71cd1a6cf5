"""The caller panel of a taken call: who it is, their appointments, earlier calls and
call-backs; cancel an appointment on their behalf (channel phone, the call-taker as actor),
register a call-back, and the wrap-up (category and note) that ends the call's work."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as WerkzeugResponse

from app import commands, current
from app.db import get_session
from app.forms import not_plain_message
from app.i18n import language
from app.notify.models import CallbackTask
from app.phone import is_mobile, national
from app.staff.access import get_visible, staff_required
from app.staff.agenda import STATUS_LABELS as BOOKING_STATES
from app.text import is_plain
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.booking_options import BookingOptions, booking_options
from callcenter.caller_record import caller_record
from callcenter.labels import CALL_OUTCOMES, CALLBACK_STATES, TOPIC_LABELS
from callcenter.models import TakenCall
from callcenter.officers import transfer_targets
from callcenter.presence import set_status
from callcenter.report_choices import category_choices, new_report_key
from callcenter.status import my_status
from scheduling.eligibility import service_by_code
from scheduling.enums import BookingStatus, Channel, LocationKind, PresenceStatus
from scheduling.errors import SchedulingError
from scheduling.models import Booking, Staff
from scheduling.trail import Actor

NOTE_MAX = 2000
REASON_MAX = 300
WRAP_UP_CATEGORIES: dict[str, LazyString] = {
    "appointment_booked": _l("Appointment made"),
    "appointment_changed": _l("Appointment moved or cancelled"),
    "information": _l("Information given"),
    "report": _l("Report or complaint taken"),
    "referred": _l("Referred to a service or officer"),
    "other": _l("Other"),
}


def _first_booking_options() -> BookingOptions:
    """Before the caller's address is known: where the phone's booking service meets."""
    session = get_session()
    try:
        service = service_by_code(session, current.config().ivr_booking_service)
    except SchedulingError:  # a zone without that service: the engine will say so on booking
        return BookingOptions([LocationKind.OFFICE])
    return booking_options(session, service, None, current.now().date())


def page_of(
    taken: TakenCall,
    errors: dict[str, str] | None = None,
    status: int = 200,
    **extra: object,
) -> tuple[str, int]:
    session = get_session()
    record = caller_record(session, call=taken.call, now=current.now())
    # The console loads the panel into its own page (the call lives there): the panel alone.
    fragment = bool(request.headers.get("X-Console-Panel"))
    template = "callcenter/caller_panel.html" if fragment else "callcenter/caller.html"
    if "booking" not in extra:
        extra["booking"] = _first_booking_options()
    extra.setdefault("report_key", new_report_key())
    return (
        render_template(
            template,
            taken=taken,
            record=record,
            categories=WRAP_UP_CATEGORIES,
            errors=errors or {},
            values=request.form,
            fragment=fragment,
            topics=TOPIC_LABELS,
            outcomes=CALL_OUTCOMES,
            callback_states=CALLBACK_STATES,
            booking_states=BOOKING_STATES,
            officers=transfer_targets(session, [b.staff_id for b in record.upcoming]),
            report_categories=category_choices(session, language()),
            caller_number=national(record.number) if record.number else None,
            caller_textable=is_mobile(record.number),  # an earlier moment is offered by SMS
            **extra,
        ),
        status,
    )


def one_line(name: str) -> str:
    """The field on one line: runs of white space, line breaks too, become one space."""
    return " ".join(request.form.get(name, "").split())


def not_plain(*values: str, multiline: bool = False) -> bool:
    """Whether one of ``values`` holds a control or direction character (app.text)."""
    return not all(is_plain(value, multiline=multiline) for value in values)


@bp.get("/calls/<int:call_id>")
@staff_required(*CONSOLE_ROLES)
def caller(me: Staff, call_id: int) -> tuple[str, int]:
    return page_of(get_visible(TakenCall, call_id))


def back_to(taken: TakenCall) -> WerkzeugResponse:
    return redirect(url_for("console.caller", call_id=taken.call_id))


@bp.post("/calls/<int:call_id>/bookings/<int:booking_id>/cancel")
@staff_required(*CONSOLE_ROLES)
def cancel_booking(me: Staff, call_id: int, booking_id: int) -> tuple[str, int] | WerkzeugResponse:
    taken = get_visible(TakenCall, call_id)
    session = get_session()
    booking = session.get(Booking, booking_id)
    # Only the caller's own appointments, matched by the number they call from.
    if booking is None or taken.call.caller is None or booking.citizen_phone != taken.call.caller:
        return page_of(taken, {"cancel": _("This appointment is not the caller's.")}, 403)
    reason = one_line("reason")
    if not_plain(reason):
        return page_of(taken, {"cancel": not_plain_message()}, 400)
    if not reason or len(reason) > REASON_MAX:
        return page_of(taken, {"cancel": _("Give the reason for cancelling.")}, 400)
    if booking.status is not BookingStatus.CONFIRMED:
        flash(_("This appointment was already cancelled or closed: nothing was changed."), "error")
        return back_to(taken)
    actor = Actor.staff(taken.staff_id, Channel.PHONE)
    try:
        commands.cancel(session, booking, actor=actor, now=current.now(), reason=reason)
    except SchedulingError:
        return page_of(taken, {"cancel": _("This is not possible for this appointment.")}, 409)
    flash(_("The appointment is cancelled. The citizen gets an SMS with your reason."), "success")
    return back_to(taken)


@bp.post("/calls/<int:call_id>/callback")
@staff_required(*CONSOLE_ROLES)
def register_callback(me: Staff, call_id: int) -> tuple[str, int] | WerkzeugResponse:
    taken = get_visible(TakenCall, call_id)
    reason = one_line("reason")
    if taken.call.caller is None:
        return page_of(
            taken, {"callback": _("The number is hidden: a call-back is not possible.")}, 400
        )
    if not_plain(reason):
        return page_of(taken, {"callback": not_plain_message()}, 400)
    if not reason or len(reason) > REASON_MAX:
        return page_of(taken, {"callback": _("Say what the call-back is about.")}, 400)
    session = get_session()
    session.add(
        CallbackTask(
            reason=reason,
            phone=taken.call.caller,
            call_id=taken.call_id,
            created_at=current.now(),
        )
    )
    session.flush()
    flash(_("The call-back is on the list."), "success")
    return back_to(taken)


@bp.post("/calls/<int:call_id>/wrap-up")
@staff_required(*CONSOLE_ROLES)
def wrap_up(me: Staff, call_id: int) -> tuple[str, int] | WerkzeugResponse:
    taken = get_visible(TakenCall, call_id)
    category = request.form.get("category", "")
    note = request.form.get("note", "").strip()
    if category not in WRAP_UP_CATEGORIES:
        return page_of(taken, {"category": _("Choose what the call was about.")}, 400)
    if not_plain(note, multiline=True):
        return page_of(taken, {"note": not_plain_message()}, 400)
    if len(note) > NOTE_MAX:
        return page_of(
            taken, {"note": _("Keep the note to %(length)d characters.", length=NOTE_MAX)}, 400
        )
    now = current.now()
    taken.category, taken.note, taken.wrapped_at = category, note or None, now
    session = get_session()
    if my_status(taken.staff_id) is PresenceStatus.BUSY:  # ready for the next caller
        set_status(session, taken.staff_id, PresenceStatus.AVAILABLE, now)
    flash(_("The call is wrapped up."), "success")
    return redirect(url_for("console.page"))
