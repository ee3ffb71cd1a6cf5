"""The reporting point's citizen pages: report something (/melden, the sensitive phenomena
among them, discreetly), ask a question (/contact), and follow either from the private status
link. Every write goes through app.reports.commands; docs/reports.md describes the rules."""

from flask import Blueprint, Flask

bp = Blueprint("meldpunt", __name__)


def init_app(app: Flask) -> None:
    from app.meldpunt import contact, status  # noqa: F401  (they add routes to bp)

    app.register_blueprint(bp)
