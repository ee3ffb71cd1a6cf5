"""The blueprint every voice webhook joins (``/ivr/...``)."""

from flask import Blueprint

bp = Blueprint("voice", __name__, url_prefix="/ivr")
