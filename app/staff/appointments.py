"""One appointment's staff page (/staff/appointments/<id>): all about it and its history, and
what staff do with it: cancel or move it before it starts (the citizen is told by SMS, from
the engine's domain event), or mark it done or no-show once it has started."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import commands, current
from app.assistance.models import OfficeUser
from app.db import get_session
from app.forms import Form
from app.i18n import clock, day_label
from app.staff import bp, telling
from app.staff.access import (
    AGENDA_ROLES,
    MANAGERS,
    can_see,
    get_visible,
    is_manager,
    staff_required,
)
from app.staff.agenda import appointments, today
from app.values import parse_instant
from scheduling.enums import ActorKind, BookingStatus, Channel, LocationKind
from scheduling.errors import NotAllowed, SchedulingError, SlotUnavailable
from scheduling.models import AuditEntry, BailiffAccount, Booking, Reservation, Site, Staff
from scheduling.slots import Rules, Slot, find_slots
from scheduling.trail import Actor

MOVE_DAYS = 28  # how far ahead the free moments to move to are looked for...
MOVE_CHOICES = 30  # ...and how many of them are offered
REASON_MAX = 200  # it goes into the citizen's SMS
OUTCOMES = {"done": BookingStatus.DONE, "no_show": BookingStatus.NO_SHOW}
ACTIONS: dict[str, LazyString] = {
    "booked": _l("Booked"),
    "cancelled": _l("Cancelled"),
    "moved": _l("Moved"),
    "done": _l("Marked as done"),
    "no_show": _l("Marked as no-show"),
    "reassigned": _l("Handed to another staff member"),
    "attendance_confirmed": _l("Attendance confirmed by SMS"),
}
CHANNELS: dict[Channel, LazyString] = {
    Channel.WEB: _l("Website"),
    Channel.API: _l("API"),
    Channel.PHONE: _l("Phone"),
    Channel.SMS: _l("SMS"),
    Channel.STAFF: _l("Staff pages"),
    Channel.GALOP: _l("GALOP"),
    Channel.SYSTEM: _l("System"),
}
ACTORS: dict[ActorKind, LazyString] = {
    ActorKind.CITIZEN: _l("The citizen"),
    ActorKind.STAFF: _l("A staff member"),
    ActorKind.BAILIFF: _l("The bailiff office"),
    ActorKind.SYSTEM: _l("Blauwlijn"),
}


def _visible(me: Staff, booking_id: int) -> Booking:
    """The appointment for its staff member, a colleague reserved alongside them (bailiff
    assistance: to see it only) and managers; the same 403 for anyone else."""
    session = get_session()
    alongside = select(Reservation.id).where(
        Reservation.booking_id == booking_id, Reservation.staff_id == me.id
    )
    if session.scalar(alongside) is not None:
        return session.get_one(Booking, booking_id)
    return get_visible(Booking, booking_id)


def _actor(me: Staff) -> Actor:
    return Actor.staff(me.id, Channel.STAFF)


def _started(booking: Booking) -> bool:
    return current.now() >= booking.start_at


# --- What the page shows --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One line of the history."""

    at: datetime
    who: str
    channel: str
    what: str
    detail: str


def _when(iso: str) -> str:
    instant = datetime.fromisoformat(iso)
    return f"{day_label(instant)} {clock(instant)}"


def _detail(entry: AuditEntry) -> str:
    details = entry.details or {}
    parts = []
    if entry.action == "moved" and "from" in details and "to" in details:
        parts.append(
            _("From %(old)s to %(new)s", old=_when(details["from"]), new=_when(details["to"]))
        )
    if details.get("staff_name"):
        parts.append(_("Now with %(name)s", name=details["staff_name"]))
    if details.get("reason"):
        parts.append(_("Reason: %(reason)s", reason=details["reason"]))
    return " ".join(parts)


def _office_users(entries: list[AuditEntry]) -> dict[int, str]:
    """Who of a bailiff office made a change (the portal records its user): "name (office)"."""
    ids = {
        e.details["office_user_id"]
        for e in entries
        if e.actor_kind is ActorKind.BAILIFF and (e.details or {}).get("office_user_id")
    }
    if not ids:
        return {}
    rows = get_session().execute(
        select(OfficeUser.id, OfficeUser.name, BailiffAccount.name)
        .join(BailiffAccount, BailiffAccount.id == OfficeUser.office_id)
        .where(OfficeUser.id.in_(ids))
    )
    return {ident: f"{name} ({office})" for ident, name, office in rows.tuples()}


