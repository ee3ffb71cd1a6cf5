"""Two bailiff offices racing for the zone's last capacity for assistance, on PostgreSQL.

The capacity rule lets two officers out on assistance at once; four officers are free, so
only the capacity stands between the two offices (each wants two). Exactly one books; the
other hears "taken" naming ``start``, and the quarter hours hold two officers, not four. The
database's CHECK (``used <= capacity``, scheduling/capacity.py) is what must hold when both
got past the search before either committed: each round below is one race, and the rounds
go on until some loser was refused by the CHECK itself, so that path is exercised for sure.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.engine import ExceptionContext

from app.assistance import commands as assistance
from app.assistance.commands import AssistanceRequest, OfficeActor
from scheduling.addresses import Address
from scheduling.enums import BookingStatus, Channel, LocationKind
from scheduling.errors import SlotUnavailable
from scheduling.models import AssistanceCapacity, BailiffAccount, Booking
from tests.api_calls import assistance_body
from tests.app.races import THURSDAY, WEDNESDAY, Track, open_track
from tests.factories import (
    make_assistance_service,
    make_bailiff,
    make_capacity,
    make_execution_kind,
    make_one_off,
    make_staff,
)

pytestmark = pytest.mark.slow
CHECK_VIOLATION = "23514"  # PostgreSQL's SQLSTATE when a CHECK constraint says no
TOKENS = ("office-a-token-0123456789", "office-b-token-0123456789")
ADDRESS = {"postcode": "1547", "street": "Plaats", "number": "1"}
# Two moments a day (09:00 and 11:00 in Brussels, two hours each) on the track's two days.
MOMENTS = [
    datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    for day in (WEDNESDAY, THURSDAY)
    for hour in (8, 10)
]


@pytest.fixture
def track(fresh_database: Callable[[str], str], tmp_path: Path) -> Iterator[Track]:
    """The race track, plus four officers on site on both days, police assistance for two
    officers at once by the capacity rule, and two offices with an API token each."""
    for track in open_track(fresh_database, tmp_path):
        with track.session() as session:
            team = tuple(make_staff(session, name=f"Inspecteur {n}") for n in range(4))
            for person in team:
                for day in (WEDNESDAY, THURSDAY):
                    make_one_off(
                        session,
                        person,
                        on=day,
                        starts=time(9),
                        ends=time(13),
                        location=LocationKind.ON_SITE,
                    )
            make_assistance_service(session, team=team, capacity=None)
            make_capacity(session, officers=2)
            for token in TOKENS:
                make_bailiff(session, token=token, name=f"Kantoor {token[7]}")
            make_execution_kind(session)
            session.commit()
        yield track


def _count_check_violations(engine: Engine, refusals: list[str]) -> None:
    @event.listens_for(engine, "handle_error")
    def _refused(context: ExceptionContext) -> None:
        if getattr(context.original_exception, "sqlstate", None) == CHECK_VIOLATION:
            refusals.append(CHECK_VIOLATION)


def _api(track: Track, n: int, moment: datetime) -> Callable[[], tuple[int, dict]]:
    client = track.client(n)
    body = assistance_body(address=ADDRESS, start=moment.isoformat())
    headers = {"Authorization": f"Bearer {TOKENS[n]}"}

    def final() -> tuple[int, dict]:
        answer = client.post("/api/v1/assistance/bookings", json=body, headers=headers)
        if answer.status_code != 201:
            assert answer.mimetype == "application/problem+json"
        return answer.status_code, answer.get_json()

    return final


def _direct(track: Track, moment: datetime) -> Callable[[], tuple[int, dict]]:
    """Office B through app.assistance.commands itself (as its portal page would), in its own
    transaction: one write path racing another."""
    config = track.app.config["BLAUWLIJN"]

    def final() -> tuple[int, dict]:
        with track.session() as session:
            office = session.scalars(select(BailiffAccount).order_by(BailiffAccount.id)).all()[1]
            request = AssistanceRequest(
                address=Address(**ADDRESS),
                file_reference="DW-B-1",
                execution_kind="eviction",
                officers=2,
                duration_minutes=120,
            )
            try:
                assistance.book(
                    session,
                    request,
                    start=moment,
                    who=OfficeActor(office, Channel.WEB),
                    now=datetime.now(UTC),
                    config=config,
                )
                session.commit()
            except SlotUnavailable as refused:
                session.rollback()
                return 409, {"errors": [{"field": refused.field}]}
            return 201, {}

    return final


def _one_booked(track: Track, moment: datetime, answers: list[tuple[int, dict]]) -> None:
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201, 409], answers
    [(_, lost)] = [a for a in answers if a[0] == 409]
    assert "start" in [e["field"] for e in lost["errors"]]
    with track.session() as session:
        held = session.scalars(
            select(Booking).where(
                Booking.start_at == moment, Booking.status == BookingStatus.CONFIRMED
            )
        ).all()
        assert [b.officers for b in held] == [2]
        used = session.execute(
            select(func.min(AssistanceCapacity.used), func.max(AssistanceCapacity.used)).where(
                AssistanceCapacity.slice_start >= moment,
                AssistanceCapacity.slice_start < moment + timedelta(hours=2),
            )
        ).one()
        assert tuple(used) == (2, 2)


def _race_until_the_check_refuses(
    track: Track, racers: Callable[[datetime], list[Callable[[], tuple[int, dict]]]]
) -> None:
    refusals: list[str] = []
    _count_check_violations(track.app.extensions["db_engine"], refusals)
    _count_check_violations(track.engine, refusals)
    for moment in MOMENTS:
        _one_booked(track, moment, track.race(racers(moment)))
        if refusals:
            break
    assert refusals, "in no round did a loser get as far as the capacity CHECK"
    with track.session() as session:
        assert session.scalar(select(func.max(AssistanceCapacity.used))) == 2


def test_two_offices_through_the_api(track: Track) -> None:
    _race_until_the_check_refuses(track, lambda moment: [_api(track, n, moment) for n in (0, 1)])


def test_the_api_against_the_assistance_command(track: Track) -> None:
    _race_until_the_check_refuses(
        track, lambda moment: [_api(track, 0, moment), _direct(track, moment)]
    )
