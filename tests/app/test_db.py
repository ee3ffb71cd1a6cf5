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


def test_each_process_pool_is_sized_by_the_zone(fresh_database, tmp_path):
    from app import create_app
    from app.config import Config
    from tests.factories import TEST_SECRET_KEY

    env = {
        "DATABASE_URL": fresh_database("postgresql"),
        "SECRET_KEY": TEST_SECRET_KEY,
        "DB_POOL_SIZE": "3",
        "DB_MAX_OVERFLOW": "0",
    }
    flask_app = create_app(Config.from_env(tmp_path, env=env))
    pool = flask_app.extensions["db_engine"].pool
    try:
        assert (pool.size(), pool._max_overflow) == (3, 0)
    finally:
        flask_app.extensions["db_engine"].dispose()


@pytest.mark.parametrize(
    ("name", "value"), [("DB_POOL_SIZE", "0"), ("DB_POOL_SIZE", "five"), ("DB_MAX_OVERFLOW", "-1")]
)
def test_a_pool_size_that_is_no_count_stops_the_start_with_its_name(name, value, tmp_path):
    from app.config import Config
    from tests.factories import TEST_SECRET_KEY

    with pytest.raises(ValueError, match=name):
        Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, name: value})
