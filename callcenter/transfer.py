"""Transfer: the call-taker puts the caller through to an officer's phone (the caller's own
officers first). The caller's call leaves the browser phone, the call-taker wraps up."""

from flask import flash, request
from flask_babel import gettext as _
from twilio.base.exceptions import TwilioException
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current
from app.config import Config
from app.db import get_session
from app.staff.access import get_visible, staff_required
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.caller import back_to, page_of
from callcenter.models import TakenCall
from callcenter.officers import transfer_targets
from callcenter.taking import call_is_over, over_message
from ivr.telephony.control import control
from ivr.transfer import transfer_twiml
from scheduling.models import Staff


@bp.post("/calls/<int:call_id>/transfer")
@staff_required(*CONSOLE_ROLES)
def transfer(me: Staff, call_id: int) -> tuple[str, int] | WerkzeugResponse:
    taken = get_visible(TakenCall, call_id)
    if call_is_over(taken):
        flash(over_message(), "error")  # the panel shows it where the transfer form was
        return page_of(taken, status=409)
    session = get_session()
    chosen = request.form.get("officer", "")
    officer = session.get(Staff, int(chosen)) if chosen.isdigit() else None
    if officer is None or officer not in transfer_targets(session, []):
        return page_of(
            taken, {"transfer": _("Choose the officer to put the caller through to.")}, 400
        )
    config: Config = current.config()
    try:
        control().redirect(taken.call.call_sid, transfer_twiml(config, taken.call, officer))
    except TwilioException:
        return page_of(
            taken, {"transfer": _("The caller could not be reached. They may have hung up.")}, 502
        )
    taken.transferred_to_id, taken.on_hold = officer.id, False
    flash(
        _("The caller is put through to %(name)s. Wrap up the call.", name=officer.name), "success"
    )
    return back_to(taken)
