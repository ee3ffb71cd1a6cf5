"""Many citizens, one moment: under real concurrency against a 4-worker gunicorn, one wins.

The server runs on a fresh database of each kind (SQLite and PostgreSQL); requests are
fired from threads released together by a barrier.
"""

import itertools
import os
import socket
import subprocess
import sys
import threading
import time as clock
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import make_engine
from scheduling.calendar import is_public_holiday
from scheduling.enums import LocationKind
from scheduling.models import Booking, Reservation
from tests.factories import TEST_SECRET_KEY, make_district, make_one_off, make_service, make_staff

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BXL = ZoneInfo("Europe/Brussels")
RACERS = 16


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _next_working_day() -> date:
    day = datetime.now(BXL).date() + timedelta(days=3)
    while day.weekday() >= 5 or is_public_holiday(day):
        day += timedelta(days=1)
    return day


@pytest.fixture(params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, fresh_database: Callable[[str], str], tmp_path: Path
) -> Iterator[tuple[str, str, dict[str, int]]]:
    url = fresh_database(request.param)
    engine = make_engine(url)
    with Session(engine) as session:
        officer = make_staff(session, name="Inspecteur Race")
        make_district(session, officer, streets=(("1547", "Plaats"),))
        make_service(session, code="wijkagent")
        make_one_off(session, officer, on=_next_working_day(), starts=time(9), ends=time(17))
        make_one_off(
            session,
            officer,
            on=_next_working_day(),
            starts=time(9),
            ends=time(17),
            location=LocationKind.HOME,
        )
        ids = {"officer": officer.id}
        session.commit()
    engine.dispose()

    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY}
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                "4",
                # No worker timeout: under libfaketime (tests/test_clock.py) the arbiter's
                # monotonic clock is moved and a new worker's heartbeat file is stamped by
                # the kernel on the real one, so a worker slow to boot looks 400 days silent
                # and is killed before it first reports.
                "--timeout",
                "0",
                "-b",
                f"127.0.0.1:{port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(base, proc, log_path)
            yield base, url, ids
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def _wait_until_serving(base: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = clock.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/api/v1/services", timeout=5)
            return
        except requests.RequestException:
            if clock.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("gunicorn did not start: " + log_path.read_text())
            clock.sleep(0.2)


def _race(base: str, bodies: list[dict]) -> Counter[int]:
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = []
    lock = threading.Lock()

    def one(body: dict) -> None:
        with requests.Session() as http:
            barrier.wait()
            status = http.post(f"{base}/api/v1/bookings", json=body, timeout=30).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=one, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Counter(statuses)


def _body(officer_id: int, start: datetime, n: int, location: str = "office") -> dict:
    return {
        "service": "wijkagent",
        "start": start.isoformat(),
        "staff_id": officer_id,
        "location": location,
        "citizen": {"name": f"Burger {n}", "phone": f"+3247012{n:04d}"},
        "address": {"postcode": "1547", "street": "Plaats", "number": str(n + 1)},
    }


def test_one_booking_wins_each_contested_moment(server):
    base, url, ids = server
    day = _next_working_day()
    for hour in (9, 10, 11):
        start = datetime.combine(day, time(hour), tzinfo=BXL)
        result = _race(base, [_body(ids["officer"], start, n) for n in range(RACERS)])
        assert result == Counter({201: 1, 409: RACERS - 1}), result

    # Different moments that collide: a home visit at 14:00 (travel 13:45–14:45) against
    # an office appointment at 14:30.
    home = datetime.combine(day, time(14), tzinfo=BXL)
    office = datetime.combine(day, time(14, 30), tzinfo=BXL)
    bodies = [
        _body(ids["officer"], home, n, "home") if n % 2 else _body(ids["officer"], office, n)
        for n in range(RACERS)
    ]
    result = _race(base, bodies)
    assert result == Counter({201: 1, 409: RACERS - 1}), result

    engine = make_engine(url)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 4
        periods = sorted(
            session.execute(select(Reservation.blocked_from, Reservation.blocked_until))
        )
    engine.dispose()
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(periods))
    assert all(p[0].tzinfo is UTC or p[0].utcoffset() == timedelta(0) for p in periods)
