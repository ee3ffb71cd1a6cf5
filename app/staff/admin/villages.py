"""Villages and travel (/staff/admin/villages): the zone's villages (deelgemeenten) with their
postcode and centre, and the driving minutes between them that plan home-visit rounds
(``scheduling.rounds``, docs/rounds.md). Supervisors read; admins add and change villages and
save the travel grid (``scheduling.travel_times``: one drive for both ways unless both are
entered). Every change bumps the schedule version, so no cached search keeps old moments.
Audit entries: ``village_added``, ``village_updated``, ``village_travel_updated``."""

import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import ratelimit
from app.db import get_session
from app.forms import Form
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from scheduling import travel_times
from scheduling.models import Staff, Village

FIELDS = ("name", "postcode", "lat", "lon")
# The centre must lie in or near Belgium: a swapped latitude and longitude is caught.
LAT, LON = (49.4, 51.6), (2.5, 6.5)
DECIMAL = re.compile(r"-?\d{1,3}([.,]\d{1,8})?")


def _villages() -> list[Village]:
    return list(get_session().scalars(select(Village).order_by(Village.postcode, Village.name)))


def cell(a: int, b: int) -> str:
    """The grid field of the drive from village ``a`` to ``b``."""
    return f"travel-{a}-{b}"


def _grid_values(villages: list[Village]) -> dict[str, str]:
    known = travel_times.travel_minutes(get_session())
    return {
        cell(a.id, b.id): str(known[(a.id, b.id)]) if (a.id, b.id) in known else ""
        for a in villages
        for b in villages
    }


def _page(new: Form, grid: Form | None = None, status: int = 200) -> tuple[str, int]:
    villages = _villages()
    return render_template(
        "staff/admin/villages.html",
        villages=villages,
        form=new,
        grid=grid or Form(_grid_values(villages)),
        cell=cell,
        can_edit=common.is_admin(),
        max_minutes=travel_times.MAX_MINUTES,
    ), status


def _coordinate(form: Form, name: str, bounds: tuple[float, float], example: str) -> float:
    raw = form.values.get(name, "")
    low, high = bounds
    if name not in form.errors and DECIMAL.fullmatch(raw):
        value = float(raw.replace(",", "."))
        if low <= value <= high:
            return value
    if name not in form.errors:
        form.errors[name] = _(
            "Enter a number from %(low)s to %(high)s, like %(example)s.",
            low=low,
            high=high,
            example=example,
        )
    return 0.0


def _read(form: Form, ident: int | None = None) -> dict[str, Any] | None:
    values: dict[str, Any] = {
        "name": common.read_text(form, "name", limit=200, missing=_("Enter the village's name.")),
        "postcode": common.read_postcode(form, "postcode"),
        "lat": _coordinate(form, "lat", LAT, "50.7496"),
        "lon": _coordinate(form, "lon", LON, "4.0272"),
    }
    if "name" not in form.errors and travel_times.name_taken(
        get_session(), values["name"], other_than=ident
    ):
        form.errors["name"] = _("Another village already has this name.")
    return values if form.ok else None


@bp.get("/admin/villages")
@staff_required(*MANAGERS)
def admin_villages(me: Staff) -> tuple[str, int]:
    return _page(Form({}))


@bp.post("/admin/villages")
@staff_required(*MANAGERS)
def admin_villages_new(me: Staff) -> tuple[str, int] | WerkzeugResponse:
    common.require_admin()
    ratelimit.hit_or_refuse("admin-staff", str(me.id))
    form = Form.read(*FIELDS)
    values = _read(form)
    if values is None:
        return _page(form, status=422)
    village = travel_times.add_village(get_session(), **values)
    common.audit("village_added", {"village_id": village.id, "name": village.name})
    flash(_("Added. Enter its travel times in the grid below."), "success")
    return redirect(url_for("staff.admin_villages"))


@bp.route("/admin/villages/<int:ident>", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_villages_edit(me: Staff, ident: int) -> str | tuple[str, int] | WerkzeugResponse:
    common.require_admin()
    village = common.load(Village, ident)
    form = Form({n: str(getattr(village, n)) for n in FIELDS})
    if request.method == "POST":
        ratelimit.hit_or_refuse("admin-staff", str(me.id))
        form = Form.read(*FIELDS)
        values = _read(form, village.id)
        if values is not None:
            changed = common.apply_changes(village, values)
            if changed:
                get_session().flush()
                common.audit(
                    "village_updated", {"village_id": village.id, "changed": sorted(changed)}
                )
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("staff.admin_villages"))
        return render_template("staff/admin/village_edit.html", village=village, form=form), 422
    return render_template("staff/admin/village_edit.html", village=village, form=form)


@bp.post("/admin/villages/travel")
@staff_required(*MANAGERS)
def admin_villages_travel(me: Staff) -> tuple[str, int] | WerkzeugResponse:
    common.require_admin()
    ratelimit.hit_or_refuse("admin-staff", str(me.id))
    villages = _villages()
    # The cells posted (a page loaded before a village was added lacks its cells: those
    # stay as they are).
    pairs = {cell(a.id, b.id): (a.id, b.id) for a in villages for b in villages}
    grid = Form.read(*(name for name in pairs if name in request.form))
    entered: dict[travel_times.Pair, int | None] = {}
    for name in grid.values:
        if name in grid.errors:
            continue
        if not grid.values[name]:
            entered[pairs[name]] = None
            continue
        minutes = common.read_int(grid, name, 0, travel_times.MAX_MINUTES)
        if minutes is not None:
            entered[pairs[name]] = minutes
    if not grid.ok:
        shown = Form(_grid_values(villages) | grid.values, grid.errors)
        return _page(Form({}), shown, status=422)
    saved = travel_times.save_travel(get_session(), entered)
    if saved:
        common.audit("village_travel_updated", {"pairs": len(saved)})
    flash(_("Saved.") if saved else _("Nothing changed."), "success")
    return redirect(url_for("staff.admin_villages"))
