"""Districts (/staff/admin/districts): each wijk's officer, stand-in, site and streets.

Who changes what, as a zone works: covering a district is day-to-day staffing, so a
supervisor as well as an admin appoints the officer and the stand-in (long leave, a new
colleague); the district's site and its streets are the zone's map, changed by admins only.

A change applies to what is booked from then on. Appointments already made stay with the
officer who has them (still active and free; one who leaves is deactivated on the Staff
page, which passes their appointments on). A street may belong to one district only, or
be split by house numbers between districts; ranges may not overlap.
"""

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from app.addresses.linking import register_street
from app.db import get_session
from app.forms import Form
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from scheduling.addresses import street_key
from scheduling.enums import Role
from scheduling.models import District, DistrictStreet, Staff, Street

DISTRICT_FIELDS = ("officer", "standin", "site")
STREET_FIELDS = ("postcode", "street", "number_from", "number_to")
HIGHEST_NUMBER = 99_999  # scheduling.addresses reads at most five digits


@bp.get("/admin/districts")
@staff_required(*MANAGERS)
def admin_districts(me: Staff) -> str:
    districts = get_session().scalars(
        select(District)
        .options(selectinload(District.streets), selectinload(District.site))
        .order_by(District.municipality, District.name)
    )
    return render_template("staff/admin/districts.html", districts=list(districts))


def _district_form(district: District) -> Form:
    return Form(
        {
            "officer": str(district.officer_id),
            "standin": str(district.standin_id or ""),
            "site": str(district.site_id or ""),
        }
    )


def _officers(district: District) -> list[Staff]:
    """Active wijkagents, and whoever holds the district now (even when no longer so)."""
    officers = common.staff_with(Role.DISTRICT_OFFICER)
    current = [s for s in (district.officer, district.standin) if s and s not in officers]
    return sorted(officers + current, key=lambda s: s.name)


def _render(district: District, form: Form, street_form: Form) -> str:
    def label(staff: Staff) -> str:
        return staff.name if staff.active else _("%(name)s (inactive)", name=staff.name)

    return render_template(
        "staff/admin/district_edit.html",
        district=district,
        form=form,
        street_form=street_form,
        officer_options=[(str(s.id), label(s)) for s in _officers(district)],
        site_options=[(str(s.id), s.name) for s in common.sites()],
        can_edit_all=common.is_admin(),
    )


@bp.get("/admin/districts/<int:ident>")
@staff_required(*MANAGERS)
def admin_district(me: Staff, ident: int) -> str:
    district = common.load(District, ident)
    return _render(district, _district_form(district), Form())


def _read_district(form: Form, district: District) -> dict[str, Any] | None:
    allowed = [s.id for s in _officers(district)]
    officer = common.read_id(form, "officer", allowed, _("Choose a neighbourhood officer."))
    if officer is None and "officer" not in form.errors:
        form.errors["officer"] = _("Choose a neighbourhood officer.")
    standin = common.read_id(form, "standin", allowed, _("Choose a neighbourhood officer."))
    if standin is not None and standin == officer:
        form.errors["standin"] = _("The stand-in must be someone other than the officer.")
    values: dict[str, Any] = {"officer_id": officer, "standin_id": standin}
    if common.is_admin():  # a supervisor's form has no site: it stays as it is
        values["site_id"] = common.read_id(
            form, "site", [s.id for s in common.sites()], _("Choose a site from the list.")
        )
    return values if form.ok else None


