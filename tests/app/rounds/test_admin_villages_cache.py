"""A travel time saved on /staff/admin/villages reaches the API's next slot search at once:
the change bumps the schedule version, so the cached answer is not served again. Real
commits on a fresh PostgreSQL database (the version is bumped by triggers at commit)."""

from collections.abc import Iterator
from datetime import datetime, time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app import create_app
from app.api.slot_cache import VersionReader
from app.config import Config
from app.db import make_engine
from scheduling.enums import Role
from scheduling.models import Staff, Village
from tests.factories import (
    NOW,
    TEST_SECRET_KEY,
    TEST_TOTP_SECRET,
    ZONE,
    make_credential,
    make_staff,
)
from tests.staff_login import csrf_of, sign_in
from tests.villages import VISIT_DAY, rounds_zone, visit

SEARCH = (
    f"/api/v1/slots?service=wijkagent&from={VISIT_DAY}&to={VISIT_DAY}&location=home"
    "&postcode=1547&street=Plaats&number=3"
)


@pytest.fixture
def engine(fresh_database) -> Iterator[Engine]:
    engine = make_engine(fresh_database("postgresql"))
    yield engine
    engine.dispose()


@pytest.fixture
def zone(engine: Engine) -> tuple[int, int]:
    """The rounds zone (a visit in Bever on Wednesday at 14:00, 5 minutes within Bever) and
    an admin; (admin id, Bever's id), committed."""
    with Session(engine, expire_on_commit=False) as session, freeze_time(NOW):
        officer = rounds_zone(session)
        visit(session, officer, datetime.combine(VISIT_DAY, time(14), tzinfo=ZONE))
        admin = make_staff(session, roles=(Role.ADMIN,))
        make_credential(session, admin, totp_secret=TEST_TOTP_SECRET)
        bever = session.query(Village).filter_by(name="Bever").one()
        session.commit()
        return admin.id, bever.id


@pytest.fixture
def app(engine: Engine, tmp_path: Path) -> Iterator[Flask]:
    url = engine.url.render_as_string(hide_password=False)
    config = Config.from_env(tmp_path, env={"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY})
    app = create_app(config)
    yield app
    app.extensions["schedule_version"].dispose()
    app.extensions["db_engine"].dispose()


def _clocks(client: FlaskClient) -> list[str]:
    answer = client.get(SEARCH)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return [
        datetime.fromisoformat(s["start"]).astimezone(ZONE).strftime("%H:%M")
        for s in answer.get_json()["slots"]
    ]


def _version(engine: Engine) -> int:
    read = VersionReader(engine)
    try:
        return read()
    finally:
        read.dispose()


def test_a_saved_travel_time_changes_the_next_search(app, engine, zone):
    admin_id, bever = zone
    client = app.test_client()
    with freeze_time(NOW):
        before = _clocks(client)
        assert "14:45" in before  # 15 minutes after the visit: 5 minutes' drive fits
        assert _clocks(client) == before  # served again from the cache
        with Session(engine) as session:
            sign_in(client, session.get_one(Staff, admin_id))
        version = _version(engine)
        cell = f"travel-{bever}-{bever}"
        answer = client.post(
            "/staff/admin/villages/travel",
            data={"csrf_token": csrf_of(client, "/staff/admin/villages"), cell: "20"},
        )
        assert answer.status_code == 302
        assert _version(engine) > version
        after = _clocks(client)
    assert "14:45" not in after  # 20 minutes' drive no longer fits in 15
    assert "15:00" in after
