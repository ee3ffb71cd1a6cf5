"""The capacity rule for bailiff assistance (/staff/admin/assistance-capacity): how many
officers may be out on assistance at once, per weekday and time of day, and the days it
takes none (scheduling.capacity). Supervisors and admins edit it as officers edit their
bookable moments: rows, "add a row", "remove", save.

Saving replaces the rule and counts it out again in the same transaction
(app.assistance.commands.capacity_counted), so the next search and the database's CHECK
already follow it. Bookings made under a more generous rule keep their officers; the page
lists those now above the rule, for a supervisor to move if need be.
The change is an audit entry: ``assistance_capacity_updated``."""

from dataclasses import dataclass
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.assistance.commands import capacity_counted
from app.db import get_session
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from app.staff.admin.assistance_capacity_form import CapacityForm, filled, read, rule_of
from app.staff.moments import WEEKDAYS
from scheduling import capacity
from scheduling.enums import Audience, BookingStatus
from scheduling.models import (
    AssistanceCapacity,
    AssistanceCapacityRule,
    AssistanceClosedDay,
    Booking,
    Service,
    Staff,
)

ADD_ROW = {"add_rule": "rule", "add_closed": "closed"}


def _today() -> date:
    return current.now().astimezone(current.zone()).date()


def above_rule() -> list[Booking]:
    """The assistance to come that holds more officers than the rule now gives at its time:
    the bookings on a quarter hour whose ``used`` exceeds the rule's figure."""
    session = get_session()
    now = current.now()
    over = set(
        session.scalars(
            select(AssistanceCapacity.slice_start).where(
                AssistanceCapacity.used > AssistanceCapacity.rule_officers,
                AssistanceCapacity.slice_start >= now - capacity.SLICE,
            )
        )
    )
    if not over:
        return []
    booked = session.scalars(
        select(Booking)
        .join(Service, Service.id == Booking.service_id)
        .where(
            Service.audience == Audience.BAILIFF,
            Booking.status == BookingStatus.CONFIRMED,
            Booking.end_at > now,
        )
        .order_by(Booking.start_at, Booking.id)
    )
    return [b for b in booked if over.intersection(capacity.slices_of(b.start_at, b.end_at))]


@dataclass(frozen=True)
class _Stored:
    lines: list[AssistanceCapacityRule]
    closed: list[AssistanceClosedDay]


def _stored() -> _Stored:
    session = get_session()
    lines = session.scalars(
        select(AssistanceCapacityRule).order_by(
            AssistanceCapacityRule.weekday, AssistanceCapacityRule.starts
        )
    )
    closed = session.scalars(
        select(AssistanceClosedDay)
        .where(AssistanceClosedDay.day >= _today())  # a past closed day no longer matters
        .order_by(AssistanceClosedDay.day)
    )
    return _Stored(list(lines), list(closed))


def _page(form: CapacityForm) -> str:
    return render_template(
        "staff/admin/assistance_capacity.html",
        capacity=form,
        form=form.form,
        weekday_options=[(str(i), str(name)) for i, name in enumerate(WEEKDAYS)],
        above=above_rule(),
    )


@bp.route("/admin/assistance-capacity", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_assistance_capacity(me: Staff) -> str | WerkzeugResponse:
    if request.method == "GET":
        stored = _stored()
        return _page(filled(stored.lines, stored.closed))
    ratelimit.hit_or_refuse("admin-staff", str(me.id))
    action = request.form.get("action", "")
    form = read(keep_empty=action in ADD_ROW)
    if action in ADD_ROW:
        form.rows[ADD_ROW[action]] += 1
        return _page(form)
    rule = rule_of(form, today=_today())
    if rule is None:
        return _page(form)
    session = get_session()
    session.execute(delete(AssistanceCapacityRule))
    session.execute(delete(AssistanceClosedDay).where(AssistanceClosedDay.day >= _today()))
    session.add_all(
        AssistanceCapacityRule(weekday=day, starts=starts, ends=ends, officers=officers)
        for day, starts, ends, officers in rule.lines
    )
    session.add_all(AssistanceClosedDay(day=day, reason=reason) for day, reason in rule.closed)
    session.flush()
    capacity_counted(session, now=current.now(), config=current.config())
    common.audit(
        "assistance_capacity_updated", {"lines": len(rule.lines), "closed_days": len(rule.closed)}
    )
    above = len(above_rule())
    flash(
        _(
            "Saved. %(count)d booked assistance holds more officers than the new rule gives: "
            "they keep them; move them below if need be.",
            count=above,
        )
        if above
        else _("Saved."),
        "success",
    )
    return redirect(url_for("staff.admin_assistance_capacity"))
