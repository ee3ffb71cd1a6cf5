"""My bookable moments (/staff/moments): a staff member's weekly hours per place, one-off
openings and closures; a preview of the free moments they give, then a confirm step that asks
what becomes of each appointment the change would strand (keep, move, cancel with notice).

Managers open anyone's with ``?staff=<id>``. Every step is a plain form post with the whole
plan in its fields: nothing is stored until "Save", and an error brings the page back filled.
"""

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import commands, current
from app.db import get_session
from app.i18n import clock, day_label, local
from app.places import place_of
from app.staff import bp
from app.staff.access import (
    AGENDA_ROLES,
    MANAGERS,
    get_visible,
    is_manager,
    staff_required,
)
from app.staff.labels import kind_label
from app.staff.moments_form import MomentsForm, Place, filled, place_value, plan_of, read
from app.values import parse_id
from scheduling.addresses import Address
from scheduling.enums import LocationKind
from scheduling.errors import SchedulingError
from scheduling.models import Booking, Site, Staff, StaffRole
from scheduling.moments import (
    PREVIEW_DAYS,
    Decision,
    Outcome,
    Plan,
    current_plan,
    preview,
    services_of,
    stranded,
)
from scheduling.trail import Actor

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)
DECISIONS = {
    Decision.KEEP: (
        _l("Keep it"),
        _l("It stays as it is, as an exception to your bookable moments."),
    ),
    Decision.MOVE: (
        _l("Move it"),
        _l(
            "To a colleague free at that moment, else to your next free moment. The citizen gets an SMS."
        ),
    ),
    Decision.CANCEL: (
        _l("Cancel it"),
        _l("The citizen gets an SMS with a link to book again."),
    ),
}
ADD_ROW = {"add_week": "week", "add_open": "open", "add_close": "close"}


def _today() -> date:
    return local(current.now()).date()


def _staff(me: Staff) -> Staff | None:
    """Whose moments: ``?staff=`` (managers: anyone bookable; others: only themselves), else
    ``me``'s own (None: a manager who is not bookable, to choose someone)."""
    asked = request.args.get("staff")
    if asked is None:
        return me if me.role_set & frozenset(AGENDA_ROLES) else None
    ident = parse_id(asked)
    if ident is None:  # no one's id; to others than managers a refusal like any other
        abort(400 if is_manager() else 403)
    staff = get_visible(Staff, ident, owner="id")
    if not staff.role_set & frozenset(AGENDA_ROLES):
        abort(404)
    return staff


def _places(staff: Staff, plan: Plan) -> list[Place]:
    """Where this staff member can receive: every site (for office hours), then the visits
    their services make; and wherever a stored row already says."""
    sites = list(get_session().scalars(select(Site).order_by(Site.is_central.desc(), Site.name)))
    places = [
        Place(place_value(LocationKind.OFFICE, s.id), s.name, LocationKind.OFFICE, s.id)
        for s in sites
    ]
    served = {loc for s in services_of(get_session(), staff) for loc in s.locations}
    used = {h.location.value for h in plan.weekly} | {o.location.value for o in plan.openings}
    if LocationKind.HOME.value in served | used:
        places.append(Place(LocationKind.HOME.value, _("Home visits"), LocationKind.HOME))
        # A home-visit window from an office: the round leaves from it and is back by the
        # window's end (travel reckoned from its village: docs/rounds.md).
        places.extend(
            Place(
                place_value(LocationKind.HOME, s.id),
                _("Home visits, starting and ending at %(site)s", site=s.name),
                LocationKind.HOME,
                s.id,
            )
            for s in sites
        )
    if LocationKind.ON_SITE.value in served | used:
        places.append(
            Place(LocationKind.ON_SITE.value, _("Assistance on site"), LocationKind.ON_SITE)
        )
    return places


# --- What the confirm step shows ---------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    day: date
    places: list[tuple[str, list[datetime]]]  # place label → start times


@dataclass(frozen=True)
class Preview:
    service: str
    days: list[Day]


def _previews(staff: Staff, plan: Plan, places: list[Place]) -> list[Preview]:
    labels = {(p.location, p.site_id): p.label for p in places}
    shown = []
    for service in services_of(get_session(), staff):
        slots = preview(
            get_session(), plan=plan, service=service, now=current.now(), zone=current.zone()
        )
        days = []
        for day, of_day in groupby(slots, key=lambda s: local(s.start).date()):
            by_place: dict[str, list[datetime]] = {}
            for slot in of_day:
                label = labels.get((slot.location, slot.site_id), slot.location.value)
                by_place.setdefault(label, []).append(slot.start)
            days.append(Day(day, list(by_place.items())))
        shown.append(Preview(kind_label(service), days))
    return shown


@dataclass(frozen=True)
class Stranded:
    booking: Booking
    place: str
    field: str  # the name of its decision


