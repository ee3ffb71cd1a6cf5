"""The access log of sensitive reports (/staff/reports/access-log): who opened, changed or
exported which one, when — newest first, 50 to a page, for one report number if asked.
Only the restricted team's lead and the zone chief read it (app.reports.access)."""

from dataclasses import dataclass
from datetime import datetime

from flask import render_template, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.db import get_session
from app.forms import Form
from app.reports.access import ACCESS_LOG_READERS
from app.reports.enums import AccessAction
from app.reports.models import Report, SensitiveAccess
from app.staff import bp
from app.staff.access import staff_required
from app.staff.reports.actions import NUMBER
from app.values import parse_id
from scheduling.models import Staff

PAGE_SIZE = 50
ACTIONS: dict[AccessAction, LazyString] = {
    AccessAction.OPEN: _l("Opened"),
    AccessAction.CHANGE: _l("Changed"),
    AccessAction.EXPORT: _l("Exported"),
}


@dataclass(frozen=True)
class Row:
    at: datetime
    who: str
    number: str
    report_id: int
    action: str


@bp.get("/reports/access-log")
@staff_required(*sorted(ACCESS_LOG_READERS))
def reports_access_log(me: Staff) -> str:
    form = Form.read("number", "page", source=request.args)
    number = "" if "number" in form.errors else form.values["number"].upper()
    where = []
    if number:
        if NUMBER.fullmatch(number):
            where.append(Report.number == number)
        else:
            form.errors["number"] = _("Type a report number as M-2026-000123.")
    page = min(parse_id(form.values["page"]) or 1, 10_000)
    session = get_session()
    rows: list[Row] = []
    total = 0
    if form.ok:
        base = select(SensitiveAccess).join(Report, Report.id == SensitiveAccess.report_id)
        total = session.scalar(select(func.count()).select_from(base.where(*where).subquery())) or 0
        found = session.execute(
            select(SensitiveAccess, Report.number, Staff.name, Staff.personnel_number)
            .join(Report, Report.id == SensitiveAccess.report_id)
            .join(Staff, Staff.id == SensitiveAccess.staff_id)
            .where(*where)
            .order_by(SensitiveAccess.at.desc(), SensitiveAccess.id.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).tuples()
        rows = [
            Row(entry.at, f"{name} ({personnel})", num, entry.report_id, str(ACTIONS[entry.action]))
            for entry, num, name, personnel in found
        ]
    return render_template(
        "staff/reports/access_log.html",
        form=form,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        kept={"number": number} if number and form.ok else {},
    )
