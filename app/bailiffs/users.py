"""The office's users (/deurwaarder/gebruikers, the office's admin only): who may sign in,
inviting someone, a new link for who lost their password or phone, removing someone. Every
change goes through app.assistance.office_users; another office's user is a 404."""

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.assistance import office_users
from app.assistance.models import OfficeUser
from app.bailiffs import bp
from app.bailiffs.access import office_user_required
from app.db import get_session
from app.forms import Form
from scheduling.enums import ActorKind, Channel
from scheduling.errors import InvalidRequest
from scheduling.trail import Actor

BUCKET = "office-admin-user"
LANGUAGE_OPTIONS = (("nl", "Nederlands"), ("fr", "Français"), ("en", "English"))


def _users(me: OfficeUser) -> list[OfficeUser]:
    return list(
        get_session().scalars(
            select(OfficeUser)
            .where(OfficeUser.office_id == me.office_id, OfficeUser.active)
            .order_by(OfficeUser.name, OfficeUser.id)
        )
    )


def _page(me: OfficeUser, form: Form) -> str:
    return render_template(
        "bailiffs/users.html",
        users=_users(me),
        form=form,
        language_options=LANGUAGE_OPTIONS,
    )


def _own(me: OfficeUser, ident: int) -> OfficeUser:
    """A user of the signed-in admin's own office (another office's: 404, as if unknown)."""
    user = get_session().get(OfficeUser, ident)
    if user is None or user.office_id != me.office_id or not user.active:
        abort(404)
    return user


@bp.get("/gebruikers")
@office_user_required(admin=True)
def users(me: OfficeUser) -> str:
    return _page(me, Form({"language": me.office.language or "nl"}))


@bp.post("/gebruikers")
@office_user_required(admin=True)
def invite_user(me: OfficeUser) -> str | WerkzeugResponse:
    ratelimit.hit_or_refuse(BUCKET, str(me.id))
    form = Form.read("email", "name", "language", "office_admin")
    form.required("name", _("Enter the name of the new user."))
    form.required("email", _("Enter the e-mail address of the new user."))
    if form.values["language"] not in dict(LANGUAGE_OPTIONS):
        form.errors["language"] = _("Choose the language of the e-mails.")
    if form.ok:
        try:
            office_users.invite(
                get_session(),
                office=me.office,
                email=form.values["email"],
                name=form.values["name"],
                language=form.values["language"],
                office_admin=form.values["office_admin"] == "yes",
                now=current.now(),
                config=current.config(),
                **_by(me),
            )
        except InvalidRequest as error:
            form.errors[error.field or "email"] = _invite_error(error.field)
        else:
            flash(_("The invitation has been sent by e-mail."), "success")
            return redirect(url_for("bailiffs.users"))
    return _page(me, form)


def _invite_error(field: str | None) -> str:
    if field == "name":
        return str(_("Enter a name of at most 200 characters."))
    if field == "language":
        return str(_("Choose the language of the e-mails."))
    return str(
        _("Enter an e-mail address like naam@kantoor.be that has no user yet in the portal.")
    )


@bp.post("/gebruikers/<int:ident>/opnieuw")
@office_user_required(admin=True)
def reset_user(me: OfficeUser, ident: int) -> WerkzeugResponse:
    ratelimit.hit_or_refuse(BUCKET, str(me.id))
    user = _own(me, ident)
    office_users.reset(
        get_session(), user=user, now=current.now(), config=current.config(), **_by(me)
    )
    flash(
        _("%(name)s is signed out and gets a new invitation link by e-mail.", name=user.name),
        "success",
    )
    if user.id == me.id:  # resetting oneself ends one's own session too
        return redirect(url_for("bailiffs.login"))
    return redirect(url_for("bailiffs.users"))


@bp.post("/gebruikers/<int:ident>/verwijderen")
@office_user_required(admin=True)
def remove_user(me: OfficeUser, ident: int) -> WerkzeugResponse:
    ratelimit.hit_or_refuse(BUCKET, str(me.id))
    user = _own(me, ident)
    try:
        office_users.remove(get_session(), user=user, now=current.now(), **_by(me))
    except InvalidRequest:
        flash(_("The office's last administrator cannot be removed."), "error")
    else:
        flash(_("%(name)s can no longer sign in.", name=user.name), "success")
    return redirect(url_for("bailiffs.users"))


def _by(me: OfficeUser) -> dict[str, Any]:
    """Who did it, for the user's history: the office's admin."""
    return {"by": Actor(ActorKind.BAILIFF, Channel.WEB, me.office_id), "by_office_user_id": me.id}