@bp.post("/admin/districts/<int:ident>")
@staff_required(*MANAGERS)
def admin_district_save(me: Staff, ident: int) -> str | WerkzeugResponse:
    district = common.load(District, ident)
    form = Form.read(*DISTRICT_FIELDS)
    values = _read_district(form, district)
    if values is None:
        return _render(district, form, Form())
    before = {name: getattr(district, name) for name in values}
    changed = common.apply_changes(district, values)
    if changed:
        get_session().flush()
        common.audit(
            "district_updated",
            {
                "district_id": district.id,
                "changed": {name: [before[name], values[name]] for name in changed},
            },
        )
    flash(_("Saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("staff.admin_district", ident=district.id))


def _read_number(form: Form, name: str) -> int | None:
    return common.read_int(form, name, 1, HIGHEST_NUMBER) if form.values[name] else None


def _overlapping(row: DistrictStreet, first: int | None, last: int | None) -> bool:
    # An open end reaches every number on that side.
    return (row.number_from or 0) <= (last or HIGHEST_NUMBER) and (first or 0) <= (
        row.number_to or HIGHEST_NUMBER
    )


def _read_street(form: Form, district: District) -> DistrictStreet | None:
    postcode = common.read_postcode(form, "postcode")
    street = common.read_text(form, "street", limit=200, missing=_("Enter the street name."))
    key = street_key(street)
    if street and "street" not in form.errors and not key:
        form.errors["street"] = _("Enter the street name.")
    first, last = _read_number(form, "number_from"), _read_number(form, "number_to")
    if first is not None and last is not None and first > last:
        form.errors["number_to"] = _("The last house number cannot come before the first.")
    if not form.ok:
        return None
    street_id = register_street(get_session(), postcode, key)
    clash = next(
        (row for row in _same_street(postcode, key, street_id) if _overlapping(row, first, last)),
        None,
    )
    if clash is not None:
        other = get_session().get_one(District, clash.district_id)
        form.errors["street"] = (
            _("This street (or these house numbers) is already in this district.")
            if other.id == district.id
            else _(
                "This street (or these house numbers) already belongs to the district "
                "%(district)s.",
                district=other.name,
            )
        )
        return None
    return DistrictStreet(
        postcode=postcode,
        street=street,
        street_key=key,
        number_from=first,
        number_to=last,
        street_id=street_id,  # linked at once: found by its names in every language
    )


def _same_street(postcode: str, key: str, street_id: int | None) -> list[DistrictStreet]:
    """The district streets of ``postcode`` that are this street: by the district's spelling
    ("Kerkstraat", "kerkstraat "), by any of its register street's names, or by being linked
    to the same register street ("Rue de l'Église" is the Kerkstraat of Bever)."""
    same = or_(
        DistrictStreet.street_key == key,
        Street.key_nl == key,
        Street.key_fr == key,
        Street.key_de == key,
    )
    if street_id is not None:
        same = or_(same, DistrictStreet.street_id == street_id)
    return list(
        get_session().scalars(
            select(DistrictStreet)
            .outerjoin(Street, DistrictStreet.street_id == Street.id)
            .where(DistrictStreet.postcode == postcode, same)
        )
    )


def _street_details(district: District, row: DistrictStreet) -> dict[str, Any]:
    return {
        "district_id": district.id,
        "postcode": row.postcode,
        "street": row.street,
        "number_from": row.number_from,
        "number_to": row.number_to,
    }


@bp.post("/admin/districts/<int:ident>/streets")
@staff_required(*MANAGERS)
def admin_district_add_street(me: Staff, ident: int) -> str | WerkzeugResponse:
    common.require_admin()
    district = common.load(District, ident)
    form = Form.read(*STREET_FIELDS)
    row = _read_street(form, district)
    if row is None:
        return _render(district, _district_form(district), form)
    district.streets.append(row)
    get_session().flush()
    common.audit("district_street_added", _street_details(district, row))
    flash(_("The street is added to the district."), "success")
    return redirect(url_for("staff.admin_district", ident=district.id))


@bp.post("/admin/districts/<int:ident>/streets/<int:street_id>/remove")
@staff_required(*MANAGERS)
def admin_district_remove_street(me: Staff, ident: int, street_id: int) -> WerkzeugResponse:
    common.require_admin()
    district = common.load(District, ident)
    row = common.load(DistrictStreet, street_id)
    if row.district_id != district.id:
        abort(404)
    details = _street_details(district, row)
    district.streets.remove(row)
    get_session().flush()
    common.audit("district_street_removed", details)
    flash(_("The street is removed from the district."), "success")
    return redirect(url_for("staff.admin_district", ident=district.id))
