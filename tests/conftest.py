"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

The schema comes from the real Alembic migrations, once per database per run; each test
runs inside a transaction that is rolled back (SAVEPOINTs for the code's own commits).
PostgreSQL is given by ``make test`` (TEST_POSTGRES_URL); without it those tests fail
loudly, never skip.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from pathlib import Path

import freezegun
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from app import create_app, migrate
from app.config import Config
from app.db import make_engine
from scheduling.models import Staff
from tests.factories import (
    TEST_SECRET_KEY,
    make_district,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)

DATABASES = ["sqlite", "postgresql"]

# An event loop in a test's own server thread (aiosmtpd) keeps real time while a test freezes
# the clock: its timeouts compare the loop's time with the process's monotonic clock, which
# libfaketime moves (make test) and freezegun would not. pytest's own clock (_pytest.timing)
# keeps real time too, so `--durations` measures tests that freeze it; only that module, since
# freezegun gives real time to any call with an ignored module within five frames (all of
# `_pytest` would unfreeze every test body).
freezegun.configure(extend_ignore_list=["asyncio", "aiosmtpd", "_pytest.timing"])


def pytest_report_header() -> str:
    """The date the suite sees: `make test` moves it ahead (tests/test_clock.py says why)."""
    moved = os.environ.get("FAKETIME", "not moved: run `make test`")
    return f"clock: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC ({moved})"


def _postgres_admin_url() -> str:
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "TEST_POSTGRES_URL is not set: the suite runs on PostgreSQL too. "
            "Run `make test`, which starts a throwaway cluster."
        )
    return url


def _new_database(kind: str, tmp_dir: Path) -> str:
    """A new, empty database of ``kind``; returns its URL."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_dir / f'test-{uuid.uuid4().hex[:8]}.sqlite3'}"
    admin_url = _postgres_admin_url()
    name = f"blauwlijn_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """Make a new migrated database (for tests that need real commits across processes)."""

    def make(kind: str) -> str:
        url = _new_database(kind, tmp_path_factory.mktemp("db"))
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        return url

    return make


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest, fresh_database: Callable[[str], str]) -> str:
    return fresh_database(request.param)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        yield session


@pytest.fixture(scope="session")
def app_for_db(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    instance = tmp_path_factory.mktemp("instance")
    config = Config.from_env(
        instance, env={"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET_KEY}
    )
    app = create_app(config)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def app(app_for_db: Flask, connection: Connection) -> Iterator[Flask]:
    """The app, its requests running inside this test's rolled-back transaction."""
    original = app_for_db.extensions["db_sessionmaker"]
    app_for_db.extensions["db_sessionmaker"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    # The slot cache trusts committed schedule versions, and these requests never commit:
    # it is left out here (tests/app/test_slot_cache.py covers it with real commits). So is
    # the phone menu's one-second cache: a test changes presence and calls at once
    # (tests/ivr/test_webhook_costs.py covers it).
    cache = app_for_db.extensions.pop("slot_cache")
    recent = app_for_db.extensions.pop("ivr_recent")
    yield app_for_db
    app_for_db.extensions["db_sessionmaker"] = original
    app_for_db.extensions["slot_cache"] = cache
    app_for_db.extensions["ivr_recent"] = recent


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def officer(session: Session) -> Staff:
    """The booking tests' officer (tests/api_calls.py books with them): ADDRESS's district
    (tests/factories.py), a phone for the notices, office hours Wednesday 9–12 at a site."""
    officer = make_staff(session, name="Inspecteur Wouters", phone="+32470999999")
    site = make_site(session, name="Wijkpost Bever")
    make_district(session, officer, name="Bever-centrum", streets=(("1547", "Plaats"),))
    make_service(
        session, code="wijkagent", what_to_bring={"nl": "Je eID.", "fr": "Votre eID.", "en": "ID"}
    )
    make_weekly(session, officer, weekday=2, starts=time(9), ends=time(12), site=site)
    session.commit()
    return officer


@pytest.fixture
def signed_app(database_url: str, tmp_path: Path, connection: Connection) -> Iterator[Flask]:
    """An app with Twilio credentials and a public address (the webhooks check signatures),
    its requests inside this test's rolled-back transaction."""
    config = Config.from_env(
        tmp_path,
        env={
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET_KEY,
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "TWILIO_AUTH_TOKEN": "secret-token",
            "PUBLIC_BASE_URL": "https://blauwlijn.example",
        },
    )
    app = create_app(config)
    app.extensions["db_sessionmaker"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield app
    app.extensions["db_engine"].dispose()
