"""Kinds of execution (/staff/admin/execution-kinds): what a bailiff asks assistance for
(eviction, seizure...), named in Dutch, French and English as the portal offers them.
Supervisors and admins add, rename and deactivate them. A kind is never deleted: bookings
name it, and an inactive one is simply no longer offered (app.assistance.commands).
Every change is an audit entry: ``execution_kind_added``, ``execution_kind_updated``."""

import re
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import ratelimit
from app.assistance.models import ExecutionKind
from app.db import get_session
from app.forms import Form
from app.i18n import LANGUAGES
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from app.staff.labels import LANGUAGE_NAMES
from scheduling.models import Staff

CODE = re.compile(r"[a-z][a-z0-9_-]{0,39}")  # what the API sends: short, stable, lower case
NAMES = tuple(f"name_{lang}" for lang in LANGUAGES)
NAME_LIMIT = 200


def _names(form: Form) -> dict[str, Any]:
    return {
        f"name_{lang}": common.read_text(
            form,
            f"name_{lang}",
            limit=NAME_LIMIT,
            missing=_("Enter the name in %(language)s.", language=LANGUAGE_NAMES[lang]),
        )
        for lang in LANGUAGES
    }


def _page(form: Form) -> str:
    kinds = get_session().scalars(
        select(ExecutionKind).order_by(ExecutionKind.active.desc(), ExecutionKind.id)
    )
    return render_template(
        "staff/admin/execution_kinds.html",
        kinds=list(kinds),
        form=form,
        languages=[(lang, LANGUAGE_NAMES[lang]) for lang in LANGUAGES],
    )


@bp.get("/admin/execution-kinds")
@staff_required(*MANAGERS)
def admin_execution_kinds(me: Staff) -> str:
    return _page(Form({}))


@bp.post("/admin/execution-kinds")
@staff_required(*MANAGERS)
def admin_execution_kind_new(me: Staff) -> str | WerkzeugResponse:
    ratelimit.hit_or_refuse("admin-staff", str(me.id))
    form = Form.read("code", *NAMES)
    code = form.values["code"].lower()
    if "code" not in form.errors:
        if not CODE.fullmatch(code):
            form.errors["code"] = _(
                "Enter a short code of lower-case letters, digits or hyphens, like eviction."
            )
        elif get_session().scalar(select(ExecutionKind.id).where(ExecutionKind.code == code)):
            form.errors["code"] = _("This code is already used by another kind.")
    names = _names(form)
    if not form.ok:
        return _page(form)
    kind = ExecutionKind(code=code, active=True, **names)
    get_session().add(kind)
    get_session().flush()
    common.audit("execution_kind_added", {"execution_kind_id": kind.id, "code": code})
    flash(_("Added: offices can choose it now."), "success")
    return redirect(url_for("staff.admin_execution_kinds"))


@bp.route("/admin/execution-kinds/<int:ident>", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_execution_kind(me: Staff, ident: int) -> str | WerkzeugResponse:
    kind = common.load(ExecutionKind, ident)
    form = Form({**{n: getattr(kind, n) for n in NAMES}, "active": "yes" if kind.active else ""})
    if request.method == "POST":
        ratelimit.hit_or_refuse("admin-staff", str(me.id))
        form = Form.read(*NAMES, "active")
        values = _names(form) | {"active": form.values["active"] == "yes"}
        if form.ok:
            changed = common.apply_changes(kind, values)
            if changed:
                get_session().flush()
                common.audit(
                    "execution_kind_updated",
                    {"execution_kind_id": kind.id, "code": kind.code, "changed": sorted(changed)},
                )
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("staff.admin_execution_kinds"))
    return render_template(
        "staff/admin/execution_kind_edit.html",
        kind=kind,
        form=form,
        languages=[(lang, LANGUAGE_NAMES[lang]) for lang in LANGUAGES],
    )
