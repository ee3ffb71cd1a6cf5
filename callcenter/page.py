"""The console page: status, the live queue, the browser phone and the call in hand."""

from flask import render_template, url_for
from sqlalchemy import select

from app import current
from app.db import get_session
from app.notify.models import CallbackTask
from app.staff.access import staff_required
from callcenter.blueprint import CONSOLE_ROLES, bp
from callcenter.labels import TOPIC_LABELS
from callcenter.models import CallbackWork, TakenCall
from callcenter.phone import phone_kind
from callcenter.status import STATUS_LABELS, my_status
from callcenter.waiting import waiting_callers
from scheduling.enums import CallbackStatus
from scheduling.models import Staff


@bp.get("")
@staff_required(*CONSOLE_ROLES)
def page(me: Staff) -> str:
    session = get_session()
    in_hand = session.scalars(
        select(TakenCall)
        .where(TakenCall.staff_id == me.id, TakenCall.wrapped_at.is_(None))
        .order_by(TakenCall.taken_at)
    ).all()
    my_callbacks = session.scalars(
        select(CallbackTask)
        .join(CallbackWork, CallbackWork.task_id == CallbackTask.id)
        .where(
            CallbackWork.staff_id == me.id,
            CallbackWork.closed_at.is_(None),
            CallbackTask.status == CallbackStatus.CLAIMED,
        )
        .order_by(CallbackWork.claimed_at)
    ).all()
    return render_template(
        "callcenter/console.html",
        status=my_status(me.id),
        statuses=STATUS_LABELS,
        waiting=waiting_callers(session),
        now=current.now(),
        in_hand=in_hand,
        my_callbacks=my_callbacks,
        topics=TOPIC_LABELS,
        phone=phone_kind(current.config()),
        events_url=url_for("console.events"),
        token_url=url_for("console.token"),
    )
