"""A call-taker's status: available, busy, pause or offline (the blue number queues callers
only while someone is available)."""

from flask import flash, redirect, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as WerkzeugResponse

from app import current
from app.db import get_session
from app.staff.access import staff_required
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.models import CallTakerPresence
from callcenter.presence import set_status
from scheduling.enums import PresenceStatus
from scheduling.models import Staff

STATUS_LABELS: dict[PresenceStatus, LazyString] = {
    PresenceStatus.AVAILABLE: _l("Available"),
    PresenceStatus.BUSY: _l("Busy"),
    PresenceStatus.PAUSE: _l("Pause"),
    PresenceStatus.OFFLINE: _l("Offline"),
}


def my_status(staff_id: int) -> PresenceStatus:
    row = get_session().get(CallTakerPresence, staff_id)
    return row.status if row is not None else PresenceStatus.OFFLINE


@bp.post("/status")
@staff_required(*CONSOLE_ROLES)
def change_status(me: Staff) -> WerkzeugResponse:
    try:
        status = PresenceStatus(request.form.get("status", ""))
    except ValueError:
        flash(_("Choose one of the statuses."), "error")
        return redirect(url_for("console.page"))
    set_status(get_session(), me.id, status, current.now())
    flash(_("Your status is now: %(status)s.", status=STATUS_LABELS[status]), "success")
    return redirect(url_for("console.page"))
