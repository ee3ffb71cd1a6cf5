"""Cached slot searches: served again only while nothing that decides a free moment changed.

These run on a fresh database of each kind with real commits, because the schedule version is
bumped by database triggers (on PostgreSQL at commit time).
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from app import create_app
from app.api.slot_cache import VersionReader
from app.config import Config
from app.db import make_engine
from scheduling.models import Staff
from tests.factories import (
    TEST_SECRET_KEY,
    make_absence,
    make_district,
    make_one_off,
    make_service,
    make_staff,
    make_weekly,
)

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Brussels
SEARCH = (
    "/api/v1/slots?service=wijkagent&from=2026-12-01&to=2026-12-04"
    "&postcode=1547&street=Plaats&number=3"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, fresh_database: Callable[[str], str]) -> str:
    return fresh_database(request.param)


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def officer(engine: Engine) -> Staff:
    """A wijkagent with office hours on Tuesday and Wednesday, committed."""
    with Session(engine, expire_on_commit=False) as session:
        officer = make_staff(session, name="Inspecteur Wouters")
        make_district(session, officer, streets=(("1547", "Plaats"),))
        make_service(session, code="wijkagent", min_notice_minutes=60)
        for weekday in (1, 2):
            make_weekly(session, officer, weekday=weekday, starts=time(9), ends=time(12))
        session.commit()
        return officer


@pytest.fixture
def app(url: str, tmp_path: Path) -> Iterator[Flask]:
    config = Config.from_env(tmp_path, env={"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY})
    app = create_app(config)
    yield app
    app.extensions["schedule_version"].dispose()
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement sent from now on, by any engine (the version has its own pool)."""
    sent: list[str] = []

    def count(*args: object) -> None:
        sent.append(str(args[2]))

    event.listen(Engine, "before_cursor_execute", count)
    yield sent
    event.remove(Engine, "before_cursor_execute", count)


def _starts(client: FlaskClient) -> list[str]:
    response = client.get(SEARCH)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [slot["start"] for slot in response.get_json()["slots"]]


def _version(engine: Engine) -> int:
    read = VersionReader(engine)
    try:
        return read()
    finally:
        read.dispose()


@freeze_time(NOW)
def test_a_repeated_search_costs_one_query_and_gives_the_same_answer(officer, client, statements):
    first = _starts(client)
    assert first  # Tuesday from 10:00 (one hour's notice) and Wednesday
    statements.clear()
    assert _starts(client) == first
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


@freeze_time(NOW)
def test_a_booking_removes_its_moment_from_the_next_search(officer, client):
    before = _starts(client)
    booked = client.post(
        "/api/v1/bookings",
        json={
            "service": "wijkagent",
            "start": before[0],
            "staff_id": officer.id,
            "location": "office",
            "citizen": {"name": "Jan Peeters", "phone": "0470 12 34 56"},
            "address": {"postcode": "1547", "street": "Plaats", "number": "3"},
        },
    )
    assert booked.status_code == 201, booked.get_data(as_text=True)
    after = _starts(client)
    assert before[0] not in after
    assert after == before[1:]


@freeze_time(NOW)
def test_a_change_written_outside_the_app_is_seen(officer, engine, client):
    """Triggers, not application code, bump the version: an administrator's SQL counts too."""
    before = _starts(client)
    with Session(engine) as session:
        make_absence(
            session,
            session.get(Staff, officer.id),
            starts_at=datetime(2026, 12, 2, 7, 0, tzinfo=UTC),
            ends_at=datetime(2026, 12, 2, 12, 0, tzinfo=UTC),
        )
        session.commit()
    after = _starts(client)
    assert [s for s in before if s.startswith("2026-12-02")]
    assert [s for s in after if s.startswith("2026-12-02")] == []
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM absences"))
    assert _starts(client) == before


def test_time_moving_on_drops_moments_inside_the_notice_without_a_new_search(
    officer, client, statements
):
    with freeze_time(NOW):
        first = _starts(client)
    statements.clear()
    with freeze_time(NOW + timedelta(minutes=70)):  # 10:10: one hour's notice → from 11:10
        later = _starts(client)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    assert later == [s for s in first if s >= "2026-12-01T11:10"]
    assert later != first


def test_a_new_day_computes_afresh(officer, engine, client, statements):
    with freeze_time(NOW):
        _starts(client)
    statements.clear()
    with freeze_time(NOW + timedelta(days=1)):
        later = _starts(client)
    assert len(statements) > 1
    assert all(s >= "2026-12-02T10:00" for s in later)


def test_each_schedule_table_bumps_the_version(officer, engine):
    changes = [
        lambda s: make_staff(s),  # staff, staff_roles
        lambda s: make_service(s),
        lambda s: make_one_off(
            s, s.get(Staff, officer.id), on=NOW.date(), starts=time(14), ends=time(15)
        ),
        lambda s: make_district(s, s.get(Staff, officer.id), streets=(("1570", "Markt"),)),
        lambda s: s.execute(text("UPDATE availability SET valid_until = '2027-06-30'")),
        lambda s: s.execute(text("DELETE FROM availability WHERE on_date IS NOT NULL")),
    ]
    for change in changes:
        before = _version(engine)
        with Session(engine) as session:
            change(session)
            session.commit()
        assert _version(engine) > before


def test_a_transaction_that_touches_nothing_of_the_schedule_keeps_the_version(engine):
    before = _version(engine)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO rate_limit_hits (bucket, key, at) VALUES ('b', 'k', :at)").bindparams(
                at=NOW
            )
        )
    assert _version(engine) == before


def test_postgresql_bumps_once_per_transaction_and_never_deadlocks(fresh_database):
    """A big import bumps the row once; two writers committing in turn both count.

    (SQLite bumps per row: its writers are serialised anyway.)"""
    engine = make_engine(fresh_database("postgresql"))
    try:
        with Session(engine) as session:
            staff = make_staff(session)
            staff_id = staff.id
            session.commit()
        before = _version(engine)
        with Session(engine) as session:
            staff = session.get(Staff, staff_id)
            for day in range(40):
                on = NOW.date() + timedelta(days=day)
                make_one_off(session, staff, on=on, starts=time(14), ends=time(15))
            session.commit()
        assert _version(engine) == before + 1

        with Session(engine) as first, Session(engine) as second:
            make_one_off(
                first, first.get(Staff, staff_id), on=NOW.date(), starts=time(16), ends=time(17)
            )
            make_one_off(
                second, second.get(Staff, staff_id), on=NOW.date(), starts=time(17), ends=time(18)
            )
            second.commit()
            first.commit()
        assert _version(engine) == before + 3
    finally:
        engine.dispose()


def test_the_version_survives_a_lost_database_connection(fresh_database):
    """No pre-ping on the version's pool: a connection killed under it is replaced."""
    engine = make_engine(fresh_database("postgresql"))
    read = VersionReader(engine)
    try:
        first = read()
        with engine.begin() as conn:
            killed = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
        assert killed >= 1
        assert read() == first
    finally:
        read.dispose()
        engine.dispose()
