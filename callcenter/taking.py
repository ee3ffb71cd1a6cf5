"""Taking a waiting caller (one call-taker wins; the caller's call then rings their browser
phone), putting the caller on hold and back, and hanging up (the caller's call ends too)."""

from flask import Response, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from twilio.base.exceptions import TwilioException
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current, ratelimit
from app.config import Config
from app.db import get_session
from app.staff.access import get_visible, staff_required
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.claims import take_call
from callcenter.models import TakenCall
from callcenter.presence import set_status
from ivr.models import Call
from ivr.telephony.browser_phone import identity, to_browser_twiml
from ivr.telephony.control import control, hang_up, hold_twiml
from scheduling.enums import PresenceStatus
from scheduling.models import Staff


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _refuse(
    message: str, status: int, back: str | None = None
) -> WerkzeugResponse | tuple[Response, int]:
    """JSON for the console's script; else the message on ``back`` (the console)."""
    if _wants_json():
        return jsonify(error=message), status
    flash(message, "error")
    return redirect(back or url_for("console.page"))


def call_is_over(taken: TakenCall) -> bool:
    """Hung up (by either side) or wrapped up: the call can no longer be held or moved."""
    return taken.wrapped_at is not None or taken.call.ended_at is not None


def over_message() -> str:
    return _("This call has ended: it can no longer be put on hold or through. Wrap it up.")


@bp.post("/calls/<int:call_id>/take")
@staff_required(*CONSOLE_ROLES)
def take(me: Staff, call_id: int) -> WerkzeugResponse | tuple[Response, int]:
    session = get_session()
    call = session.get(Call, call_id)
    now = current.now()
    if call is None or not take_call(session, call=call, staff_id=me.id, now=now):
        return _refuse(_("This caller was taken by another call-taker or hung up."), 409)
    set_status(session, me.id, PresenceStatus.BUSY, now)
    try:
        control().redirect(call.call_sid, to_browser_twiml(identity(me.id), call.id))
    except TwilioException:
        session.rollback()  # not taken after all: the caller stays in line for others
        return _refuse(_("The caller could not be put through. They may have hung up."), 502)
    panel = url_for("console.caller", call_id=call.id)
    if _wants_json():
        return jsonify(call=call.id, panel=panel)
    return redirect(panel)


def _switch_hold(call_id: int, *, hold: bool) -> WerkzeugResponse | tuple[Response, int]:
    taken = get_visible(TakenCall, call_id)
    if call_is_over(taken):
        return _refuse(over_message(), 409, url_for("console.caller", call_id=call_id))
    config: Config = current.config()
    twiml = (
        hold_twiml(config.public_base_url)
        if hold
        else to_browser_twiml(identity(taken.staff_id), taken.call_id)
    )
    try:
        control().redirect(taken.call.call_sid, twiml)
    except TwilioException:
        return _refuse(
            _("The caller could not be reached. They may have hung up."),
            502,
            url_for("console.caller", call_id=call_id),
        )
    taken.on_hold = hold
    if _wants_json():
        return jsonify(call=call_id, on_hold=hold)
    return redirect(url_for("console.caller", call_id=call_id))


@bp.post("/calls/<int:call_id>/hold")
@staff_required(*CONSOLE_ROLES)
def hold(me: Staff, call_id: int) -> WerkzeugResponse | tuple[Response, int]:
    """Hold music for the caller; the browser phone's leg ends until ``resume`` rings it."""
    return _switch_hold(call_id, hold=True)


@bp.post("/calls/<int:call_id>/resume")
@staff_required(*CONSOLE_ROLES)
def resume(me: Staff, call_id: int) -> WerkzeugResponse | tuple[Response, int]:
    return _switch_hold(call_id, hold=False)


@bp.post("/calls/<int:call_id>/hang-up")
@staff_required(*CONSOLE_ROLES)
def hang_up_call(me: Staff, call_id: int) -> WerkzeugResponse | tuple[Response, int]:
    """The browser phone's Hang up: the caller's call ends with it (also while on hold, when
    the browser's leg is already gone). Once more after the end changes nothing."""
    taken = get_visible(TakenCall, call_id)
    ratelimit.hit_or_refuse("call-control-staff", str(me.id))
    hang_up(taken.call, current.now())
    taken.on_hold = False
    if _wants_json():
        return jsonify(call=call_id, ended=True)
    flash(_("The call has ended. Wrap it up."), "success")
    return redirect(url_for("console.caller", call_id=call_id))
