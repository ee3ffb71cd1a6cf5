"""GALOP pushes absences (and roster rows): ``POST /api/v1/galop/absences`` with the zone's
API key; the same document and rules as ``flask --app app galop-import`` (docs/galop.md)."""

import hmac

from flask import Response, jsonify, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import UnsupportedMediaType

from app import current
from app.api import BadInput, bp
from app.api.problems import problem
from app.db import get_session
from app.galop.importer import Rejected, import_batch
from app.galop.reading import RowError, read_mapping


class _NoKey(Exception):
    pass


@bp.errorhandler(_NoKey)
def _no_key(_error: _NoKey) -> Response:
    response = problem(401, "A valid GALOP API key is required.", code="unauthorized")
    response.headers["WWW-Authenticate"] = 'Bearer realm="blauwlijn-galop"'
    return response


def _require_key() -> None:
    """``Authorization: Bearer <GALOP_API_KEY>``, compared in constant time; refused when the
    zone has configured no key."""
    expected: str | None = current.config().galop_api_key
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    if expected is None or scheme.lower() != "bearer":
        raise _NoKey()
    if not hmac.compare_digest(sent.strip().encode(), expected.encode()):
        raise _NoKey()


def _body() -> object:
    if not request.is_json:
        raise UnsupportedMediaType("Send JSON (Content-Type: application/json).")
    try:
        return request.get_json(silent=True)
    except RecursionError:  # nested too deep to decode; `silent` only covers ValueError
        return None


def _bad(errors: list[RowError]) -> BadInput:
    return BadInput([{"field": e.path, "message": e.message} for e in errors])


@bp.post("/galop/absences")
def galop_push() -> Response:
    _require_key()
    batch, errors = read_mapping(_body(), zone=current.zone())
    try:
        summary = import_batch(
            get_session(), batch, errors=errors, now=current.now(), zone=current.zone()
        )
    except Rejected as rejected:
        raise _bad(rejected.errors) from None
    except IntegrityError:
        # Two pushes created the same absence or staff member at once: the other one won,
        # and sending this one again is safe (imports are idempotent).
        return problem(409, "A concurrent import changed the same records; send it again.")
    return jsonify(summary.model().model_dump())
