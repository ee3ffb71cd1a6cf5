"""The OpenAPI 3.1 document of /api/v1, built from the same pydantic models that validate."""

from functools import cache
from typing import Any

from flask import Response, jsonify
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from app.api import bp
from app.api.schemas import (
    CALENDAR,
    AssistanceIn,
    AssistanceListOut,
    AssistanceMoveIn,
    AssistanceOut,
    BookingCreated,
    BookingIn,
    BookingOut,
    CancelIn,
    DistrictOut,
    KindsOut,
    MomentsOut,
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
OFFICE_SCHEME = "officeToken"  # the security scheme's name
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


REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "The booking's reference (nine digits), as the booking's answer gave it.",
    "schema": {"type": "string", "pattern": "^[0-9]{6,9}$"},
    "example": "123456789",
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any unique string per booking you mean to make (your file number and a "
    "counter, a UUID): the same key with the same body answers the first answer again and "
    "books nothing more; the same key with another body is a 422.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}
OFFICERS = {"type": "integer", "minimum": 1, "maximum": 50}
MINUTES = {"type": "integer", "minimum": 15, "maximum": 1440}
OFFICES: list[dict[str, list[str]]] = [{OFFICE_SCHEME: []}]
# Every assistance operation: a wrong or revoked token (401), none (403: a citizen), too
# many requests from the office (429).
OFFICE_PROBLEMS = (401, 403, 429)

ASSISTANCE = (
    "**Police assistance for bailiff offices.** Your office's case software books police "
    "assistance with a bearer token (`Authorization: Bearer <token>`). Your office's admin "
    "makes one in the bailiffs' portal (/deurwaarder, *API keys*): it is shown once; revoke it "
    "there when it leaks. Find the first moments (`GET /assistance/moments`), book one "
    "(`POST /assistance/bookings`, with an `Idempotency-Key` so that a retry never books "
    "twice), list, read, move and cancel your office's bookings. Another office's booking is "
    "a 404, as a missing one. Inside the service's cut-off a move or cancellation is a 409 "
    "whose `phone` says whom to call."
)


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
                "description": "Citizens' services. A bailiff office's token is refused here: "
                "a 422 `use_assistance_endpoint` for police assistance (book it at "
                "`/assistance/bookings`), a 403 for a citizens' service.",
                "parameters": [IDEMPOTENCY_KEY],
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
        **_assistance_paths(),
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


def _assistance_paths() -> dict[str, Any]:
    one = {"200": _json(_ref(AssistanceOut), "The booking"), **_problems(*OFFICE_PROBLEMS)}
    change = {**one, **_problems(404, 409, 413, 415, 422)}
    return {
        "/assistance/kinds": {
            "get": {
                "summary": "Kinds of execution (for `execution_kind`)",
                "description": "The kinds the zone accepts now, with their names in Dutch, "
                "French and English.",
                "security": OFFICES,
                "responses": {
                    "200": _json(_ref(KindsOut), "Kinds of execution"),
                    **_problems(*OFFICE_PROBLEMS),
                },
            }
        },
        "/assistance/moments": {
            "get": {
                "summary": "The first moments when enough officers are free together",
                "description": "At the address (in the zone), for that many officers and that "
                "long (the service's defaults when left out), under the zone's capacity "
                "for assistance, travel included: at most 12 moments, the earliest first; "
                "search a later window for later ones. At most 92 days at once, from today on.",
                "security": OFFICES,
                "parameters": [
                    _query("postcode", POSTCODE, True, example="1570"),
                    _query("street", TEXT, True, example="Kerkstraat"),
                    _query("number", NUMBER, True, example="1"),
                    _query("officers", OFFICERS, doc="How many officers."),
                    _query("duration_minutes", MINUTES, doc="Whole quarter hours."),
                    _query("from", DATE, True, f"First local day. {CALENDAR}", "2026-12-07"),
                    _query("to", DATE, True, f"Last local day. {CALENDAR}", "2026-12-18"),
                ],
                "responses": {
                    "200": _json(_ref(MomentsOut), "Free moments"),
                    **_problems(*OFFICE_PROBLEMS, 404, 422),
                },
            }
        },
        "/assistance/bookings": {
            "get": {
                "summary": "Your office's assistance bookings",
                "description": "Upcoming ones (from now on, earliest first), or with "
                "`past=1` the earlier ones (latest first); cancelled ones too, with the "
                "reason.",
                "security": OFFICES,
                "parameters": [
                    _query(
                        "past",
                        {"type": "string", "enum": ["0", "1", "false", "true"]},
                        doc="`1`: the past ones instead.",
                    ),
                    _query("limit", {"type": "integer", "minimum": 1, "maximum": 500}),
                ],
                "responses": {
                    "200": _json(_ref(AssistanceListOut), "Bookings"),
                    **_problems(*OFFICE_PROBLEMS, 422),
                },
            },
            "post": {
                "summary": "Book police assistance",
                "description": "At one of the moments `GET /assistance/moments` gave for the "
                "same address, officers and duration; every risk question must be answered. "
                "A moment taken meanwhile is a 409 naming `start`.",
                "security": OFFICES,
                "parameters": [IDEMPOTENCY_KEY],
                "requestBody": _body(AssistanceIn),
                "responses": {
                    "201": _json(_ref(AssistanceOut), "Booked"),
                    **_problems(*OFFICE_PROBLEMS, 404, 409, 413, 415, 422),
                },
            },
        },
        "/assistance/bookings/{reference}": {
            "get": {
                "summary": "One of your office's assistance bookings",
                "security": OFFICES,
                "parameters": [REFERENCE],
                "responses": {**one, **_problems(404)},
            }
        },
        "/assistance/bookings/{reference}/cancel": {
            "post": {
                "summary": "Cancel (idempotent)",
                "security": OFFICES,
                "parameters": [REFERENCE],
                "requestBody": _body(CancelIn, required=False),
                "responses": change,
            }
        },
        "/assistance/bookings/{reference}/move": {
            "post": {
                "summary": "Move to another free moment",
                "description": "The same officers' count and duration, at a moment "
                "`GET /assistance/moments` gives.",
                "security": OFFICES,
                "parameters": [REFERENCE],
                "requestBody": _body(AssistanceMoveIn),
                "responses": change,
            }
        },
    }


@cache
def document() -> dict[str, Any]:
    inputs: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (m, "validation")
        for m in (BookingIn, CancelIn, RescheduleIn, AssistanceIn, AssistanceMoveIn, GalopDocument)
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
            MomentsOut,
            AssistanceOut,
            AssistanceListOut,
            KindsOut,
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
            "zone's offset; errors are RFC 9457 problem details naming the field. "
            + LIMITS
            + "\n\n"
            + ASSISTANCE,
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
                },
                OFFICE_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A bailiff office's API token, made by the office's admin "
                    "in the bailiffs' portal (/deurwaarder, API keys).",
                },
            },
        },
    }


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return jsonify(document())
