"""Placeholder on this branch; the portal-booking branch has the real module."""

from flask import render_template

from app.assistance.models import OfficeUser
from app.bailiffs import bp
from app.bailiffs.access import office_user_required


@bp.get("/")
@office_user_required()
def home(user: OfficeUser) -> str:
    return render_template("bailiffs/home.html")
