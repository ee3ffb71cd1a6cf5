"""Invited by a case handler: the code (or the link with it) opens that handler's moments."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import current, ratelimit
from app.db import get_session
from app.forms import Form
from app.open_link import issue
from app.web import bp, draft
from scheduling.enums import ServedBy
from scheduling.invitations import EXAMPLE_CODE, live_booking, normalized_code
from scheduling.models import Invitation, Service

CODE_BUCKET = "invitation-code-ip"


def _unknown() -> str:
    return _("We do not know this code. Check the letter or SMS you received.")


def _start(code: str) -> tuple[str | None, str | None]:
    """Start a draft for this invitation: (None, None); else the error message, and the link to
    the appointment already made with it, when there is one."""
    session = get_session()
    address = request.remote_addr or "?"
    # Only wrong codes count: past the limit from one address, guessing stops for the hour.
    if ratelimit.over_limit(session, CODE_BUCKET, address, now=current.now()):
        abort(429)
    invitation = session.scalar(select(Invitation).where(Invitation.code == normalized_code(code)))
    service = session.get(Service, invitation.service_id) if invitation else None
    if invitation is None or service is None or service.served_by is not ServedBy.INVITED_STAFF:
        ratelimit.count_hit(CODE_BUCKET, address)
        return _unknown(), None
    now = current.now()
    booked = live_booking(session, invitation.id)
    if booked is not None:  # refused here, not after choosing a moment and typing everything
        link = issue(booked, secret=current.config().secret_key, now=now)
        return _("You already made an appointment with this invitation."), url_for(
            "web.appointment", token=link
        )
    if not invitation.valid_from <= now <= invitation.valid_until:
        return _("This invitation is no longer valid. Please call us."), None
    draft.save(
        draft.Draft(
            service=service.code, invitation_code=invitation.code, location=service.locations[0]
        )
    )
    return None, None


@bp.route("/invitation", methods=["GET", "POST"])
def invitation() -> str | Response:
    form = Form({"code": request.args.get("code", "")})
    existing = None
    if request.method == "POST" or form.values["code"]:
        if request.method == "POST":
            form = Form.read("code")
        code = form.required("code", _("Enter the code from your invitation."))
        if code and "code" not in form.errors:
            error, existing = _start(code)
            if error is None:
                return redirect(url_for("web.moment"))
            form.errors["code"] = error
    return render_template(
        "web/invitation.html", form=form, existing=existing, example=EXAMPLE_CODE
    )
