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
def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


@cache
def schema_heads() -> frozenset[str]:
    """The revisions the code expects (the script directory's heads): read once per process."""
    return frozenset(_script().get_heads())


@cache
def known_revisions() -> frozenset[str]:
    """Every revision this code has a migration for: read once per process."""
    return frozenset(script.revision for script in _script().walk_revisions())


@bp.get("/healthz")
def healthz() -> Response:
    """Alive: answers without the database (a database outage must not restart every web
    process; /readyz takes the process out of rotation instead)."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """200 when ``SELECT 1`` answers and ``alembic_version`` is at the code's head; 503 with
    a short reason otherwise (a database gone, a process started before `release` migrated).

    A revision this code does not know is a newer release's: during an upgrade the old
    processes keep serving on the migrated schema (migrations are written for that:
    docs/operations.md) until they are replaced, so they stay ready."""
    session = get_session()
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        # The error's text may name the host and user: kept out of the answer.
        return _unavailable("database unreachable")
    try:
        versions = frozenset(session.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        return _unavailable("schema not migrated")
    if versions == schema_heads():
        return jsonify(status="ready"), 200
    if versions and not versions <= known_revisions():
        return jsonify(status="ready", schema="newer than this code"), 200
    return _unavailable("schema behind the code: run the release step (migrations)")


def _unavailable(reason: str) -> tuple[Response, int]:
    return jsonify(status="unavailable", reason=reason), 503


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
