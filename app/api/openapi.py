"""The OpenAPI 3.1 document of /api/v1, built from the same pydantic models that validate."""

from functools import cache
from typing import Any

from flask import Response, jsonify
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from app.api import bp
from app.api.schemas import (
    CALENDAR,
    BookingCreated,
    BookingIn,
    BookingOut,
    CancelIn,
    DistrictOut,
    OfficerOut,
    Problem,
    RescheduleIn,
    ServiceOut,
    SlotsOut,
)
from app.galop.records import GalopDocument, ImportSummary
from app.limits import (
    GALOP_MAX_BODY_BYTES,
    MAX_BODY_BYTES,
    MAX_HEADER_BYTES,
    MAX_HEADERS,
    MAX_REQUEST_LINE_BYTES,
)

REF = "#/components/schemas/{model}"
GALOP_KEY = "galopKey"
PROBLEM = "application/problem+json"


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problems(*statuses: int) -> dict[str, Any]:
    return {
        str(s): {"description": "Problem details", "content": {PROBLEM: {"schema": _ref(Problem)}}}
        for s in statuses
    }


def _query(
    name: str,
    schema: dict[str, Any],
    required: bool = False,
    doc: str = "",
    example: str | None = None,
) -> dict[str, Any]:
    parameter: dict[str, Any] = {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": doc,
    }
    if example is not None:
        parameter["example"] = example
    return parameter


def _body(model: type[BaseModel], required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": _ref(model)}}}


TOKEN = {
    "name": "token",
    "in": "path",
    "required": True,
    "description": "The manage token from the confirmation (SMS link).",
    "schema": {"type": "string"},
    "example": "Qm9va2luZy10b2tlbi1leGFtcGxl",
}
POSTCODE = {"type": "string", "pattern": "^[0-9]{4}$"}
TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
NUMBER = {"type": "string", "minLength": 1, "maxLength": 12}
LOCATION = {"type": "string", "enum": ["office", "home", "on_site"]}
DATE = {"type": "string", "format": "date"}


def _bytes(n: int) -> str:
    return f"{n:,}".replace(",", " ")


LIMITS = (
    f"Limits: a request line (method, path with query, protocol) of at most "
    f"{_bytes(MAX_REQUEST_LINE_BYTES)} bytes, at most {_bytes(MAX_HEADERS)} header fields "
    f"of at most {_bytes(MAX_HEADER_BYTES)} bytes each; beyond them the server answers a "
    f"plain 400 before the API sees the request (every request this document allows fits). "
    f"A body of at most {_bytes(MAX_BODY_BYTES)} bytes ({_bytes(GALOP_MAX_BODY_BYTES)} bytes for "
    f"/galop/absences); a larger one is refused unread with a 413 problem."
)


def _paths() -> dict[str, Any]:
    booking_answers = {
        "200": _json(_ref(BookingOut), "The booking"),
        **_problems(404, 409, 422),
    }
    return {
        "/services": {
            "get": {
                "summary": "What can be booked",
                "responses": {
                    "200": _json({"type": "array", "items": _ref(ServiceOut)}, "Services")
                },
            }
        },
        "/districts": {
            "get": {
                "summary": "Districts with their wijkagent and streets",
                "responses": {
                    "200": _json({"type": "array", "items": _ref(DistrictOut)}, "Districts")
                },
            }
        },
        "/officer": {
            "get": {
                "summary": "Who is the wijkagent of an address",
                "parameters": [
                    _query("postcode", POSTCODE, True, example="1547"),
                    _query("street", TEXT, True, example="Plaats"),
                    _query("number", NUMBER, True, example="3"),
                ],
                "responses": {"200": _json(_ref(OfficerOut), "The officer"), **_problems(404, 422)},
            }
        },
        "/slots": {
            "get": {
                "summary": "Free moments of a service",
                "description": "The address is required for services served by the district officer; "
                "the invitation code for services that require an invitation. At most 92 days.",
                "parameters": [
                    _query(
                        "service",
                        {"type": "string", "pattern": "^[a-z0-9_-]{1,40}$"},
                        True,
                        example="wijkagent",
                    ),
                    _query("from", DATE, True, f"First local day. {CALENDAR}", "2026-12-02"),
                    _query("to", DATE, True, f"Last local day. {CALENDAR}", "2026-12-08"),
                    _query("location", LOCATION, example="office"),
                    _query("postcode", POSTCODE, example="1547"),
                    _query("street", TEXT, example="Plaats"),
                    _query("number", NUMBER, example="3"),
                    _query("staff", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}),
                    _query("invitation_code", {"type": "string", "minLength": 1, "maxLength": 40}),
                ],
                "responses": {"200": _json(_ref(SlotsOut), "Free moments"), **_problems(404, 422)},
            }
        },
        "/bookings": {
            "post": {
                "summary": "Book a free moment",
                "description": "Bailiff services need `Authorization: Bearer <token>` of a bailiff account.",
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                    }
                ],
                "requestBody": _body(BookingIn),
                "responses": {
                    "201": _json(_ref(BookingCreated), "Booked"),
                    # 429: too many bookings from this address, token or for this number.
                    **_problems(401, 403, 404, 409, 413, 415, 422, 429),
                },
            }
        },
        "/bookings/{token}": {
            "get": {
                "summary": "A booking, by its manage token",
                "parameters": [TOKEN],
                "responses": {"200": _json(_ref(BookingOut), "The booking"), **_problems(404)},
            }
        },
        "/bookings/{token}/cancel": {
            "post": {
                "summary": "Cancel (idempotent)",
                "parameters": [TOKEN],
                "requestBody": _body(CancelIn, required=False),
                "responses": {**booking_answers, **_problems(413, 415, 429)},
            }
        },
        "/bookings/{token}/reschedule": {
            "post": {
                "summary": "Move to another free moment",
                "parameters": [TOKEN],
                "requestBody": _body(RescheduleIn),
                "responses": {**booking_answers, **_problems(413, 415, 429)},
            }
        },
        "/galop/absences": {
            "post": {
                "summary": "GALOP pushes absences (and roster rows)",
                "description": "The personnel system's push: the document of "
                "`flask --app app galop-import` (docs/galop.md). Idempotent by `absence_id`; "
                "all or nothing (a 422 lists every bad field, as `absences.3.start`). "
                "Appointments of absent staff pass to a free colleague or are cancelled.",
                "security": [{GALOP_KEY: []}],
                "requestBody": _body(GalopDocument),
                "responses": {
                    "200": _json(_ref(ImportSummary), "What the import changed"),
                    **_problems(401, 409, 413, 415, 422),
                },
            }
        },
    }


@cache
def document() -> dict[str, Any]:
    inputs: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (m, "validation") for m in (BookingIn, CancelIn, RescheduleIn, GalopDocument)
    ]
    outputs: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (m, "serialization")
        for m in (
            ServiceOut,
            DistrictOut,
            OfficerOut,
            SlotsOut,
            BookingOut,
            BookingCreated,
            Problem,
            ImportSummary,
        )
    ]
    _, schemas = models_json_schema(inputs + outputs, ref_template=REF)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Blauwlijn API",
            "version": "1.0.0",
            "description": "Appointments with the police zone. Times are ISO 8601 with the "
            "zone's offset; errors are RFC 9457 problem details. " + LIMITS,
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _paths(),
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {
                GALOP_KEY: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The zone's GALOP_API_KEY (only for /galop/absences).",
                }
            },
        },
    }


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(document())
