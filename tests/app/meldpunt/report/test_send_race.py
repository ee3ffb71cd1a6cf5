"""A double click on "send" racing itself on PostgreSQL: two requests with the same draft
at once make one report, and both answer with the same confirmation. The first holds its
transaction open a moment (telling the citizen), so the second reaches the database before
the first commits and meets the unique submission key."""

import secrets
import time
from collections.abc import Iterator
from functools import partial
from unittest import mock

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app import create_app, db
from app.config import Config
from app.db import make_engine
from app.demo.report_categories import category_rows
from app.reports import telling
from app.reports.models import Report, ReportCategory
from tests.app.meldpunt.report.walk import csrf, post, walk_to_check
from tests.app.races import Track
from tests.factories import make_district, make_staff

UNIQUE_VIOLATION = "23505"


@pytest.fixture
def track(fresh_database, tmp_path) -> Iterator[Track]:
    url = fresh_database("postgresql")
    config = Config.from_env(
        tmp_path, env={"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32)}
    )
    with mock.patch.object(db, "make_engine", partial(make_engine, pool_size=2)):
        app = create_app(config)
    engine = make_engine(url)
    with Session(engine) as session:
        for row in category_rows():
            session.add(ReportCategory(**row))
        officer = make_staff(session)
        make_district(session, officer)
        session.commit()
        yield Track(app, engine, officer.id)
    app.extensions["db_engine"].dispose()
    engine.dispose()


def test_two_sends_of_one_draft_at_once_make_one_report_and_one_confirmation(track):
    first = track.client(0)
    token = csrf(first)
    walk_to_check(first, "illegal_dumping", token)
    second = track.client(0)
    second.set_cookie("session", first.get_cookie("session").value)
    refusals: list[str] = []

    @event.listens_for(track.app.extensions["db_engine"], "handle_error")
    def _refused(context) -> None:
        if getattr(context.original_exception, "sqlstate", None) == UNIQUE_VIOLATION:
            refusals.append(UNIQUE_VIOLATION)

    def slowly(*args, **kwargs) -> None:
        time.sleep(0.5)

    with mock.patch.object(telling, "received", side_effect=slowly):
        answers = track.race(
            [
                partial(post, client, "/melden/illegal_dumping/check", token)
                for client in (first, second)
            ]
        )
    assert [a.status_code for a in answers] == [302, 302]
    assert {a.location for a in answers} == {"/melden/done"}
    assert refusals == [UNIQUE_VIOLATION]  # the race reached the database's key
    with track.session() as session:
        assert session.scalar(select(func.count()).select_from(Report)) == 1
        number = session.scalar(select(Report.number))
    pages = [client.get("/melden/done").get_data(as_text=True) for client in (first, second)]
    assert all(number in page for page in pages)
    links = {page[page.find("/status/") :][:40] for page in pages}
    assert len(links) == 1  # the same status link
