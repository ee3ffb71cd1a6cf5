"""Database engine and the one-transaction-per-request session."""

import sqlite3
import time
from typing import Any, cast

from flask import Flask, Response, current_app, g
from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

SQLITE_BUSY_TIMEOUT_MS = 10_000
PING_WHEN_IDLE_FOR = 1.0  # seconds; see _ping_when_idle


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the project's settings; on SQLite: WAL, foreign keys, busy timeout,
    and write-serialised transactions (BEGIN IMMEDIATE) so concurrent bookings queue up.
    Errors (and SQL logging) never show bound values: they are names, phone numbers..."""
    kwargs.setdefault("hide_parameters", True)
    for plain in ("postgresql://", "postgres://"):  # hosting platforms hand out both
        if url.startswith(plain):
            url = "postgresql+psycopg://" + url.removeprefix(plain)
    if not url.startswith("sqlite"):
        engine = create_engine(url, **kwargs)
        _ping_when_idle(engine)
        return engine

    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pre-ping, but not for a connection handed back less than a second ago:
    the ping is a round trip on every request, and such a connection is alive unless the
    database restarted in that second (the request that finds out fails, as those running
    at the restart do anyway, and the pool then reconnects all). Pinged and found dead:
    the pool reconnects all, the request does not notice."""

    @event.listens_for(engine, "checkin")
    def _idle(_dbapi_conn: Any, entry: ConnectionPoolEntry) -> None:
        entry.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn: Any, entry: ConnectionPoolEntry, _proxy: Any) -> None:
        if time.monotonic() - entry.info.get("idle_since", 0.0) < PING_WHEN_IDLE_FOR:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as error:
            raise InvalidatePoolError from error


def init_app(app: Flask) -> None:
    """One transaction per request: committed before a successful (< 400) answer leaves,
    so a client never hears "done" for a change that failed to commit; rolled back otherwise."""
    config = app.config["BLAUWLIJN"]
    pool = {"pool_size": config.db_pool_size, "max_overflow": config.db_max_overflow}
    # SQLite has one writer at a time and no server to spare: SQLAlchemy's own pool.
    engine = make_engine(
        config.database_url, **({} if config.database_url.startswith("sqlite") else pool)
    )
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)

    @app.after_request
    def _commit(response: Response) -> Response:
        session: Session | None = g.get("db_session")
        if session is not None and response.status_code < 400:
            session.commit()
        return response

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.rollback()  # a no-op after a commit
            session.close()


def get_session() -> Session:
    """The current request's session (created on first use)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    session: Session = g.db_session
    return session


def rowcount(result: Result[Any]) -> int:
    """How many rows an INSERT, UPDATE or DELETE run through the session touched. The session
    returns a ``CursorResult`` for these, which counts them; its ``execute`` is typed as
    returning any ``Result``."""
    return int(cast(CursorResult[Any], result).rowcount or 0)
