"""Racing one moment through a channel: one Flask app on a fresh PostgreSQL database whose
commits are real, and one test client per racer, released together by a barrier.

    def ready(n):                        # racer n walks up to the last step, on its own
        client = track.client(n)         # its own cookies and address
        ...                              # pages, call, sign-in: before the race
        return lambda: client.post(...)  # the one request that races
    answers = track.race([ready(n) for n in range(RACERS)])  # in racer order
    winner = track.one_holds(MOMENT)     # asserts no confirmed booking lacks its reservation

The racers get ready one after another in the test's thread, so nothing but their last
requests overlap (and a walk-up that fails, fails plainly); only those run in threads. The
clock stands at NOW, ticking (threads see it move), from the data on; MOMENT is the first
free moment the officer has, on every channel.
"""

import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from unittest import mock

from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import Engine, event, exists, func, select
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session

from app import create_app, db
from app.config import Config
from app.db import make_engine
from scheduling.enums import BookingStatus
from scheduling.models import Booking, Reservation
from tests.factories import make_district, make_one_off, make_service, make_site, make_staff

RACERS = 8
NOW = "2026-12-01T09:00:00Z"  # Tuesday 1 December 2026, 10:00 in Brussels: call-taker hours
WEDNESDAY, THURSDAY = date(2026, 12, 2), date(2026, 12, 3)
MOMENT = datetime(2026, 12, 2, 8, tzinfo=UTC)  # Wednesday 09:00 in Brussels: the first free one
TWILIO_TOKEN = "race-token"
PUBLIC_BASE_URL = "https://blauwlijn.example"
EXCLUSION_VIOLATION = "23P01"  # PostgreSQL's SQLSTATE when Reservation's constraint says no
T = TypeVar("T")


@dataclass
class Track:
    """The app the racers share, its database, and the officer whose moment they want."""

    app: Flask
    engine: Engine  # the test's own reads and writes, outside any request
    officer_id: int
    # How often the database itself refused a reservation (the check before it had let the
    # racer through): proof that the race reached the constraint, not only the check.
    refusals: list[str] = field(default_factory=list)

    def client(self, n: int) -> FlaskClient:
        """Racer ``n``'s client: its own cookies, its own address (the booking limits count
        per address) and English pages."""
        client = self.app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def race(self, finals: Sequence[Callable[[], T]]) -> list[T]:
        """Each racer's final step in its own thread, all released at once by a barrier;
        their answers in racer order. A racer's exception fails the race.

        Each racer first gets an open connection waiting in the app's pool, as on a server
        that has been up a while: a racer that has to open one (a new database process) would
        start only once the race is over, and prove nothing."""
        pool = self.app.extensions["db_engine"].pool
        assert pool.size() >= len(finals), "open_track sizes the pool for RACERS"
        opened = [self.app.extensions["db_engine"].connect() for _ in finals]
        for connection in opened:
            connection.close()  # back to the pool, still open
        return _race(finals)

    def one_holds(self, moment: datetime) -> Booking:
        """The one confirmed booking at ``moment``; asserts no confirmed booking anywhere
        lacks its reservation (what a half-done booking or move would leave)."""
        with self.session() as session:
            bare = session.scalars(
                select(Booking.id).where(
                    Booking.status == BookingStatus.CONFIRMED,
                    ~exists().where(Reservation.booking_id == Booking.id),
                )
            ).all()
            assert bare == [], f"confirmed without a reservation: bookings {bare}"
            [holder] = session.scalars(
                select(Booking).where(
                    Booking.start_at == moment, Booking.status == BookingStatus.CONFIRMED
                )
            ).all()
            held = session.scalar(
                select(func.count()).where(
                    Reservation.booking_id == holder.id,
                    Reservation.blocked_from <= moment,
                    Reservation.blocked_until > moment,
                )
            )
            assert held, "the winner does not hold its moment"
            return holder


def _count_refusals(engine: Engine, refusals: list[str]) -> None:
    @event.listens_for(engine, "handle_error")
    def _refused(context: ExceptionContext) -> None:
        if getattr(context.original_exception, "sqlstate", None) == EXCLUSION_VIOLATION:
            refusals.append(EXCLUSION_VIOLATION)  # list.append is atomic across threads


def open_track(fresh_database: Callable[[str], str], instance: Path) -> Iterator[Track]:
    """A fresh PostgreSQL zone under a ticking clock at NOW: one wijkagent of Plaats, Bever,
    at the office on Wednesday and Thursday from 09:00 to 13:00, and the app on it."""
    # Database and app first: what they import (psycopg's C types, pydantic's schemas) must
    # see the real date class, not freezegun's.
    url = fresh_database("postgresql")
    config = Config.from_env(
        instance,
        env={
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        },
    )
    with mock.patch.object(db, "make_engine", partial(make_engine, pool_size=RACERS)):
        app = create_app(config)  # a pooled connection for every racer (see Track.race)
    engine = make_engine(url)
    try:
        with freeze_time(NOW, tick=True):
            with Session(engine) as session:
                officer = make_staff(session, name="Inspecteur Race", phone="+32470999999")
                site = make_site(session, name="Wijkpost Bever")
                make_district(session, officer, streets=(("1547", "Plaats"),))
                make_service(session, code="wijkagent", locations=["office"])
                for day in (WEDNESDAY, THURSDAY):
                    window = make_one_off(session, officer, on=day, starts=time(9), ends=time(13))
                    window.site_id = site.id
                session.commit()
                track = Track(app, engine, officer.id)
            _count_refusals(app.extensions["db_engine"], track.refusals)
            yield track
    finally:
        app.extensions["db_engine"].dispose()
        engine.dispose()


def _race(finals: Sequence[Callable[[], T]]) -> list[T]:
    barrier = threading.Barrier(len(finals), timeout=60)
    answers: list[Any] = [None] * len(finals)
    errors: list[BaseException] = []

    def run(n: int, final: Callable[[], T]) -> None:
        try:
            barrier.wait()
            answers[n] = final()
        except BaseException as error:  # handed to the test below
            errors.append(error)
            barrier.abort()  # the others are let go

    threads = [threading.Thread(target=run, args=(n, f)) for n, f in enumerate(finals)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    assert not any(t.is_alive() for t in threads), "a racer never finished"
    return answers
