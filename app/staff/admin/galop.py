"""GALOP imports (/staff/admin/galop): the recent imports and pushes, with what each changed.

``app.galop`` keeps no log of its own: every change an import makes is an audit entry of
the system on channel ``galop``, all at the import's one moment, so the entries sharing a
moment are one import. An import that changed nothing leaves no entry, and is not listed.
Supervisors and admins; nothing is changed here.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from sqlalchemy import func, select

from app.db import get_session
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from scheduling.enums import Channel
from scheduling.models import AuditEntry, Staff

LIST_LENGTH = 30  # imports shown


@dataclass(frozen=True)
class Import:
    at: datetime
    counts: Counter[str]  # audit action → how many


@bp.get("/admin/galop")
@staff_required(*MANAGERS)
def admin_galop(me: Staff) -> str:
    session = get_session()
    moments = list(
        session.scalars(
            select(AuditEntry.at)
            .where(AuditEntry.channel == Channel.GALOP)
            .group_by(AuditEntry.at)
            .order_by(AuditEntry.at.desc())
            .limit(LIST_LENGTH)
        )
    )
    counts: dict[datetime, Counter[str]] = {at: Counter() for at in moments}
    if moments:
        for at, action, number in session.execute(
            select(AuditEntry.at, AuditEntry.action, func.count())
            .where(AuditEntry.channel == Channel.GALOP, AuditEntry.at.in_(moments))
            .group_by(AuditEntry.at, AuditEntry.action)
        ).tuples():
            counts[at][action] += number
    return render_template(
        "staff/admin/galop.html",
        imports=[Import(at, counts[at]) for at in moments],
        list_length=LIST_LENGTH,
    )
