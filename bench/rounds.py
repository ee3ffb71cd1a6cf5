"""Rounds of home visits against today's fixed travel buffer: a month of home-visit requests
in the demo zone, each citizen taking the first moment offered, measured with one yardstick.

    scripts/with-postgres.sh .venv/bin/python bench/rounds.py    # or: make bench-rounds

Needs TEST_POSTGRES_URL (an account that may CREATE DATABASE). Steps:

1. a database with the demo zone (``app.demo.seed``: its nine wijkagenten, their home-visit
   windows, the address register, the sixteen villages and the drives between them), seeded
   half a year before the month so none of the demo's own appointments falls in it;
2. a stream of requests (fixed random seed): every working day of the month, ``--per-day``
   citizens at random register addresses ask for a home visit one to three weeks ahead,
   at random times of the day, in the order they arrive;
3. the stream is played twice, each on its own copy of that database: (a) **fixed buffer**,
   the zone's travel times deleted (every visit reserves the service's 15 minutes before
   and after, as before issue 17), and (b) **rounds**, the travel times kept. Each citizen
   takes the first moment the real slot finder offers in the channels' order
   (``find_slots`` for their wijkagent and stand-in, then ``round_order``), booked through
   ``app.commands.book``;
4. both are measured with the same yardstick, ``scheduling.rounds.day_round`` with the real
   travel table (a fixed-buffer visit gets the village of its address for it): drive
   minutes per visit (each officer-day from their wijkpost, to every visit in time order,
   and back), visits per officer-day on the road, requests that got a moment, median days
   from request to appointment;
5. prints the section and puts it into bench/RESULTS.md (between ``rounds-bench`` markers).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/rounds.py
    sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert, make_url, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import commands  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.demo.seed import seed_demo  # noqa: E402
from bench.run import create_database, drop_database, log, machine_facts  # noqa: E402
from bench.run import write_section  # noqa: E402
from scheduling import rounds  # noqa: E402
from scheduling.addresses import Address  # noqa: E402
from scheduling.booking import BookingRequest, Citizen  # noqa: E402
from scheduling.calendar import is_public_holiday  # noqa: E402
from scheduling.eligibility import Who, eligible_staff, service_by_code  # noqa: E402
from scheduling.enums import Channel, LocationKind  # noqa: E402
from scheduling.errors import SchedulingError  # noqa: E402
from scheduling.models import Booking, RegisterAddress, Street, VillageTravel  # noqa: E402
from scheduling.slots import find_slots, round_order  # noqa: E402
from scheduling.trail import Actor  # noqa: E402

START, END = "<!-- rounds-bench -->", "<!-- /rounds-bench -->"
TARGET_LESS_TRAVEL = 0.30
SEED = 1717
WEB = Actor.citizen(Channel.WEB)
FIXED, ROUNDS = "fixed buffer", "rounds"


@dataclass(frozen=True)
class Request:
    arrives: datetime  # UTC
    address: Address
    first_day: date
    last_day: date


@dataclass
class Outcome:
    """What one mode made of the stream."""

    mode: str
    booked: int = 0
    no_moment: int = 0
    outside_zone: int = 0
    near_taken: int = 0
    waits: list[int] = field(default_factory=list)  # days from request to appointment
    visits: int = 0
    officer_days: int = 0
    travel_minutes: float = 0.0
    seconds: float = 0.0

    @property
    def per_visit(self) -> float:
        return self.travel_minutes / self.visits if self.visits else 0.0

    @property
    def per_day(self) -> float:
        return self.visits / self.officer_days if self.officer_days else 0.0


def working_days(month: date, zone_days: int) -> list[date]:
    """The month's weekdays that are no public holiday (``zone_days`` days from its 1st)."""
    days = (month + timedelta(days=n) for n in range(zone_days))
    return [
        d for d in days if d.month == month.month and d.weekday() < 5 and not is_public_holiday(d)
    ]


def request_stream(
    session: Session, *, month: date, per_day: int, seed: int, config: Config
) -> list[Request]:
    """Every working day of the month, ``per_day`` requests at random register addresses,
    arriving between 08:00 and 20:00, for a visit 7 to 21 days later; in arrival order."""
    rows = session.execute(
        select(RegisterAddress.postcode, Street.name_nl, RegisterAddress.house_number)
        .join(Street, RegisterAddress.street_id == Street.id)
        .order_by(RegisterAddress.id)
    ).all()
    rng = random.Random(seed)
    stream = []
    for day in working_days(month, 31):
        for _ in range(per_day):
            postcode, street, number = rng.choice(rows)
            local = datetime.combine(day, clock_time(8), tzinfo=config.zone) + timedelta(
                minutes=rng.randrange(12 * 60)
            )
            stream.append(
                Request(
                    local.astimezone(UTC),
                    Address(postcode, street, number),
                    day + timedelta(days=7),
                    day + timedelta(days=21),
                )
            )
    return sorted(stream, key=lambda r: r.arrives)


