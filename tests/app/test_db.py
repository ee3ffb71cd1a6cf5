"""Database URLs as hosting platforms give them reach the psycopg 3 driver; a connection
is pinged before use only when it sat idle (app.db._ping_when_idle)."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

import app.db
from app.db import PING_WHEN_IDLE_FOR, make_engine


@pytest.mark.parametrize("url", ["postgres://u@db.example/zone", "postgresql://u@db.example/zone"])
def test_plain_postgres_urls_use_psycopg(url):
    engine = make_engine(url)
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


@pytest.fixture
def postgres(fresh_database, monkeypatch):
    """An engine on PostgreSQL, its clock moved by hand, its pings counted."""
    engine = make_engine(fresh_database("postgresql"))
    clock = [1000.0]
    monkeypatch.setattr(app.db.time, "monotonic", lambda: clock[0])
    pings = []
    real_ping = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(1) or real_ping(conn))
    yield engine, clock, pings
    engine.dispose()


def _kill_the_others(engine):
    with engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        conn.commit()


def _select_one(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1")).scalar_one()


def test_a_connection_back_from_a_request_just_now_is_not_pinged(postgres):
    engine, clock, pings = postgres
    _select_one(engine)
    pings.clear()
    clock[0] += PING_WHEN_IDLE_FOR / 2
    _select_one(engine)
    assert pings == []
    clock[0] += PING_WHEN_IDLE_FOR
    _select_one(engine)
    assert pings == [1]


def test_an_idle_connection_that_died_is_replaced_unnoticed(postgres):
    engine, clock, pings = postgres
    with engine.connect() as first, engine.connect() as second:  # two in the pool
        first.execute(text("SELECT 1"))
        second.execute(text("SELECT 1"))
    clock[0] += PING_WHEN_IDLE_FOR
    _kill_the_others(engine)  # uses one of them, and kills the other
    clock[0] += PING_WHEN_IDLE_FOR
    pings.clear()
    assert _select_one(engine) == 1
    assert _select_one(engine) == 1
    assert pings  # the dead one was pinged, found dead and replaced


def test_a_connection_that_died_within_the_second_fails_one_request(postgres):
    engine, _clock, _pings = postgres
    with engine.connect() as first, engine.connect() as second:
        first.execute(text("SELECT 1"))
        second.execute(text("SELECT 1"))
    _kill_the_others(engine)
    results = []
    for _ in range(2):
        try:
            results.append(_select_one(engine))
        except OperationalError:
            results.append("failed")
    assert results == ["failed", 1]  # then the pool reconnects all it holds