def _history(booking: Booking) -> list[Step]:
    session = get_session()
    entries = list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.booking_id == booking.id)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )
    ids = {e.actor_id for e in entries if e.actor_kind is ActorKind.STAFF and e.actor_id}
    names: dict[int, str] = {}
    if ids:
        names = dict(
            session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).tuples().all()
        )
    users = _office_users(entries)
    return [
        Step(
            e.at,
            names.get(e.actor_id or 0)
            or users.get((e.details or {}).get("office_user_id") or 0)
            or str(ACTORS[e.actor_kind]),
            str(CHANNELS[e.channel]),
            str(ACTIONS.get(e.action, e.action)),
            _detail(e),
        )
        for e in entries
    ]


def _moments(booking: Booking) -> dict[str, list[tuple[str, str]]]:
    """The next free moments, by day: (start as the form sends it back, time and site), of the
    appointment's service with its staff member (a service that needs several at once: with
    colleagues of its team), where it takes place now; bailiff assistance with its own
    number of officers and duration, under the capacity rule."""
    service = booking.service
    staff_ids = {booking.staff_id}
    if service.staff_required > 1:
        staff_ids |= {member.id for member in service.team}
    first = today()
    slots: list[Slot] = find_slots(
        get_session(),
        service=service,
        staff_ids=sorted(staff_ids),
        first_day=first,
        last_day=first + timedelta(days=MOVE_DAYS),
        now=current.now(),
        zone=current.zone(),
        location=booking.location,
        place=booking.village_id if booking.location is LocationKind.HOME else None,
        rules=Rules.of_booking(booking) if booking.bailiff_account_id is not None else None,
    )
    slots = [s for s in slots if booking.staff_id in s.staff_ids][:MOVE_CHOICES]
    site_ids = {s.site_id for s in slots if s.site_id is not None}
    sites: dict[int, str] = {}
    if site_ids:
        rows = get_session().execute(select(Site.id, Site.name).where(Site.id.in_(site_ids)))
        sites = dict(rows.tuples().all())
    by_day: dict[str, list[tuple[str, str]]] = {}
    for slot in slots:
        label = clock(slot.start)
        if slot.site_id in sites:
            label = f"{label} – {sites[slot.site_id]}"
        by_day.setdefault(day_label(slot.start), []).append((slot.start.isoformat(), label))
    return by_day


def _page(booking: Booking, form: Form | None = None) -> str:
    form = form or Form()
    # The booking's own staff member (the citizen's contact) and managers act on it.
    live = booking.status is BookingStatus.CONFIRMED and can_see(booking.staff_id)
    before = live and not _started(booking)
    (shown,) = appointments([booking])
    local_day = booking.start_at.astimezone(current.zone()).date()
    return render_template(
        "staff/appointment.html",
        a=shown,
        booking=booking,
        form=form,
        history=_history(booking),
        can_change=before,
        can_close=(live and _started(booking)) or "outcome" in form.errors,
        moments=_moments(booking) if before else {},
        move_days=MOVE_DAYS,
        # Only what can still change is told to anyone (a purged past one has no number).
        cancel_hint=telling.cancel_hint(booking, REASON_MAX) if before else "",
        move_hint=telling.move_hint(booking) if before else "",
        agenda_url=url_for(
            "staff.agenda",
            day=local_day.isoformat(),
            staff=booking.staff_id if is_manager() else None,
        ),
    )


# --- Reading the forms ----------------------------------------------------------------------


def _reason(form: Form, name: str, missing: str) -> str:
    """The reason on one line (it goes into an SMS), or an error next to the field (also the
    one ``Form.read`` left for a control or direction character)."""
    reason = " ".join(form.values.get(name, "").split())
    if name in form.errors:
        return reason
    if not reason:
        form.errors[name] = missing
    elif len(reason) > REASON_MAX:
        form.errors[name] = _("Keep the reason to %(length)d characters.", length=REASON_MAX)
    return reason


def _moment(form: Form) -> datetime | None:
    start = parse_instant(form.values.get("start", ""))
    if start is None:
        form.errors["start"] = _("Choose the new moment.")
        return None
    return start.astimezone(UTC)


