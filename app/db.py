"""Database engine and the one-transaction-per-request session."""

import sqlite3
from typing import Any

from flask import Flask, Response, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the project's settings; on SQLite: WAL, foreign keys, busy timeout,
    and write-serialised transactions (BEGIN IMMEDIATE) so concurrent bookings queue up."""
    for plain in ("postgresql://", "postgres://"):  # hosting platforms hand out both
        if url.startswith(plain):
            url = "postgresql+psycopg://" + url.removeprefix(plain)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **kwargs)

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


def init_app(app: Flask) -> None:
    """One transaction per request: committed before a successful (< 400) answer leaves,
    so a client never hears "done" for a change that failed to commit; rolled back otherwise."""
    engine = make_engine(app.config["BLAUWLIJN"].database_url)
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
