"""The bailiffs' portal (/deurwaarder; /huissier leads to it in French): an office's users
sign in, request and book police assistance, see their office's bookings, and manage their
users and API tokens. Every change to a booking goes through app.assistance.commands."""

from flask import Blueprint, Flask

bp = Blueprint("bailiffs", __name__, url_prefix="/deurwaarder")


def init_app(app: Flask) -> None:
    from app.bailiffs import pages  # noqa: F401  (the views register on bp)
    from app.bailiffs.sign_in import french_entry

    app.register_blueprint(bp)
    app.add_url_rule("/huissier", "bailiffs_french", french_entry)
