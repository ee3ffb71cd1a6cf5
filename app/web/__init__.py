"""The citizen pages: find your wijkagent, book, and manage an appointment from the SMS link."""

from flask import Blueprint, Flask

bp = Blueprint("web", __name__)


def init_app(app: Flask) -> None:
    from app.web import book, home, invitation, legal, manage  # noqa: F401  (they add routes to bp)

    app.register_blueprint(bp)
