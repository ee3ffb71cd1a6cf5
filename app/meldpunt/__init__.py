"""The reporting point's citizen pages: report something (/melden, the sensitive phenomena
among them, discreetly), ask a question (/contact), and follow either from the private status
link. Every write goes through app.reports.commands; docs/reports.md describes the rules."""

from typing import Any

from flask import Blueprint, Flask

from app import current

bp = Blueprint("meldpunt", __name__)


@bp.context_processor
def _discreet_flow() -> dict[str, Any]:
    """What the discreet pages show on every page: where quick exit leaves to, and the
    zone's help lines."""
    config = current.config()
    return {"quick_exit_url": config.quick_exit_url, "help_lines": config.help_lines}


def init_app(app: Flask) -> None:
    from app.meldpunt import contact, discreet, report, send, status, upload  # noqa: F401

    app.register_blueprint(bp)
