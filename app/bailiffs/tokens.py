"""The office's API keys (/deurwaarder/api-sleutels, the office's admin only): bearer tokens
for its case software on the API (app.api checks them). A new key is shown once, in the
answer to its creation, and only its hash is kept; a revoked key is refused at once."""

import secrets

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.assistance.models import OfficeApiToken, OfficeUser
from app.bailiffs import bp
from app.bailiffs.access import office_user_required
from app.bailiffs.users import BUCKET
from app.db import get_session
from app.forms import Form
from scheduling.booking import hash_token

NAME_LENGTH = 100  # OfficeApiToken.name
API_DESCRIPTION = "/api/v1/openapi.json"  # served by app.api
BOOKINGS_API = "/api/v1/bookings"


def _tokens(me: OfficeUser) -> list[OfficeApiToken]:
    return list(
        get_session().scalars(
            select(OfficeApiToken)
            .where(OfficeApiToken.office_id == me.office_id, OfficeApiToken.revoked_at.is_(None))
            .order_by(OfficeApiToken.created_at.desc(), OfficeApiToken.id.desc())
        )
    )


def _page(me: OfficeUser, form: Form, new_token: str | None = None) -> str:
    base = current.config().public_base_url
    return render_template(
        "bailiffs/tokens.html",
        tokens=_tokens(me),
        form=form,
        new_token=new_token,
        description_url=base + API_DESCRIPTION,
        bookings_url=base + BOOKINGS_API,
    )


@bp.get("/api-sleutels")
@office_user_required(admin=True)
def tokens(me: OfficeUser) -> str:
    return _page(me, Form())


@bp.post("/api-sleutels")
@office_user_required(admin=True)
def create_token(me: OfficeUser) -> str:
    ratelimit.hit_or_refuse(BUCKET, str(me.id))
    form = Form.read("name")
    name = form.required("name", _("Give the key a name, for example the software that uses it."))
    if "name" not in form.errors and len(name) > NAME_LENGTH:
        form.errors["name"] = _("Keep the name to %(length)d characters.", length=NAME_LENGTH)
    if not form.ok:
        return _page(me, form)
    token = secrets.token_urlsafe(32)
    get_session().add(
        OfficeApiToken(
            office_id=me.office_id,
            name=name,
            token_hash=hash_token(token),
            created_at=current.now(),
            created_by=me.id,
        )
    )
    get_session().flush()
    # Shown in this answer only (never kept in the session or a redirect's address).
    return _page(me, Form(), new_token=token)


@bp.post("/api-sleutels/<int:ident>/intrekken")
@office_user_required(admin=True)
def revoke_token(me: OfficeUser, ident: int) -> WerkzeugResponse:
    ratelimit.hit_or_refuse(BUCKET, str(me.id))
    token = get_session().get(OfficeApiToken, ident)
    if token is None or token.office_id != me.office_id or token.revoked_at is not None:
        abort(404)
    token.revoked_at = current.now()
    flash(
        _("The key %(name)s is revoked: the API refuses it from now on.", name=token.name),
        "success",
    )
    return redirect(url_for("bailiffs.tokens"))
