"""Bailiff offices (/staff/admin/bailiff-offices): the offices that book police assistance,
with their enterprise number, address, e-mail, phone, language and whether they may still
book. Supervisors and admins list, create and change them. An inactive office's users
cannot sign in to the portal and its API tokens are refused (app.bailiffs.sessions,
app.api.bookings): deactivating is how the zone stops an office, without deleting its
bookings' history. Its users are on the same page (``bailiff_office_users``).
Every change is an audit entry: ``bailiff_office_created``, ``bailiff_office_updated``."""

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import ratelimit
from app.assistance.models import OfficeUser
from app.db import get_session
from app.email_address import normalized_email
from app.enterprise_number import enterprise_number
from app.forms import Form
from app.phone import national, to_e164
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from app.staff.labels import LANGUAGE_NAMES
from scheduling.errors import InvalidRequest
from scheduling.models import BailiffAccount, Staff

FIELDS = ("name", "enterprise_number", "address", "email", "phone", "language", "active")
NAME_LIMIT = 200
ADDRESS_LIMIT = 300


@bp.get("/admin/bailiff-offices")
@staff_required(*MANAGERS)
def admin_bailiff_offices(me: Staff) -> str:
    offices = get_session().scalars(select(BailiffAccount).order_by(BailiffAccount.name))
    return render_template("staff/admin/bailiff_offices.html", offices=list(offices))


def _values_of(office: BailiffAccount) -> dict[str, str]:
    return {
        "name": office.name,
        "enterprise_number": office.enterprise_number,
        "address": office.address,
        "email": office.email,
        "phone": national(office.phone) if office.phone else "",
        "language": office.language,
        "active": "yes" if office.active else "",
    }


def _read(form: Form) -> dict[str, Any] | None:
    """The office's new values, or None with each error next to its field."""
    values: dict[str, Any] = {
        "name": common.read_text(
            form, "name", limit=NAME_LIMIT, missing=_("Enter the office's name.")
        ),
        "address": common.read_text(
            form, "address", limit=ADDRESS_LIMIT, missing=_("Enter the office's address.")
        ),
        "language": form.values["language"],
        "active": form.values["active"] == "yes",
    }
    if values["language"] not in LANGUAGE_NAMES:
        form.errors["language"] = _("Choose a language from the list.")
    parsers = {
        "enterprise_number": (
            enterprise_number,
            _("Enter the enterprise number."),
            _("Enter a Belgian enterprise number like 0123.456.749: check the digits."),
        ),
        "email": (
            normalized_email,
            _("Enter the office's e-mail address."),
            _("Enter one e-mail address, like kantoor@example.be."),
        ),
        "phone": (
            to_e164,
            _("Enter the office's phone number."),
            _("Enter a phone number like 02 396 29 71."),
        ),
    }
    for name, (parse, missing, wrong) in parsers.items():
        raw = form.values[name]
        if name in form.errors:
            continue
        if not raw:
            form.errors[name] = missing
            continue
        try:
            values[name] = parse(raw)
        except InvalidRequest:
            form.errors[name] = wrong
    return values if form.ok else None


def _edit_page(form: Form, office: BailiffAccount | None, invite: Form | None = None) -> str:
    users: list[OfficeUser] = []
    if office is not None:
        users = list(
            get_session().scalars(
                select(OfficeUser)
                .where(OfficeUser.office_id == office.id)
                .order_by(OfficeUser.active.desc(), OfficeUser.name)
            )
        )
    return render_template(
        "staff/admin/bailiff_office_edit.html",
        office=office,
        form=form,
        invite=invite or Form({"user_language": office.language if office else "nl"}),
        users=users,
        languages=list(LANGUAGE_NAMES.items()),
    )


@bp.route("/admin/bailiff-offices/new", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_bailiff_office_new(me: Staff) -> str | WerkzeugResponse:
    form = Form({"language": "nl", "active": "yes"})
    if request.method == "POST":
        ratelimit.hit_or_refuse("admin-staff", str(me.id))
        form = Form.read(*FIELDS)
        values = _read(form)
        if values is not None:
            office = BailiffAccount(**values)
            get_session().add(office)
            get_session().flush()
            common.audit("bailiff_office_created", {"bailiff_account_id": office.id})
            flash(_("Saved. Invite the office's first user below."), "success")
            return redirect(url_for("staff.admin_bailiff_office", ident=office.id))
    return _edit_page(form, None)


@bp.route("/admin/bailiff-offices/<int:ident>", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_bailiff_office(me: Staff, ident: int) -> str | WerkzeugResponse:
    office = common.load(BailiffAccount, ident)
    form = Form(_values_of(office))
    if request.method == "POST":
        ratelimit.hit_or_refuse("admin-staff", str(me.id))
        form = Form.read(*FIELDS)
        values = _read(form)
        if values is not None:
            changed = common.apply_changes(office, values)
            if changed:
                get_session().flush()
                # Which fields changed, not their values: the trail needs no copy of them.
                common.audit(
                    "bailiff_office_updated",
                    {"bailiff_account_id": office.id, "changed": sorted(changed)},
                )
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("staff.admin_bailiff_offices"))
    return _edit_page(form, office)


def edit_page(office: BailiffAccount, invite: Form) -> str:
    """The office's page with the invitation form as typed (its errors next to its fields)."""
    return _edit_page(Form(_values_of(office)), office, invite)
