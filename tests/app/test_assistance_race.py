"""Two bailiff offices race for the zone's last assistance capacity, on PostgreSQL with real
commits: exactly one gets it, and the database is what refuses the other.

The two offices want DIFFERENT officers (two assistance services with their own teams, one
capacity rule for the zone), so the officers' own exclusion constraint cannot be what stops
the second: only the capacity rule can. Both racers pass the engine's search before either
writes (a barrier at ``capacity.claim``), so the refusal comes from the database's lock and
CHECK, not from the search having seen the first booking.
"""

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import make_engine
from scheduling import capacity
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import ActorKind, BookingStatus, Channel, LocationKind
from scheduling.errors import SlotUnavailable
from scheduling.models import AssistanceCapacity, Booking
from scheduling.trail import Actor
from tests.factories import (
    ZONE,
    make_assistance_service,
    make_bailiff,
    make_capacity,
    make_district,
    make_staff,
    make_weekly,
)

pytestmark = pytest.mark.slow
NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
MONDAY = date(2026, 12, 7)
MOMENT = datetime(2026, 12, 7, 7, tzinfo=UTC)  # Monday 08:00 in Brussels
WHERE = Address("1547", "Kerkstraat", "1")


@pytest.fixture
def zone(fresh_database: Callable[[str], str]):
    """Two assistance services, two officers each, on Mondays 08–12; the rule gives two."""
    url = fresh_database("postgresql")
    engine = make_engine(url, pool_size=4)
    with Session(engine) as session:
        teams = []
        for name in ("a", "b"):
            members = tuple(make_staff(session, name=f"Agent {name}{n}") for n in range(2))
            for member in members:
                make_weekly(
                    session,
                    member,
                    weekday=0,
                    starts=time(8),
                    ends=time(12),
                    location=LocationKind.ON_SITE,
                )
            make_assistance_service(
                session, team=members, capacity=None, code=f"bijstand-{name}", min_notice_minutes=60
            )
            teams.append(members[0].id)
        make_district(session, make_staff(session), streets=(("1547", "Kerkstraat"),))
        make_capacity(session, officers=2, weekdays=(0,), starts=time(7), ends=time(13))
        offices = [make_bailiff(session, token=f"token-{n}").id for n in range(2)]
        session.commit()
    yield engine, list(zip(("bijstand-a", "bijstand-b"), teams, offices, strict=True))
    engine.dispose()


def _racer(engine, service_code, officer_id, office_id, barrier, answers, n):
    def run() -> None:
        with Session(engine) as session:
            request = BookingRequest(
                service_code,
                MOMENT,
                officer_id,
                LocationKind.ON_SITE,
                Citizen(f"Kantoor {n}", "+3225550000"),
                address=WHERE,
            )
            try:
                book(
                    session,
                    request=request,
                    actor=Actor(ActorKind.BAILIFF, Channel.API, office_id),
                    now=NOW,
                    zone=ZONE,
                    bailiff_account_id=office_id,
                )
                session.commit()
                answers[n] = "booked"
            except SlotUnavailable as refused:
                session.rollback()
                answers[n] = f"refused: {refused.field}"

    return run


def test_two_offices_racing_for_the_last_capacity_one_wins_and_the_database_refuses_the_other(
    zone, monkeypatch
):
    engine, racers = zone
    barrier = threading.Barrier(len(racers))
    real_claim = capacity.claim
    reached: list[int] = []

    def claim_together(session, start, end, officers):
        reached.append(officers)
        barrier.wait(timeout=20)  # both have passed the search: neither has written yet
        real_claim(session, start, end, officers)

    monkeypatch.setattr(capacity, "claim", claim_together)
    answers: dict[int, str] = {}
    threads = [
        threading.Thread(target=_racer(engine, code, officer, office, barrier, answers, n))
        for n, (code, officer, office) in enumerate(racers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert reached == [2, 2], "both racers must have passed the search"
    assert sorted(answers.values()) == ["booked", "refused: start"]
    with Session(engine) as session:
        live = session.scalar(
            select(func.count()).where(
                Booking.start_at == MOMENT, Booking.status == BookingStatus.CONFIRMED
            )
        )
        used = set(
            session.scalars(
                select(AssistanceCapacity.used).where(
                    AssistanceCapacity.slice_start >= MOMENT,
                    AssistanceCapacity.slice_start < datetime(2026, 12, 7, 9, tzinfo=UTC),
                )
            )
        )
    assert live == 1
    assert used == {2}  # the winner's two officers, never four


def test_without_the_barrier_many_offices_still_get_one_booking(zone):
    """The ordinary path (search, then write, each at its own pace): one booking again."""
    engine, racers = zone
    answers: dict[int, str] = {}
    threads = [
        threading.Thread(target=_racer(engine, code, officer, office, None, answers, n))
        for n, (code, officer, office) in enumerate(racers * 3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers.values()).count("booked") == 1
    assert len(answers) == 6
