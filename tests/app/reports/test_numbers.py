"""Report numbers: per prefix and year, never the same one twice, even at once."""

import threading
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from app.db import make_engine
from app.reports.enums import CategoryKind
from app.reports.numbers import next_number
from tests.app.reports.factories import BXL, NOW

RACERS = 8


def test_numbers_count_per_prefix_and_the_zone_s_year(session):
    assert next_number(session, CategoryKind.REPORT, now=NOW, zone=BXL) == "M-2026-000001"
    assert next_number(session, CategoryKind.FOUND, now=NOW, zone=BXL) == "M-2026-000002"
    assert next_number(session, CategoryKind.QUESTION, now=NOW, zone=BXL) == "V-2026-000001"
    new_year_in_brussels = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert next_number(session, CategoryKind.REPORT, now=new_year_in_brussels, zone=BXL) == (
        "M-2027-000001"
    )


def test_submissions_at_once_get_distinct_numbers_on_postgresql(fresh_database):
    engine = make_engine(fresh_database("postgresql"))
    barrier = threading.Barrier(RACERS)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def racer() -> None:
        try:
            with Session(engine) as session, session.begin():
                session.connection()  # connected before the start
                barrier.wait()
                numbers.append(next_number(session, CategoryKind.REPORT, now=NOW, zone=BXL))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=racer) for _ in range(RACERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        engine.dispose()
    assert errors == []
    assert sorted(numbers) == [f"M-2026-{n:06d}" for n in range(1, RACERS + 1)]
