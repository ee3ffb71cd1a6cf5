"""Error answers: problem details under /api/, the spec's error list under /open311/;
everywhere else a calm page in the visitor's language that says what to do and gives the
blue number (a stale SMS link, a body too large, too many attempts, a failure of ours).
Staff blueprints keep their own 403 page."""

from flask import Flask, Response, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.api import problem_for
from app.open311 import error_for as open311_error

# Per status: the page's title and what to do. Any other 4xx reads as 400, any 5xx as 500.
TEXTS = {
    400: (_l("This did not work"), _l("Go back, reload the page and try again.")),
    404: (
        _l("This page does not exist"),
        _l(
            "The link may be incomplete or no longer valid. If it came in an SMS, check "
            "that you opened the whole link."
        ),
    ),
    413: (
        _l("What you sent is too long"),
        _l("Go back, shorten what you typed and try again."),
    ),
    429: (
        _l("Too many attempts"),
        _l("You tried this too often in a short time. Please try again in an hour."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("Nothing was changed by this error. Please try again in a few minutes."),
    ),
}


def _page(error: HTTPException) -> tuple[str, int, list[tuple[str, str]]]:
    status = error.code or 500
    title, advice = TEXTS.get(status) or TEXTS[500 if status >= 500 else 400]
    # The error's own headers (Allow on a 405, Retry-After), not its plain-text type.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return render_template("error.html", title=title, advice=advice), status, headers


def _answer(error: HTTPException) -> Response | tuple[str, int, list[tuple[str, str]]]:
    # Routing errors (unknown path, wrong method) and a body too large happen before any
    # blueprint is known: one handler on the app tells the API from the pages by path.
    if request.path.startswith("/api/"):
        return problem_for(error)
    if request.path.startswith("/open311/"):
        return open311_error(error)
    return _page(error)


def init_app(app: Flask) -> None:
    # Also unhandled exceptions: Flask hands them over as an InternalServerError.
    app.register_error_handler(HTTPException, _answer)