def copy_database(admin_url: str, template: str, name: str) -> str:
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def play(url: str, stream: list[Request], config: Config, outcome: Outcome) -> None:
    """Each citizen in turn takes the first moment offered (the channels' order)."""
    engine = make_engine(url)
    started = time.perf_counter()
    for n, request in enumerate(stream):
        with Session(engine) as session:
            service = service_by_code(session, "wijkagent")
            try:
                staffing = eligible_staff(
                    session, service, Who(address=request.address), request.arrives
                )
            except SchedulingError:
                outcome.outside_zone += 1
                continue
            slots = round_order(
                find_slots(
                    session,
                    service=service,
                    staff_ids=staffing,
                    first_day=request.first_day,
                    last_day=request.last_day,
                    now=request.arrives,
                    zone=config.zone,
                    location=LocationKind.HOME,
                    covers=staffing.covers,
                    place=staffing.place,
                )
            )
            if not slots:
                outcome.no_moment += 1
                continue
            first = slots[0]
            booked = commands.book(
                session,
                BookingRequest(
                    service_code="wijkagent",
                    start=first.start,
                    staff_id=first.staff_ids[0],
                    location=LocationKind.HOME,
                    citizen=Citizen(f"Burger {n}", "+32470000000"),
                    address=request.address,
                ),
                actor=WEB,
                now=request.arrives,
                config=config,
            )
            session.commit()
            outcome.booked += 1
            outcome.near_taken += first.near
            local_day = booked.booking.start_at.astimezone(config.zone).date()
            outcome.waits.append((local_day - request.arrives.astimezone(config.zone).date()).days)
    outcome.seconds = time.perf_counter() - started
    engine.dispose()


def measure(url: str, config: Config, travel: list[dict[str, int]], outcome: Outcome) -> None:
    """The same yardstick for both: the real travel table, every visit in its village, each
    officer-day as ``rounds.day_round`` lays it out."""
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        if session.scalar(select(VillageTravel.minutes).limit(1)) is None:
            session.execute(insert(VillageTravel), travel)
        for booking in session.scalars(select(Booking).where(Booking.village_id.is_(None))):
            address = Address(
                booking.address_postcode or "",
                booking.address_street or "",
                booking.address_number or "",
            )
            booking.village_id = rounds.village_of(session, address)
        session.flush()
        days = {
            (b.staff_id, b.start_at.astimezone(config.zone).date())
            for b in session.scalars(select(Booking))
        }
        for staff_id, day in sorted(days):
            round_ = rounds.day_round(session, staff_id=staff_id, day=day, zone=config.zone)
            outcome.visits += len(round_.stops)
            outcome.travel_minutes += round_.travel.total_seconds() / 60
        outcome.officer_days = len(days)
        session.rollback()  # measured, not kept
    engine.dispose()


def seed_zone(url: str, *, now: datetime, config: Config) -> None:
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        seed_demo(session, now=now, zone=config.zone)
    engine.dispose()


