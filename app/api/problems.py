"""RFC 9457 problem details: every API error is ``application/problem+json``."""

from typing import Any

from flask import Response, jsonify

from scheduling.errors import (
    AddressNotInZone,
    Forbidden,
    InvalidRequest,
    NotAllowed,
    NotFound,
    SchedulingError,
    SlotUnavailable,
)

PROBLEM_BASE = "https://blauwlijn.be/problems/"

_STATUS: dict[type[SchedulingError], int] = {
    NotFound: 404,
    AddressNotInZone: 404,
    SlotUnavailable: 409,
    NotAllowed: 409,
    Forbidden: 403,
    InvalidRequest: 422,
}

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal error",
}


def problem(
    status: int,
    detail: str,
    *,
    code: str | None = None,
    errors: list[dict[str, str]] | None = None,
    phone: str | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (code or str(status)),
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    if phone:
        body["phone"] = phone  # whom to call instead (RFC 9457 extension member)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def from_scheduling_error(error: SchedulingError) -> Response:
    status = next((s for cls, s in _STATUS.items() if isinstance(error, cls)), 422)
    errors = [{"field": error.field, "message": error.message}] if error.field else None
    return problem(status, error.message, code=error.code, errors=errors)
