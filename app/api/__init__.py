"""The JSON API (/api/v1): one blueprint, RFC 9457 errors, pydantic-validated input."""

from datetime import datetime
from typing import TypeVar

from flask import Blueprint, Flask, Response, request
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, UnsupportedMediaType

from app import current
from app.api.problems import from_scheduling_error, problem
from app.api.slot_cache import SlotCache, VersionReader
from scheduling.errors import SchedulingError

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
Model = TypeVar("Model", bound=BaseModel)


class BadInput(Exception):
    """Input that does not fit the schema; carries pydantic's list of field errors."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("invalid input")
        self.errors = errors


def _field_errors(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
        for e in error.errors()
    ]


def parse_body(model: type[Model], *, optional: bool = False) -> Model:
    """The JSON body as ``model``; an absent body is ``{}`` when ``optional``."""
    raw = request.get_data(cache=True)
    if not raw.strip() and optional:
        data: object = {}
    else:
        if not request.is_json:
            raise UnsupportedMediaType("Send JSON (Content-Type: application/json).")
        try:
            data = request.get_json(silent=True)
        except RecursionError:  # nested too deep to decode; `silent` only covers ValueError
            data = None
        if not isinstance(data, dict):
            raise BadInput([{"field": "body", "message": "The body must be a JSON object."}])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BadInput(_field_errors(exc)) from exc


def parse_query(model: type[Model]) -> Model:
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise BadInput(_field_errors(exc)) from exc


def local_iso(instant: datetime) -> str:
    """ISO 8601 with the zone's offset, as the contract says."""
    return instant.astimezone(current.zone()).isoformat()


def language() -> str:
    return request.accept_languages.best_match(["nl", "fr", "en"]) or "nl"


@bp.errorhandler(SchedulingError)
def _scheduling_error(error: SchedulingError) -> Response:
    return from_scheduling_error(error)


@bp.errorhandler(BadInput)
def _bad_input(error: BadInput) -> Response:
    return problem(
        422, "The request has invalid fields.", code="invalid_input", errors=error.errors
    )


def problem_for(error: HTTPException) -> Response:
    """An HTTP error under /api/ (unknown path, wrong method, body too large, a failure) as
    a problem; app.errors answers every HTTP error and hands those of /api/ here."""
    status = error.code or 500
    response = problem(status, error.description or "")
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def init_app(app: Flask) -> None:
    from app.api import (  # noqa: F401  (they add routes to bp)
        assistance,
        bookings,
        catalog,
        galop,
        openapi,
        slots,
    )

    app.extensions["slot_cache"] = SlotCache()
    app.extensions["schedule_version"] = VersionReader(app.extensions["db_engine"])
    app.register_blueprint(bp)
