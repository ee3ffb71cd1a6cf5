"""Health checks for a load balancer or orchestrator: ``/healthz`` (this process answers)
and ``/readyz`` (it can serve: the database answers and its schema is the code's).

Cheap and impersonal, so no rate limit; they touch no session cookie, and no one caches
their answer (app.security sets ``Cache-Control: no-store`` on every answer)."""

from functools import cache

from alembic.script import ScriptDirectory
from flask import Blueprint, Flask, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db import get_session
from app.migrate import MIGRATIONS

bp = Blueprint("health", __name__)


@cache
def schema_heads() -> frozenset[str]:
    """The revisions the code expects (the script directory's heads): read once per process."""
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


@bp.get("/healthz")
def healthz() -> Response:
    """Alive: answers without the database (a database outage must not restart every web
    process; /readyz takes the process out of rotation instead)."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """200 when ``SELECT 1`` answers and ``alembic_version`` is at the code's head; 503 with
    a short reason otherwise (a release that has not migrated yet, a database gone)."""
    try:
        session = get_session()
        session.execute(text("SELECT 1"))
        versions = frozenset(session.scalars(text("SELECT version_num FROM alembic_version")).all())
    except SQLAlchemyError:
        # The error's text may name the host and user: kept out of the answer.
        return jsonify(status="unavailable", reason="database unreachable"), 503
    if versions != schema_heads():
        return jsonify(status="unavailable", reason="schema not at the migrations' head"), 503
    return jsonify(status="ready"), 200


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
