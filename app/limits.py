"""How big a request may be: its body (Flask), its request line and headers (gunicorn).

Bodies: the largest a person sends is the staff member's bookable-moments form (every row
of every table full is about 25 kB, a call-taker's 2000-character note about 18 kB
percent-encoded); API bodies and Twilio's webhooks are a few kB. 64 KiB leaves room for all
of them and refuses anything larger with a 413 before it is read. GALOP's push carries up to
10 000 roster rows and 10 000 absences (app.galop.records.MAX_ROWS): it has its own limit,
and so has the reporting point's photos step (three photos, app.meldpunt.upload).

Request line and headers (gunicorn.conf.py): every URL the API document allows fits the
request line even fully percent-encoded (tests/app/test_limits.py checks it); longer ones,
more headers or a larger header get gunicorn's plain 400 before the application sees them.
"""

from flask import Flask, request

from app.reports.photos import MAX_BYTES as PHOTO_MAX_BYTES

MAX_BODY_BYTES = 64 * 1024
GALOP_MAX_BODY_BYTES = 16 * 1024 * 1024  # 20 000 rows at their longest are about 10 MB
# The reporting point's photos step: three photos at their largest and the form around them.
REPORT_PHOTOS_MAX_BODY_BYTES = 3 * PHOTO_MAX_BYTES + 64 * 1024
MAX_REQUEST_LINE_BYTES = 4094  # method, path, query and protocol
MAX_HEADERS = 100
MAX_HEADER_BYTES = 8190  # one header line: the cookie is the largest we set (< 1 kB)


# Endpoints whose bodies may be larger than MAX_BODY_BYTES, and how large.
LARGER_BODIES = {
    "api_v1.galop_push": GALOP_MAX_BODY_BYTES,
    "meldpunt.photos": REPORT_PHOTOS_MAX_BODY_BYTES,
}


def _larger_body() -> None:
    # Set before anything reads the body (the CSRF check reads forms).
    if request.endpoint in LARGER_BODIES:
        request.max_content_length = LARGER_BODIES[request.endpoint]


def init_app(app: Flask) -> None:
    """Refuse larger bodies with a 413 (app.errors: a page, or a problem under /api/)."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.before_request(_larger_body)
