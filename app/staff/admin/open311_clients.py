"""Open311 clients (/staff/admin/open311-clients): the partner systems that may post reports
(a municipality's app, a city dashboard), each with its own api key. Admins only: a key
writes reports into the zone's queue. The key is shown once, on the page that makes it;
only its SHA-256 is kept (app.reports.api_clients), so a lost key is revoked and replaced.
Every change is an audit entry: ``open311_client_created``, ``open311_client_revoked``."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.db import get_session
from app.forms import Form
from app.reports import api_clients
from app.reports.models import Open311Client
from app.staff import bp
from app.staff.access import staff_required
from app.staff.admin import common
from scheduling.enums import Role
from scheduling.models import Staff

NAME_LIMIT = 200


def _page(form: Form, new_key: str | None = None, new_name: str = "") -> str:
    clients = get_session().scalars(select(Open311Client).order_by(Open311Client.created_at))
    return render_template(
        "staff/admin/open311_clients.html",
        clients=list(clients),
        form=form,
        new_key=new_key,
        new_name=new_name,
    )


@bp.get("/admin/open311-clients")
@staff_required(Role.ADMIN)
def admin_open311_clients(me: Staff) -> str:
    return _page(Form({}))


@bp.post("/admin/open311-clients")
@staff_required(Role.ADMIN)
def admin_open311_client_new(me: Staff) -> str:
    ratelimit.hit_or_refuse("open311-keys-staff", str(me.id))
    form = Form.read("name")
    name = common.read_text(
        form, "name", limit=NAME_LIMIT, missing=_("Enter the name of the client's system.")
    )
    if not form.ok:
        return _page(form)
    client, key = api_clients.create(get_session(), name, now=current.now())
    common.audit("open311_client_created", {"client_id": client.id})
    # Shown here, once, not after a redirect: the key never travels in the session cookie.
    return _page(Form({}), new_key=key, new_name=name)


@bp.post("/admin/open311-clients/<int:ident>/revoke")
@staff_required(Role.ADMIN)
def admin_open311_client_revoke(me: Staff, ident: int) -> WerkzeugResponse:
    client = common.load(Open311Client, ident)
    api_clients.revoke(client, now=current.now())
    common.audit("open311_client_revoked", {"client_id": client.id})
    flash(_("Revoked: %(name)s can no longer post reports.", name=client.name), "success")
    return redirect(url_for("staff.admin_open311_clients"))
