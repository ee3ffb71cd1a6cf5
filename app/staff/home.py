"""The staff home page: who is signed in, and the sections their roles open."""

from flask import render_template

from app.staff import bp
from app.staff.access import staff_required
from app.staff.sections import role_labels, sections_for
from scheduling.models import Staff


@bp.get("/")
@staff_required()
def home(me: Staff) -> str:
    return render_template("staff/home.html", roles=role_labels(me), sections=sections_for(me))