def _stranded(plan: Plan) -> list[Stranded]:
    rows = []
    for booking in stranded(get_session(), plan=plan, now=current.now(), zone=current.zone()):
        address = (
            Address(booking.address_postcode, booking.address_street, booking.address_number)
            if booking.address_postcode and booking.address_street and booking.address_number
            else None
        )
        place = place_of(
            get_session(),
            location=booking.location.value,
            staff_id=booking.staff_id,
            site_id=booking.site_id,
            address=address,
        )
        where = f"{place.title}, {place.address}" if place.address else place.title
        rows.append(Stranded(booking, where, f"decision-{booking.id}"))
    return rows


def _decisions(moments: MomentsForm, strand: list[Stranded]) -> dict[int, Decision] | None:
    """The decision for each stranded appointment, or None with an error next to each missing."""
    chosen: dict[int, Decision] = {}
    for row in strand:
        value = request.form.get(row.field, "")
        moments.form.values[row.field] = value
        if value in {d.value for d in Decision}:
            chosen[row.booking.id] = Decision(value)
        elif request.form.get("action") == "save":
            # Named: the error summary at the top lists them all, each must say which it is.
            when = f"{day_label(row.booking.start_at)} {clock(row.booking.start_at)}"
            moments.form.errors[row.field] = _(
                "Choose what happens to the appointment of %(when)s with %(name)s.",
                when=when,
                name=row.booking.citizen_name,
            )
    return chosen if len(chosen) == len(strand) else None


def _saved_message(outcomes: list[Outcome]) -> str:
    if not outcomes:
        return _("Your bookable moments are saved.")
    count = {d: sum(o.decision is d for o in outcomes) for d in Decision}
    return _(
        "Your bookable moments are saved. Appointments kept: %(kept)d, moved: %(moved)d, "
        "cancelled: %(cancelled)d.",
        kept=count[Decision.KEEP],
        moved=count[Decision.MOVE],
        cancelled=count[Decision.CANCEL],
    )


# --- The page -----------------------------------------------------------------------------


@bp.route("/moments", methods=["GET", "POST"])
@staff_required(*AGENDA_ROLES, *MANAGERS)
def moments(me: Staff) -> str | WerkzeugResponse:
    staff = _staff(me)
    if staff is None:
        return _choose_staff()
    session = get_session()
    stored = current_plan(
        session, staff_id=staff.id, from_day=_today(), now=current.now(), zone=current.zone()
    )
    places = _places(staff, stored)
    action = request.form.get("action", "") if request.method == "POST" else ""
    moments = read(keep_empty=action in ADD_ROW) if action else filled(stored)
    if action in ADD_ROW:
        moments.add_row(ADD_ROW[action])
    if action not in ("preview", "save"):
        return _edit(me, staff, moments, places)
    plan = plan_of(moments, staff_id=staff.id, places=places, today=_today())
    if plan is None:
        return _edit(me, staff, moments, places)
    strand = _stranded(plan)
    decisions = _decisions(moments, strand)
    if action == "save" and decisions is not None:
        try:
            with session.begin_nested():  # a refusal undoes the whole save, nothing half done
                outcomes = commands.moments_changed(
                    session,
                    plan,
                    decisions=decisions,
                    actor=Actor.staff(me.id),
                    now=current.now(),
                    zone=current.zone(),
                )
        except SchedulingError as error:
            field = f"decision-{error.field}" if error.field and error.field.isdigit() else None
            message = _("This appointment cannot be moved: there is no free moment for it.")
            if field is None:  # the moments changed meanwhile: check again
                field, message = "save", _("Something changed meanwhile. Check and save again.")
            moments.form.errors[field] = message
            strand = _stranded(plan)
        else:
            flash(_saved_message(outcomes), "success")
            return redirect(url_for("staff.moments", **_staff_arg(me, staff)))
    return render_template(
        "staff/moments_preview.html",
        staff=staff,
        own=staff.id == me.id,
        moments=moments,
        plan=plan,
        places={(p.location, p.site_id): p.label for p in places},
        weekdays=WEEKDAYS,
        decisions=[(d.value, DECISIONS[d][0], DECISIONS[d][1]) for d in Decision],
        previews=_previews(staff, plan, places),
        stranded=strand,
        days=PREVIEW_DAYS,
        staff_arg=_staff_arg(me, staff),
    )


def _edit(me: Staff, staff: Staff, moments: MomentsForm, places: list[Place]) -> str:
    if not moments.rows["week"] and not moments.form.errors:
        moments.add_row("week")  # a first row to fill in
    return render_template(
        "staff/moments.html",
        staff=staff,
        own=staff.id == me.id,
        moments=moments,
        place_options=[(p.value, p.label) for p in places],
        weekday_options=[(str(i), str(name)) for i, name in enumerate(WEEKDAYS)],
        today=_today(),
        staff_arg=_staff_arg(me, staff),
    )


def _staff_arg(me: Staff, staff: Staff) -> dict[str, Any]:
    return {} if staff.id == me.id else {"staff": staff.id}


def _choose_staff() -> str:
    """A manager who receives no appointments themself chooses whose moments to open."""
    bookable = get_session().scalars(
        select(Staff)
        .join(StaffRole)
        .where(Staff.active, StaffRole.role.in_(AGENDA_ROLES))
        .distinct()
        .order_by(Staff.name)
    )
    return render_template("staff/moments_staff.html", staff_list=list(bookable))
