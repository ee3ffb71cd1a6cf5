"""A bailiff office's users, from the zone's side (on /staff/admin/bailiff-offices/<id>):
invite one by e-mail (the office's admin or not), reset one (password and second factor
cleared, a new link), remove one. All through app.assistance.office_users, as the office's
own admin does it on the portal; the module records each in the history with the staff
member who did it (``office_user.invited``, ``.reset``, ``.removed``; ids, never the
address)."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.assistance import office_users
from app.assistance.models import OfficeUser
from app.db import get_session
from app.forms import Form
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import bailiff_offices, common
from app.staff.labels import LANGUAGE_NAMES
from scheduling.errors import InvalidRequest
from scheduling.models import BailiffAccount, Staff
from scheduling.trail import Actor

NAME_LIMIT = 200


def _user(office: BailiffAccount, user_id: int) -> OfficeUser:
    user = get_session().get(OfficeUser, user_id)
    if user is None or user.office_id != office.id:
        abort(404)
    return user


@bp.post("/admin/bailiff-offices/<int:ident>/users")
@staff_required(*MANAGERS)
def admin_bailiff_office_invite(me: Staff, ident: int) -> str | WerkzeugResponse:
    ratelimit.hit_or_refuse("admin-staff", str(me.id))
    office = common.load(BailiffAccount, ident)
    form = Form.read("user_name", "user_email", "user_language", "office_admin")
    name = common.read_text(
        form, "user_name", limit=NAME_LIMIT, missing=_("Enter the user's name.")
    )
    if form.values["user_language"] not in LANGUAGE_NAMES:
        form.errors["user_language"] = _("Choose a language from the list.")
    if not form.values["user_email"] and "user_email" not in form.errors:
        form.errors["user_email"] = _("Enter the user's e-mail address.")
    if form.ok:
        try:
            user = office_users.invite(
                get_session(),
                office=office,
                email=form.values["user_email"],
                name=name,
                language=form.values["user_language"],
                office_admin=form.values["office_admin"] == "yes",
                now=current.now(),
                config=current.config(),
                by=Actor.staff(me.id),
            )
        except InvalidRequest:
            form.errors["user_email"] = _(
                "Enter one e-mail address that no other user of the portal has."
            )
        else:
            flash(_("Invited: %(name)s gets a link by e-mail.", name=user.name), "success")
            return redirect(url_for("staff.admin_bailiff_office", ident=office.id))
    return bailiff_offices.edit_page(office, form)


@bp.post("/admin/bailiff-offices/<int:ident>/users/<int:user_id>/reset")
@staff_required(*MANAGERS)
def admin_bailiff_office_user_reset(me: Staff, ident: int, user_id: int) -> WerkzeugResponse:
    ratelimit.hit_or_refuse("admin-staff", str(me.id))
    office = common.load(BailiffAccount, ident)
    user = _user(office, user_id)
    office_users.reset(
        get_session(), user=user, now=current.now(), config=current.config(), by=Actor.staff(me.id)
    )
    flash(
        _("Reset: %(name)s is signed out and gets a new link by e-mail.", name=user.name),
        "success",
    )
    return redirect(url_for("staff.admin_bailiff_office", ident=office.id))


@bp.post("/admin/bailiff-offices/<int:ident>/users/<int:user_id>/remove")
@staff_required(*MANAGERS)
def admin_bailiff_office_user_remove(me: Staff, ident: int, user_id: int) -> WerkzeugResponse:
    ratelimit.hit_or_refuse("admin-staff", str(me.id))
    office = common.load(BailiffAccount, ident)
    user = _user(office, user_id)
    try:
        office_users.remove(get_session(), user=user, now=current.now(), by=Actor.staff(me.id))
    except InvalidRequest:
        flash(_("The office's last administrator cannot be removed."), "error")
    else:
        flash(_("Removed: %(name)s can no longer sign in.", name=user.name), "success")
    return redirect(url_for("staff.admin_bailiff_office", ident=office.id))
