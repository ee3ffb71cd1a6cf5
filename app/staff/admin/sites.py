"""Sites (/staff/admin/sites): the zone's offices with their address, walk-in opening hours
(per weekday, structured: the citizen pages and the phone menu say them in every language),
the village it is in (where home-visit rounds leave from: app/staff/admin/villages.py)
and a description in Dutch, French and English, as citizens see them; admins change them,
supervisors read. The site's code stays: GALOP's roster names home sites by it. When an
office receives by appointment is not entered here: the pages derive it from the officers'
bookable moments (app/offices.py)."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app.db import get_session
from app.forms import Form
from app.hours_text import hours_in_short
from app.i18n import LANGUAGES, language
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common, site_hours
from app.staff.labels import LANGUAGE_NAMES
from scheduling.hours import Hours
from scheduling.models import Site, Staff, Village

ADDRESS = ("name", "street", "number", "postcode", "municipality")
VILLAGE = "village_id"
DESCRIPTIONS = tuple(f"description_{lang}" for lang in LANGUAGES)
DESCRIPTION_LIMIT = 1000


@bp.get("/admin/sites")
@staff_required(*MANAGERS)
def admin_sites(me: Staff) -> str:
    found = get_session().scalars(select(Site).order_by(Site.name))
    sites = [(site, hours_in_short(Hours(site.hours), language())) for site in found]
    return render_template("staff/admin/sites.html", sites=sites, can_edit=common.is_admin())


def _values_of(site: Site) -> dict[str, str]:
    values = {name: str(getattr(site, name)) for name in ADDRESS}
    values[VILLAGE] = str(site.village_id) if site.village_id is not None else ""
    values |= {f"description_{lang}": site.description.get(lang, "") for lang in LANGUAGES}
    return values | site_hours.values_of(site.hours)


def _read(form: Form) -> dict[str, Any] | None:
    values: dict[str, Any] = {
        "name": common.read_text(form, "name", limit=200, missing=_("Enter the site's name.")),
        "street": common.read_text(form, "street", limit=200, missing=_("Enter the street.")),
        "number": common.read_text(form, "number", limit=40, missing=_("Enter the house number.")),
        "postcode": common.read_postcode(form, "postcode"),
        "municipality": common.read_text(
            form, "municipality", limit=200, missing=_("Enter the municipality.")
        ),
        "hours": site_hours.read_week(form),
        VILLAGE: common.read_id(
            form, VILLAGE, (v.id for v in _villages()), _("Choose a village from the list.")
        ),
    }
    texts = {
        lang: common.read_text(form, f"description_{lang}", limit=DESCRIPTION_LIMIT, lines=True)
        for lang in LANGUAGES
    }
    values["description"] = {lang: text for lang, text in texts.items() if text}
    return values if form.ok else None


@bp.route("/admin/sites/<int:ident>", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_site(me: Staff, ident: int) -> str | WerkzeugResponse:
    common.require_admin()
    site = common.load(Site, ident)
    form = Form(_values_of(site))
    if request.method == "POST":
        form = Form.read(
            *ADDRESS, VILLAGE, *site_hours.FIELDS, *DESCRIPTIONS, multiline=DESCRIPTIONS
        )
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
    return render_template(
        "staff/admin/site_edit.html",
        site=site,
        form=form,
        days=site_hours.labels(),
        languages=LANGUAGE_NAMES,
        villages=[(str(v.id), f"{v.name} ({v.postcode})") for v in _villages()],
    )


def _villages() -> list[Village]:
    return list(get_session().scalars(select(Village).order_by(Village.name)))