def render(
    facts: dict[str, str], args: argparse.Namespace, requests: int, results: list[Outcome]
) -> str:
    fixed, new = results
    less = 1 - new.per_visit / fixed.per_visit if fixed.per_visit else 0.0
    ok = less >= TARGET_LESS_TRAVEL and new.booked >= fixed.booked
    rows = [
        (
            "drive minutes per visit",
            f"{fixed.per_visit:.1f}",
            f"{new.per_visit:.1f}",
            f"{-less:+.0%}",
        ),
        (
            "visits per officer-day on the road",
            f"{fixed.per_day:.2f}",
            f"{new.per_day:.2f}",
            f"{new.per_day / fixed.per_day - 1:+.0%}" if fixed.per_day else "",
        ),
        (
            "requests that got a moment",
            f"{fixed.booked} of {requests}",
            f"{new.booked} of {requests}",
            f"{new.booked - fixed.booked:+d}",
        ),
        (
            "median days from request to appointment",
            f"{statistics.median(fixed.waits):.0f}" if fixed.waits else "—",
            f"{statistics.median(new.waits):.0f}" if new.waits else "—",
            "",
        ),
        ("officer-days on the road", f"{fixed.officer_days}", f"{new.officer_days}", ""),
        ("drive minutes in all", f"{fixed.travel_minutes:.0f}", f"{new.travel_minutes:.0f}", ""),
        ("first moment offered was on a round", "—", f"{new.near_taken}", ""),
        ("seconds to play the month", f"{fixed.seconds:.0f}", f"{new.seconds:.0f}", ""),
    ]
    lines = [
        START,
        "## Rounds of home visits against the fixed travel buffer (`make bench-rounds`)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on:",
        "",
        "| machine | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in facts.items() if k != "wrk"],
        "",
        f"Data: the demo zone; {requests} home-visit requests ({args.per_day} each working day "
        f"of {args.month}, random register addresses, seed {args.seed}), each for a visit 7 to "
        "21 days later, played in arrival order; every citizen takes the first moment "
        "offered (`find_slots` then `round_order`), booked through `app.commands.book`. "
        "The same stream twice: without the travel table (15 minutes reserved before and "
        "after every visit) and with it. One yardstick: `rounds.day_round` with the demo's "
        "drives, from the wijkpost to each visit in time order and back.",
        "",
        "| target | wanted | measured | |",
        "| --- | --- | --- | --- |",
        f"| less driving per visit, no fewer visits offered | ≥ {TARGET_LESS_TRAVEL:.0%} less, "
        f"≥ {fixed.booked} visits | {less:.0%} less ({fixed.per_visit:.1f} → "
        f"{new.per_visit:.1f} min), {new.booked} visits | {'met' if ok else 'NOT met'} |",
        "",
        f"| | {FIXED} | {ROUNDS} | change |",
        "| --- | --- | --- | --- |",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        f"Requests outside the zone's districts: {fixed.outside_zone}; without any moment in "
        f"their three weeks: {fixed.no_moment} (fixed), {new.no_moment} (rounds).",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--month", default="2027-03", help="YYYY-MM: the month requests arrive")
    parser.add_argument("--per-day", type=int, default=14, help="requests per working day")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = parser.parse_args(argv)
    month = date.fromisoformat(args.month + "-01")
    admin_url = os.environ["TEST_POSTGRES_URL"]
    base = f"bench_rounds_{os.getpid()}"
    names = [base, f"{base}_fixed", f"{base}_rounds"]
    try:
        with tempfile.TemporaryDirectory(prefix="bench-rounds-") as instance:
            url = create_database(admin_url, base)
            config = Config.from_env(
                Path(instance), env={"DATABASE_URL": url, "SECRET_KEY": os.urandom(32).hex()}
            )
            log("demo zone...")
            seeded_at = datetime.combine(month, clock_time(12), tzinfo=UTC) - timedelta(days=183)
            seed_zone(url, now=seeded_at, config=config)
            engine = make_engine(url)
            with Session(engine) as session:
                stream = request_stream(
                    session, month=month, per_day=args.per_day, seed=args.seed, config=config
                )
                travel = [
                    {"from_village_id": a, "to_village_id": b, "minutes": m}
                    for a, b, m in session.execute(
                        select(
                            VillageTravel.from_village_id,
                            VillageTravel.to_village_id,
                            VillageTravel.minutes,
                        )
                    ).tuples()
                ]
            engine.dispose()
            results = []
            for mode, name in ((FIXED, names[1]), (ROUNDS, names[2])):
                copy = copy_database(admin_url, base, name)
                if mode == FIXED:
                    engine = make_engine(copy)
                    with engine.begin() as conn:
                        conn.execute(delete(VillageTravel))
                    engine.dispose()
                outcome = Outcome(mode)
                log(f"{mode}: {len(stream)} requests...")
                play(copy, stream, config, outcome)
                measure(copy, config, travel, outcome)
                log(
                    f"  {outcome.booked} booked, {outcome.per_visit:.1f} drive min/visit, "
                    f"{outcome.per_day:.2f} visits/officer-day, {outcome.seconds:.0f} s"
                )
                results.append(outcome)
        admin = make_engine(admin_url)
        facts = machine_facts(admin)
        admin.dispose()
    finally:
        for name in reversed(names):
            drop_database(admin_url, name)
    section = render(facts, args, len(stream), results)
    print(section)
    if not args.no_write:
        write_section(section, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
