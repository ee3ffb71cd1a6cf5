"""Shared fixtures: the databases each test runs on, the app, the booking tests' officer.

Which database, and why:

* The engine (tests/scheduling), the migrations, the workers and other processes, and the
  race tests run on SQLite and on PostgreSQL: that is where the two differ (types, locking,
  constraints), and a zone may run on either.
* A test that reaches the app (its fixtures ``app``, ``client``, ``signed_app`` request
  ``postgres_only``) runs on PostgreSQL only: pages, the API, the webhooks and the console
  run the same code above either database, so running them twice proves nothing more and
  doubles the suite's time. The browser tests (tests/browser) run on their own demo database.
* A test through the app that is about a difference between the two is marked
  ``@pytest.mark.both_databases`` and runs on both again.

The schema comes from the real Alembic migrations, once per database per run (per xdist
worker); each test runs inside a transaction that is rolled back (SAVEPOINTs for the code's
own commits). PostgreSQL is given by ``make test`` (TEST_POSTGRES_URL); without it those
tests fail loudly, never skip.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Each test that uses a database runs once per database it is meant for (above)."""
    if "database_url" not in metafunc.fixturenames:
        return
    only_postgres = "postgres_only" in metafunc.fixturenames and not any(
        metafunc.definition.iter_markers("both_databases")
    )
    kinds = ["postgresql"] if only_postgres else DATABASES
    metafunc.parametrize("database_url", kinds, indirect=True, scope="session")


@pytest.fixture(scope="session")
def postgres_only() -> None:
    """Requested by the fixtures that reach the app: such a test runs on PostgreSQL only
    (pytest_generate_tests reads it; the module docstring says why)."""


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest, fresh_database: Callable[[str], str]) -> str:
    """A migrated database of the kind this test runs on (pytest_generate_tests)."""
    kind: str = request.param
    return fresh_database(kind)


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
def app_for_db(
    database_url: str, postgres_only: None, tmp_path_factory: pytest.TempPathFactory
) -> Flask:
    instance = tmp_path_factory.mktemp("instance")
    config = Config.from_env(
        instance, env={"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET_KEY}
    )
    app = create_app(config)
    app.config["TESTING"] = True
    return app


@contextmanager
def _in_transaction(
    app: Flask, connection: Connection, *, leave_out: tuple[str, ...] = ()
) -> Iterator[Flask]:
    """A session-wide app for one test: its requests inside the test's rolled-back
    transaction, ``leave_out`` extensions removed; after it, the app as it was (what the test
    or the app itself put on it dropped)."""
    extensions, client_class = dict(app.extensions), app.test_client_class
    app.extensions["db_sessionmaker"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    for name in leave_out:
        app.extensions.pop(name, None)  # an app on SQLite has no "console_live" listener
    try:
        yield app
    finally:
        app.extensions.clear()
        app.extensions.update(extensions)
        app.test_client_class = client_class


@pytest.fixture
def app(app_for_db: Flask, connection: Connection) -> Iterator[Flask]:
    """The app, its requests running inside this test's rolled-back transaction."""
    # The slot cache trusts committed schedule versions, and these requests never commit:
    # it is left out here (tests/app/test_slot_cache.py covers it with real commits). So is
    # the phone menu's one-second cache: a test changes presence and calls at once
    # (tests/ivr/test_webhook_costs.py covers it). And Open311's answers of the last seconds:
    # a test changes reports between two identical requests (tests/app/test_open311.py
    # covers it). And the live streams' listener: these requests never commit, so nothing is
    # ever announced; the streams poll (tests/callcenter/test_live_notify.py covers it).
    leave_out = ("slot_cache", "ivr_recent", "open311_cache", "console_live")
    with _in_transaction(app_for_db, connection, leave_out=leave_out):
        yield app_for_db


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


@pytest.fixture(scope="session")
def signed_app_for_db(
    database_url: str, postgres_only: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """An app with Twilio credentials and a public address (the webhooks check signatures)."""
    config = Config.from_env(
        tmp_path_factory.mktemp("signed-instance"),
        env={
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET_KEY,
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "TWILIO_AUTH_TOKEN": "secret-token",
            "PUBLIC_BASE_URL": "https://blauwlijn.example",
        },
    )
    app = create_app(config)
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def signed_app(signed_app_for_db: Flask, connection: Connection) -> Iterator[Flask]:
    """The signed app, its requests inside this test's rolled-back transaction."""
    with _in_transaction(signed_app_for_db, connection):
        yield signed_app_for_db
