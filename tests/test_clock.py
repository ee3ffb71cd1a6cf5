"""The suite runs ahead of the machine's date, so no test can lean on the day it runs.

`make test` starts pytest under libfaketime (`TEST_DAYS_AHEAD`, 400 days by default): every
process of the suite — pytest, the gunicorn and worker processes it starts, Chromium, Prism
— sees a date a year and a month ahead, while PostgreSQL (started before, outside it) keeps
the machine's. A test that books a fixed date on the real clock, or builds its data from
`now` in a fixture while the test itself is frozen, so breaks the day it is written instead
of the day that date goes by. This test keeps the guard in place: it fails when the suite
runs on the machine's own date.
"""

import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from app.db import make_engine

AHEAD = timedelta(days=365)


def test_the_suite_runs_at_least_a_year_ahead_of_the_machine():
    url = os.environ.get("TEST_POSTGRES_URL")
    assert url, "run the suite with `make test` (PostgreSQL and the moved clock)"
    engine = make_engine(url)
    with engine.connect() as conn:
        machine = conn.execute(text("select now()")).scalar_one()
    engine.dispose()
    assert datetime.now(UTC) - machine >= AHEAD, (
        "the suite runs on the machine's date: run it with `make test`, which moves the clock "
        "(TEST_DAYS_AHEAD)"
    )
