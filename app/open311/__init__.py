"""Open311 GeoReport v2, the read side (/open311/v2): the public reporting point's categories
and the public fields of its reports, as JSON or XML, for the zone's municipalities and
anyone who maps what is reported (docs/open311.md says what is shown and what never is)."""

from flask import Blueprint, Flask, Response, request
from werkzeug.exceptions import HTTPException

from app import ratelimit
from app.open311 import answer_cache
from app.open311.render import FORMATS, Failure, errors_response

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")


@bp.before_request
def _replay_or_limit() -> Response | None:
    # A list this worker answered seconds ago is served again as it was, without the
    # database (app.open311.answer_cache); anything else is counted per client address in
    # the database like the API's (app.ratelimit): the limit protects the database.
    replayed = answer_cache.replay() if request.endpoint == "open311.list_requests" else None
    if replayed is not None:
        return replayed
    ratelimit.hit_or_refuse("open311-ip", request.remote_addr or "?")
    return None


@bp.errorhandler(Failure)
def _failure(failure: Failure) -> Response:
    return errors_response(failure.status, failure.description, _asked_format())


def error_for(error: HTTPException) -> Response:
    """An HTTP error under /open311/ (unknown path, wrong method, too many requests, a
    failure) in the spec's error format; app.errors hands those of /open311/ here."""
    response = errors_response(error.code or 500, error.description or "", _asked_format())
    for name, value in error.get_headers():
        if name.lower() in ("allow", "retry-after"):
            response.headers[name] = value
    return response


def _asked_format() -> str:
    # The format the path asks for; an unknown or missing one is answered in JSON.
    suffix = request.path.rsplit(".", 1)[-1] if "." in request.path else ""
    return suffix if suffix in FORMATS else "json"


def init_app(app: Flask) -> None:
    from app.open311 import post_request, service_requests, services  # noqa: F401  (routes)

    app.register_blueprint(bp)
    app.extensions["open311_cache"] = answer_cache.AnswerCache()
