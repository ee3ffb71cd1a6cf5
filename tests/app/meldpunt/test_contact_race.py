"""Two sends of one contact form at the same instant (a double click that reaches two web
workers), on PostgreSQL with real commits: one question, one confirmation message, and both
answers lead to the same confirmation page."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app import create_app
from app.config import Config
from app.db import make_engine
from app.notify.models import OutboxMessage
from app.reports.enums import CategoryKind
from app.reports.models import Report
from tests.app.meldpunt.conftest import NOW, form_of
from tests.app.races import _race
from tests.app.reports.factories import make_category
from tests.factories import TEST_SECRET_KEY


@pytest.fixture
def zone(fresh_database, tmp_path: Path) -> Iterator[tuple[Flask, Engine]]:
    url = fresh_database("postgresql")
    app = create_app(
        Config.from_env(tmp_path, env={"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY})
    )
    engine = make_engine(url)
    try:
        with freeze_time(NOW, tick=True):
            with Session(engine) as session:
                make_category(session, code="question", kind=CategoryKind.QUESTION)
                session.commit()
            yield app, engine
    finally:
        app.extensions["db_engine"].dispose()
        engine.dispose()


def test_two_sends_at_once_make_one_question(zone):
    app, engine = zone
    first, second = app.test_client(), app.test_client()
    data = form_of(first, "/contact?lang=en") | {
        "question": "Waar kan ik mijn fiets laten graveren?",
        "answer_by": "sms",
        "phone": "0470 12 34 56",
        "name": "An Peeters",
    }
    cookie = first.get_cookie("session")
    assert cookie is not None
    second.set_cookie("session", cookie.value)  # the same browser, the same form
    for client in (first, second):
        client.environ_base["REMOTE_ADDR"] = "192.0.2.1"

    answers = _race([lambda c=c: c.post("/contact", data=data) for c in (first, second)])

    assert [a.status_code for a in answers] == [302, 302]
    assert {a.location for a in answers} == {"/contact/done"}
    with Session(engine) as session:
        [report] = session.scalars(select(Report)).all()
        assert report.submission_key == data["key"]
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    pages = [c.get("/contact/done").get_data(as_text=True) for c in (first, second)]
    assert all(report.number in page for page in pages)
