"""Invited by a case handler: the code (or the link with it) opens that handler's moments."""

from datetime import UTC, datetime

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.db import get_session
from app.forms import Form
from app.web import bp, draft
from scheduling.enums import ServedBy
from scheduling.models import Invitation, Service


def _start(code: str) -> str | None:
    """Start a draft for this invitation; the error message when the code does not work."""
    session = get_session()
    invitation = session.scalar(select(Invitation).where(Invitation.code == code.strip().upper()))
    if invitation is None:
        return _("We do not know this code. Check the letter or SMS you received.")
    service = session.get_one(Service, invitation.service_id)
    if service.served_by is not ServedBy.INVITED_STAFF:
        return _("We do not know this code. Check the letter or SMS you received.")
    now = datetime.now(UTC)
    if not invitation.valid_from <= now <= invitation.valid_until:
        return _("This invitation is no longer valid. Please call us.")
    draft.save(
        draft.Draft(
            service=service.code, invitation_code=invitation.code, location=service.locations[0]
        )
    )
    return None


@bp.route("/invitation", methods=["GET", "POST"])
def invitation() -> str | Response:
    form = Form({"code": request.args.get("code", "")})
    if request.method == "POST" or form.values["code"]:
        if request.method == "POST":
            form = Form.read("code")
        code = form.required("code", _("Enter the code from your invitation."))
        if code:
            error = _start(code)
            if error is None:
                return redirect(url_for("web.moment"))
            form.errors["code"] = error
    return render_template("web/invitation.html", form=form)
