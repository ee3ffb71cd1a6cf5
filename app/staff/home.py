"""The staff home page: who is signed in, the sections their roles open, and for supervisors
how many questions are past their answer date (app.reports.reminders)."""

from flask import render_template, url_for

from app import current
from app.db import get_session
from app.reports.reminders import overdue_count
from app.staff import bp
from app.staff.access import staff_required
from app.staff.sections import role_labels, sections_for
from scheduling.enums import Role
from scheduling.models import Staff


@bp.get("/")
@staff_required()
def home(me: Staff) -> str:
    overdue = None
    if Role.SUPERVISOR in me.role_set:
        overdue = overdue_count(get_session(), now=current.now())
    return render_template(
        "staff/home.html",
        roles=role_labels(me),
        sections=sections_for(me),
        overdue=overdue,
        overdue_url=url_for("staff.reports_queue", overdue="1"),
    )
