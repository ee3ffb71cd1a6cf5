"""Sites (/staff/admin/sites): the zone's offices with their address and opening hours, as
citizens see them; admins change them, supervisors read. The site's code stays: GALOP's
roster names home sites by it."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app.db import get_session
from app.forms import Form
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from scheduling.models import Site, Staff

FIELDS = ("name", "street", "number", "postcode", "municipality", "opening_hours")


@bp.get("/admin/sites")
@staff_required(*MANAGERS)
def admin_sites(me: Staff) -> str:
    found = get_session().scalars(select(Site).order_by(Site.name))
    return render_template("staff/admin/sites.html", sites=list(found), can_edit=common.is_admin())


def _read(form: Form) -> dict[str, str] | None:
    values = {
        "name": common.read_text(form, "name", limit=200, missing=_("Enter the site's name.")),
        "street": common.read_text(form, "street", limit=200, missing=_("Enter the street.")),
        "number": common.read_text(form, "number", limit=40, missing=_("Enter the house number.")),
        "postcode": common.read_postcode(form, "postcode"),
        "municipality": common.read_text(
            form, "municipality", limit=200, missing=_("Enter the municipality.")
        ),
        "opening_hours": common.read_text(form, "opening_hours", limit=400, lines=True),
    }
    return values if form.ok else None


@bp.route("/admin/sites/<int:ident>", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_site(me: Staff, ident: int) -> str | WerkzeugResponse:
    common.require_admin()
    site = common.load(Site, ident)
    form = Form({name: str(getattr(site, name)) for name in FIELDS})
    if request.method == "POST":
        form = Form.read(*FIELDS, multiline=("opening_hours",))
        values = _read(form)
        if values is not None:
            changed = common.apply_changes(site, values)
            if changed:
                get_session().flush()
                common.audit(
                    "site_updated", {"site_id": site.id, "code": site.code, "changed": changed}
                )
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("staff.admin_sites"))
    return render_template("staff/admin/site_edit.html", site=site, form=form)
