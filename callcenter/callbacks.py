"""The call-back list: tasks from the queue (a caller asked to be called back or hung up),
from voicemail (the recording and its transcription) and from SMS that could not be
delivered. A call-taker claims one (one claimer wins), calls back, and closes it with an
outcome, or puts it back on the list."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current
from app.db import get_session
from app.forms import not_plain_message
from app.notify.models import CallbackTask
from app.staff.access import staff_required
from app.text import is_plain
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.claims import CALLBACK_OUTCOMES, claim_callback, close_callback, release_callback
from callcenter.models import CallbackWork
from scheduling.enums import CallbackStatus
from scheduling.models import Staff

OUTCOME_LABELS: dict[str, LazyString] = dict(
    zip(
        CALLBACK_OUTCOMES,
        (
            _l("Reached the citizen"),
            _l("No answer"),
            _l("Wrong number"),
            _l("Resolved otherwise"),
        ),
        strict=True,
    )
)
NOTE_MAX = 2000


@bp.get("/callbacks")
@staff_required(*CONSOLE_ROLES)
def callbacks(me: Staff) -> str:
    session = get_session()
    rows = session.execute(
        select(CallbackTask, CallbackWork)
        .outerjoin(CallbackWork, CallbackWork.task_id == CallbackTask.id)
        .where(
            or_(
                CallbackTask.status == CallbackStatus.OPEN,
                CallbackTask.status == CallbackStatus.CLAIMED,
            )
        )
        .order_by(CallbackTask.created_at, CallbackTask.id)
    ).all()
    return render_template(
        "callcenter/callbacks.html", rows=rows, me=me.id, outcomes=OUTCOME_LABELS
    )


def _back() -> WerkzeugResponse:
    return redirect(url_for("console.callbacks"))


@bp.post("/callbacks/<int:task_id>/claim")
@staff_required(*CONSOLE_ROLES)
def claim(me: Staff, task_id: int) -> WerkzeugResponse:
    if claim_callback(get_session(), task_id=task_id, staff_id=me.id, now=current.now()):
        flash(_("The call-back is yours. Call the citizen, then close it."), "success")
    else:
        flash(_("Another call-taker has this call-back already."), "error")
    return _back()


@bp.post("/callbacks/<int:task_id>/release")
@staff_required(*CONSOLE_ROLES)
def release(me: Staff, task_id: int) -> WerkzeugResponse:
    if release_callback(get_session(), task_id=task_id, staff_id=me.id):
        flash(_("The call-back is back on the list."), "success")
    return _back()


@bp.post("/callbacks/<int:task_id>/close")
@staff_required(*CONSOLE_ROLES)
def close(me: Staff, task_id: int) -> WerkzeugResponse:
    outcome = request.form.get("outcome", "")
    note = request.form.get("note", "").strip()
    if outcome not in OUTCOME_LABELS or len(note) > NOTE_MAX:
        flash(_("Choose how the call-back ended."), "error")
    elif not is_plain(note, multiline=True):
        flash(not_plain_message(), "error")
    elif close_callback(
        get_session(),
        task_id=task_id,
        staff_id=me.id,
        outcome=outcome,
        note=note,
        now=current.now(),
    ):
        flash(_("The call-back is closed."), "success")
    else:
        flash(_("This call-back is not yours to close, or it is closed already."), "error")
    return _back()