def _attempt(change: Callable[[], object]) -> SchedulingError | None:
    """Run a command; its refusal (with nothing written) comes back to show in the form."""
    try:
        change()
    except SchedulingError as error:
        return error
    return None


def _refusal(error: SchedulingError) -> str:
    if isinstance(error, SlotUnavailable):
        return str(_("This moment is no longer free. Choose another one."))
    if isinstance(error, NotAllowed) and error.field == "status":
        return str(_("This appointment has not started yet: mark it once it has begun."))
    return str(_("This is not possible for this appointment."))


def _closed(booking: Booking) -> WerkzeugResponse | None:
    """After the page was loaded, someone else cancelled or closed it: say so, change nothing."""
    if booking.status is BookingStatus.CONFIRMED:
        return None
    flash(_("This appointment was already cancelled or closed: nothing was changed."), "error")
    return _back(booking)


def _back(booking: Booking) -> WerkzeugResponse:
    return redirect(url_for("staff.appointment", booking_id=booking.id))


# --- The pages ------------------------------------------------------------------------------

ALLOWED = (*AGENDA_ROLES, *MANAGERS)


@bp.get("/appointments/<int:booking_id>")
@staff_required(*ALLOWED)
def appointment(me: Staff, booking_id: int) -> str:
    return _page(_visible(me, booking_id))  # the actions check get_visible themselves


@bp.post("/appointments/<int:booking_id>/cancel")
@staff_required(*ALLOWED)
def cancel_appointment(me: Staff, booking_id: int) -> str | WerkzeugResponse:
    booking = get_visible(Booking, booking_id)  # not a colleague alongside: read only
    if (closed := _closed(booking)) is not None:
        return closed
    form = Form.read("cancel_reason", multiline=("cancel_reason",))  # a textarea
    reason = _reason(form, "cancel_reason", _("Give the reason for cancelling."))
    if form.ok and _started(booking):
        form.errors["cancel_reason"] = _("This appointment has started: mark it done or no-show.")
    if form.ok:
        error = _attempt(
            lambda: commands.cancel(
                get_session(), booking, actor=_actor(me), now=current.now(), reason=reason
            )
        )
        if error is None:
            flash(telling.cancelled(booking), "success")
            return _back(booking)
        form.errors["cancel_reason"] = _refusal(error)
    return _page(booking, form)


@bp.post("/appointments/<int:booking_id>/move")
@staff_required(*ALLOWED)
def move_appointment(me: Staff, booking_id: int) -> str | WerkzeugResponse:
    booking = get_visible(Booking, booking_id)  # not a colleague alongside: read only
    if (closed := _closed(booking)) is not None:
        return closed
    form = Form.read("start", "move_reason", multiline=("move_reason",))  # a textarea
    start = _moment(form)
    reason = _reason(form, "move_reason", _("Give the reason for the move."))
    if start is not None and _started(booking):
        form.errors["start"] = _("This appointment has started: it can no longer be moved.")
    if form.ok and start is not None:
        moved_to = start  # as narrowed here: mypy does not narrow inside the lambda
        error = _attempt(
            lambda: commands.move(
                get_session(),
                booking,
                start=moved_to,
                actor=_actor(me),
                now=current.now(),
                config=current.config(),
                reason=reason,
            )
        )
        if error is None:
            when = f"{day_label(booking.start_at)} {clock(booking.start_at)}"
            flash(telling.moved(booking, when), "success")
            return _back(booking)
        form.errors["start"] = _refusal(error)
    return _page(booking, form)


@bp.post("/appointments/<int:booking_id>/close")
@staff_required(*ALLOWED)
def close_appointment(me: Staff, booking_id: int) -> str | WerkzeugResponse:
    booking = get_visible(Booking, booking_id)  # not a colleague alongside: read only
    if (closed := _closed(booking)) is not None:
        return closed
    form = Form.read("outcome")
    outcome = OUTCOMES.get(form.values["outcome"])
    if outcome is None:
        form.errors["outcome"] = _("Choose done or no-show.")
    else:
        error = _attempt(
            lambda: commands.close(
                get_session(), booking, outcome=outcome, actor=_actor(me), now=current.now()
            )
        )
        if error is None:
            done = outcome is BookingStatus.DONE
            flash(
                _("The appointment is marked as done.")
                if done
                else _("The appointment is marked as no-show."),
                "success",
            )
            return _back(booking)
        form.errors["outcome"] = _refusal(error)
    return _page(booking, form)
