"""Two citizens book two different home visits with the same wijkagent at once, on a real
PostgreSQL: each visit alone fits, both do not (the drive between them is longer than the
gap), and no reservation overlaps another, so the database's exclusion constraint cannot
tell. The staff row locked in the booking command (``scheduling.booking._lock_round``) makes
the second booking's neighbour check see the first: one is booked, the other is refused
naming ``start``.

The racers' checks are held at a barrier after the free-moment check: when the engine lets
both check before either commits (no lock), both arrive and both would book; with the lock
the second never gets past its check before the first commits, and the barrier gives up
after a moment.
"""

import secrets
import threading
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import commands
from app.config import Config
from app.db import make_engine
from scheduling import booking as engine_module
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.errors import SlotUnavailable
from scheduling.models import Booking, Village, VillageTravel
from scheduling.trail import Actor
from tests.factories import make_district, make_one_off, make_service, make_staff

pytestmark = pytest.mark.slow
DAY = date(2027, 6, 15)  # a Tuesday, two weeks after NOW
NOW = datetime(2027, 6, 1, 8, tzinfo=UTC)
DRIVE = 40  # minutes between the two villages: longer than the 30 minutes between the visits
BEVER, GALMAARDEN = Address("1547", "Plaats", "1"), Address("1570", "Marktplein", "2")
WAIT = 3.0  # seconds a racer waits for the other's check
POLL = 0.01


def _utc(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=UTC)


def _zone(url: str) -> int:
    """A wijkagent for two villages, 40 minutes apart, a home-visit window 09–13 (UTC+2:
    07–11 UTC) on DAY; the officer's id."""
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        bever = Village(name="Bever", postcode="1547", lat=50.717, lon=3.945)
        galmaarden = Village(name="Galmaarden", postcode="1570", lat=50.744, lon=3.967)
        session.add_all([bever, galmaarden])
        session.flush()
        session.add_all(
            VillageTravel(from_village_id=a.id, to_village_id=b.id, minutes=m)
            for a, b, m in (
                (bever, bever, 4),
                (galmaarden, galmaarden, 4),
                (bever, galmaarden, DRIVE),
                (galmaarden, bever, DRIVE),
            )
        )
        officer = make_staff(session, name="Geert Demol")
        make_district(session, officer, streets=(("1547", "Plaats"), ("1570", "Marktplein")))
        make_service(session, code="wijkagent")
        make_one_off(
            session,
            officer,
            on=DAY,
            starts=time(9),
            ends=time(13),
            location=LocationKind.HOME,
        )
        officer_id = officer.id
    engine.dispose()
    return officer_id


def _request(officer_id: int, start: datetime, address: Address) -> BookingRequest:
    return BookingRequest(
        service_code="wijkagent",
        start=start,
        staff_id=officer_id,
        location=LocationKind.HOME,
        citizen=Citizen("Burger", "+32470000001"),
        address=address,
    )


def _race(
    url: str, config: Config, requests: list[BookingRequest], monkeypatch: pytest.MonkeyPatch
) -> tuple[list[object], int]:
    """Both bookings in their own thread and session, released together; what each got
    (its booking id or the exception) and how many racers met at the barrier."""
    engine = make_engine(url)
    start = threading.Barrier(len(requests))
    arrived: list[int] = []
    check = engine_module.free_slot_at

    def held_check(*args: object, **kwargs: object) -> object:
        slot = check(*args, **kwargs)  # type: ignore[arg-type]
        arrived.append(1)
        # Wait for the other racer's check; given up after WAIT: it waits for our lock. By
        # counted sleeps, not a timed wait (libfaketime, for the day-independence run, skews
        # the deadline of a timed wait by its offset).
        for _ in range(int(WAIT / POLL)):
            if len(arrived) == len(requests):
                break
            clock.sleep(POLL)
        return slot

    monkeypatch.setattr(engine_module, "free_slot_at", held_check)
    results: list[object] = [None] * len(requests)

    def racer(n: int) -> None:
        with Session(engine) as session:
            start.wait()
            try:
                booked = commands.book(
                    session,
                    requests[n],
                    actor=Actor.citizen(Channel.WEB),
                    now=NOW,
                    config=config,
                )
                session.commit()
                results[n] = booked.booking.id
            except Exception as exc:
                session.rollback()
                results[n] = exc

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    return results, len(arrived) if len(arrived) == len(requests) else 0


def test_two_visits_whose_drives_overlap_book_once(
    fresh_database: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fresh_database("postgresql")
    officer_id = _zone(url)
    config = Config.from_env(
        tmp_path, env={"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32)}
    )
    # 09:00-09:30 in Bever and 10:00-10:30 in Galmaarden (local time): 30 minutes between,
    # a 40-minute drive. Each alone is free.
    in_bever, in_galmaarden = _utc(7), _utc(8)
    requests = [
        _request(officer_id, in_bever, BEVER),
        _request(officer_id, in_galmaarden, GALMAARDEN),
    ]

    results, met = _race(url, config, requests, monkeypatch)

    booked = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(booked) == 1, f"both booked, checks met at the barrier: {met}"
    assert len(refused) == 1
    assert isinstance(refused[0], SlotUnavailable)
    assert refused[0].field == "start"
    assert met == 0  # the second check never ran before the first booking was committed
    engine = make_engine(url)
    with Session(engine) as session:
        live = session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(Booking.status == BookingStatus.CONFIRMED)
        )
        assert live == 1
        kept = session.get_one(Booking, booked[0])
        # The one who lost hears the moment is gone and can book the next that fits.
        assert kept.start_at in (in_bever, in_galmaarden)
    engine.dispose()


def test_each_visit_alone_is_free(fresh_database: Callable[[str], str], tmp_path: Path) -> None:
    """The race's two moments each fit on their own, one after the other they do not: what
    makes the race above a race about the drive, not about an overlap."""
    url = fresh_database("postgresql")
    officer_id = _zone(url)
    config = Config.from_env(
        tmp_path, env={"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32)}
    )
    engine = make_engine(url)
    web = Actor.citizen(Channel.WEB)
    for first in (_request(officer_id, _utc(7), BEVER), _request(officer_id, _utc(8), GALMAARDEN)):
        with Session(engine) as session:
            commands.book(session, first, actor=web, now=NOW, config=config)
            session.rollback()  # alone it is booked; undone for the next
    with Session(engine) as session:
        commands.book(
            session, _request(officer_id, _utc(7), BEVER), actor=web, now=NOW, config=config
        )
        with pytest.raises(SlotUnavailable):
            commands.book(
                session,
                _request(officer_id, _utc(8), GALMAARDEN),
                actor=web,
                now=NOW,
                config=config,
            )
        later = _utc(8) + timedelta(minutes=15)  # 10:15: 45 minutes after, the drive fits
        commands.book(
            session, _request(officer_id, later, GALMAARDEN), actor=web, now=NOW, config=config
        )
        session.rollback()
    engine.dispose()
