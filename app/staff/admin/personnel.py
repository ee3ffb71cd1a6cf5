"""Staff (/staff/admin/staff): everyone with their personnel number, roles, site and whether
they are active; admins change roles, active, home site and work phone, supervisors read.

GALOP is the roster's source (docs/galop.md): its next import that carries a field sets it
again, except the supervisor and admin roles, which only this page gives and takes (and a
supervisor or admin switched off here stays off). Deactivating someone treats them as absent from now on (``commands.departed``): their
appointments to come pass to a colleague or are cancelled, so no citizen waits for nobody.
An admin cannot take away their own admin role or deactivate themselves (no lock-out).
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from app import commands, current
from app.db import get_session
from app.forms import Form
from app.phone import to_e164
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from app.staff.sections import ROLE_LABELS
from scheduling.enums import Role
from scheduling.errors import InvalidRequest
from scheduling.models import Staff, StaffRole

FIELDS = ("active", "home_site", "phone")


@bp.get("/admin/staff")
@staff_required(*MANAGERS)
def admin_staff(me: Staff) -> str:
    members = get_session().scalars(
        select(Staff)
        .options(selectinload(Staff.roles), selectinload(Staff.home_site))
        .order_by(Staff.name)
    )
    return render_template(
        "staff/admin/personnel.html",
        members=list(members),
        role_labels=ROLE_LABELS,
        can_edit=common.is_admin(),
    )


def _form_of(member: Staff) -> tuple[Form, set[str]]:
    form = Form(
        {
            "active": "yes" if member.active else "",
            "home_site": str(member.home_site_id or ""),
            "phone": member.phone or "",
        }
    )
    return form, {r.value for r in member.role_set}


def _read(form: Form, roles: set[str], member: Staff) -> dict[str, object] | None:
    """The new values, or None with the errors next to their fields."""
    if not roles <= {r.value for r in Role}:
        form.errors["roles"] = _("Choose roles from the list.")
    site_id = common.read_id(
        form, "home_site", [s.id for s in common.sites()], _("Choose a site from the list.")
    )
    phone: str | None = None
    if form.values["phone"]:
        try:
            phone = to_e164(form.values["phone"])
        except InvalidRequest:
            form.errors["phone"] = _("Enter a phone number like 02 396 29 71.")
    active = form.values["active"] == "yes"
    if member.id == common.me().id:
        if Role.ADMIN.value not in roles:
            form.errors["roles"] = _("You cannot take away your own administrator role.")
        if not active:
            form.errors["active"] = _("You cannot deactivate yourself.")
    if not form.ok:
        return None
    return {"active": active, "home_site_id": site_id, "phone": phone}


def _set_roles(member: Staff, wanted: set[str]) -> bool:
    had = {r.value for r in member.role_set}
    if wanted == had:
        return False
    kept = [r for r in member.roles if r.role.value in wanted]
    member.roles = kept + [StaffRole(role=Role(r)) for r in sorted(wanted - had)]
    return True


@bp.route("/admin/staff/<int:ident>", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_staff_member(me: Staff, ident: int) -> str | WerkzeugResponse:
    common.require_admin()
    session = get_session()
    member = common.load(Staff, ident)
    form, roles = _form_of(member)
    if request.method == "POST":
        form = Form.read(*FIELDS)
        roles = set(request.form.getlist("roles"))
        values = _read(form, roles, member)
        if values is not None:
            was_active = member.active
            changed = common.apply_changes(member, values)
            if _set_roles(member, roles):
                changed.append("roles")
            if changed:
                session.flush()
                # Which fields changed, not their values: the trail needs no copy of phones.
                common.audit(
                    "staff_updated",
                    {
                        "staff_id": member.id,
                        "personnel_number": member.personnel_number,
                        "changed": sorted(changed),
                    },
                )
            if was_active and not member.active:
                outcomes = commands.departed(
                    session,
                    member,
                    actor=common.actor(),
                    now=current.now(),
                    zone=current.zone(),
                )
                moved = sum(o.action == "reassigned" for o in outcomes)
                flash(
                    _(
                        "Saved. Of their appointments to come, %(moved)d passed to a colleague "
                        "and %(cancelled)d were cancelled (the citizens are told).",
                        moved=moved,
                        cancelled=len(outcomes) - moved,
                    ),
                    "success",
                )
            else:
                flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("staff.admin_staff"))
    return render_template(
        "staff/admin/personnel_edit.html",
        member=member,
        form=form,
        roles=roles,
        role_options=[(r.value, str(label)) for r, label in ROLE_LABELS.items()],
        site_options=[(str(s.id), s.name) for s in common.sites()],
    )
