"""Bailiff assistance at scale: the team search for 3 officers over 30 days, in-process, in a
zone ten times the demo.

    scripts/with-postgres.sh .venv/bin/python bench/assistance.py    # or: make bench-assistance

Needs TEST_POSTGRES_URL (an account that may CREATE DATABASE). Steps:

1. a fresh database with ``bench.seed_large``'s zone (150 wijkagenten and their windows,
   absences and appointments for the coming 92 days, bulk-inserted);
2. police assistance as the demo has it, ten times over: a team of 40 of those wijkagenten
   on site on Monday, Wednesday and Friday 08–13 (besides their own hours, whose
   appointments already block them), 120 minutes with 15 minutes' travel, 2 officers by
   default and up to 4; the capacity rule on weekdays 07–17 at 20 officers, counted out to
   the horizon; ten offices then book 300 assistance moments through
   ``app.assistance.commands.book`` (the real command: capacity claimed, officers reserved);
3. p50/p95 of ``app.assistance.commands.first_moments`` for 3 officers over a 30-day window
   (its own session per call, as a request has), windows starting on successive days at the
   zone's addresses in turn, after a warm-up; the same for 2 officers beside it;
4. prints the section and puts it into bench/RESULTS.md (between ``assistance-bench``
   markers).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/assistance.py
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.assistance import commands  # noqa: E402
from app.assistance.commands import AssistanceRequest, OfficeActor  # noqa: E402
from app.assistance.models import ExecutionKind  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import make_engine  # noqa: E402
from bench.run import (  # noqa: E402
    create_database,
    drop_database,
    log,
    machine_facts,
    pct,
    write_section,
)
from bench.seed_large import BXL, seed  # noqa: E402
from scheduling.addresses import Address  # noqa: E402
from scheduling.enums import Audience, Channel, LocationKind, ServedBy  # noqa: E402
from scheduling.errors import SchedulingError  # noqa: E402
from scheduling.models import (  # noqa: E402
    AssistanceCapacityRule,
    Availability,
    BailiffAccount,
    Booking,
    Service,
    ServiceTeam,
)

START, END = "<!-- assistance-bench -->", "<!-- /assistance-bench -->"
TEAM = 40  # the demo's four, ten times
CAPACITY = 20  # the demo's two, ten times
OFFICES = 10
TARGET_P95_MS = 50.0
WINDOW_DAYS = 30
MON, WED, FRI = 0, 2, 4


def add_assistance(url: str, officer_ids: list[int]) -> None:
    """The service, its team's on-site hours, a kind of execution, offices and the rule."""
    engine = make_engine(url)
    team = officer_ids[:: max(1, len(officer_ids) // TEAM)][:TEAM]
    with Session(engine) as session, session.begin():
        service = Service(
            code="deurwaarder",
            name_nl="Politiebijstand voor gerechtsdeurwaarders",
            name_fr="Assistance policière aux huissiers",
            name_en="Police assistance for bailiffs",
            duration_minutes=120,
            duration_max_minutes=480,
            locations=[LocationKind.ON_SITE.value],
            audience=Audience.BAILIFF,
            served_by=ServedBy.TEAM,
            staff_required=2,
            staff_max=4,
            min_notice_minutes=2 * 24 * 60,
            horizon_days=90,
            travel_minutes=15,
            cancel_cutoff_minutes=24 * 60,
        )
        session.add(service)
        session.flush()
        session.execute(
            insert(ServiceTeam), [{"service_id": service.id, "staff_id": s} for s in team]
        )
        session.execute(
            insert(Availability),
            [
                {
                    "staff_id": s,
                    "location": LocationKind.ON_SITE,
                    "weekday": day,
                    "starts": clock_time(8),
                    "ends": clock_time(13),
                }
                for s in team
                for day in (MON, WED, FRI)
            ],
        )
        session.execute(
            insert(AssistanceCapacityRule),
            [
                {
                    "weekday": day,
                    "starts": clock_time(7),
                    "ends": clock_time(17),
                    "officers": CAPACITY,
                }
                for day in range(5)
            ],
        )
        session.add(ExecutionKind(code="seizure", name_nl="Beslag", name_fr="Saisie", name_en="S"))
        session.add_all(
            BailiffAccount(name=f"Kantoor {n}", phone="+3225550000", email=f"k{n}@example.be")
            for n in range(OFFICES)
        )
    engine.dispose()


def book_load(url: str, config: Config, addresses: list[Address], bookings: int) -> int:
    """Offices book assistance moments through the command, spread over the horizon."""
    engine = make_engine(url)
    rng = random.Random(5405)
    now = datetime.now(UTC)
    today = now.astimezone(BXL).date()
    made = 0
    with Session(engine) as session:
        commands.capacity_counted(session, now=now, config=config)
        session.commit()
        offices = session.scalars(select(BailiffAccount)).all()
        for _ in range(bookings * 3):
            if made >= bookings:
                break
            first = today + timedelta(days=rng.randrange(2, 88))
            request = _request(rng.choice(addresses), officers=rng.choice((2, 2, 3, 4)))
            moments = commands.first_moments(
                session, request, first_day=first, last_day=first, now=now, config=config
            )
            if not moments:
                continue
            who = OfficeActor(rng.choice(offices), Channel.API)
            try:
                commands.book(
                    session,
                    request,
                    start=rng.choice(moments).start,
                    who=who,
                    now=now,
                    config=config,
                )
                session.commit()
                made += 1
            except SchedulingError:
                session.rollback()
    engine.dispose()
    return made


def _request(address: Address, *, officers: int) -> AssistanceRequest:
    return AssistanceRequest(
        address=address,
        file_reference="BENCH/1",
        execution_kind="seizure",
        officers=officers,
        duration_minutes=120,
    )


def time_search(
    url: str, config: Config, addresses: list[Address], officers: int, reps: int, warmup: int
) -> dict[str, float]:
    engine = make_engine(url)
    now = datetime.now(UTC)
    today = now.astimezone(BXL).date()
    timings, found = [], []
    for i in range(warmup + reps):
        first = today + timedelta(days=2 + i % 50)
        with Session(engine) as session:
            t0 = time.perf_counter()
            moments = commands.first_moments(
                session,
                _request(addresses[i % len(addresses)], officers=officers),
                first_day=first,
                last_day=first + timedelta(days=WINDOW_DAYS - 1),
                now=now,
                config=config,
            )
            elapsed = (time.perf_counter() - t0) * 1000
        if i >= warmup:
            timings.append(elapsed)
            found.append(len(moments))
    engine.dispose()
    return {
        "p50": pct(timings, 50),
        "p95": pct(timings, 95),
        "mean_found": statistics.fmean(found),
        "reps": reps,
    }


def render(
    facts: dict[str, str], zone: str, booked: int, results: dict[int, dict[str, float]]
) -> str:
    three = results[3]
    ok = three["p95"] <= TARGET_P95_MS
    lines = [
        START,
        "## Bailiff assistance: team search (`make bench-assistance`)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on:",
        "",
        "| machine | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in facts.items()],
        "",
        f"Data: `bench/seed_large.py`'s zone ({zone}); police assistance ten times the demo: "
        f"a team of {TEAM} officers on site Mon/Wed/Fri 08–13, the capacity rule weekdays "
        f"07–17 at {CAPACITY} officers, and {booked} assistance bookings by {OFFICES} offices "
        "made through `app.assistance.commands.book` beforehand.",
        "",
        "| target | wanted | measured | |",
        "| --- | --- | --- | --- |",
        f"| `first_moments`, 3 officers, {WINDOW_DAYS}-day window, p95 in-process | "
        f"≤ {TARGET_P95_MS:.0f} ms | {three['p95']:.1f} ms (p50 {three['p50']:.1f}, "
        f"{three['reps']:.0f} searches, {three['mean_found']:.1f} moments found on average) | "
        f"{'met' if ok else 'NOT met'} |",
        f"| (reference) the same for 2 officers | — | {results[2]['p95']:.1f} ms "
        f"(p50 {results[2]['p50']:.1f}, {results[2]['mean_found']:.1f} moments) | |",
        "",
        "Each search is what the portal's request page and `GET /api/v1/assistance/moments` "
        "run: the address's district checked, the team's windows, reservations and absences "
        "read in three indexed queries, the capacity per quarter hour in a fourth, then "
        "`compute_slots` in Python. Its own session per search, as a request has.",
        "",
        "How it got there: the first full run measured 66.9 ms p95 (p50 48.9). Profiled, "
        "most of a search was reading the team's other appointments (some 2,800 rows: these "
        "officers are fully booked by citizens). Three changes: the reservations and the "
        "capacity are read only within each day's open hours of the team (travel "
        "included), the capacity only where it has room for the officers asked; and the "
        "address check and the service cost one query each instead of two. With those, "
        "51.8 ms then the figure above.",
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appointments", type=int, default=200_000)
    parser.add_argument("--bookings", type=int, default=300, help="assistance booked first")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = parser.parse_args(argv)
    admin_url = os.environ["TEST_POSTGRES_URL"]
    name = f"bench_assistance_{os.getpid()}"
    log("database...")
    url = create_database(admin_url, name)
    try:
        now = datetime.now(UTC)
        engine = make_engine(url)
        seeded = seed(engine, appointments=args.appointments, now=now, since=now, log=log)
        engine.dispose()
        log(seeded.summary())
        add_assistance(url, seeded.officer_ids)
        with tempfile.TemporaryDirectory(prefix="bench-assistance-") as instance:
            config = Config.from_env(
                Path(instance), env={"DATABASE_URL": url, "SECRET_KEY": os.urandom(32).hex()}
            )
            addresses = [Address(pc, street, number) for _, pc, street, number in seeded.addresses]
            log(f"booking {args.bookings} assistance moments...")
            booked = book_load(url, config, addresses, args.bookings)
            engine = make_engine(url)
            with Session(engine) as session:
                live = session.scalar(
                    select(func.count()).where(Booking.bailiff_account_id.is_not(None))
                )
            engine.dispose()
            log(f"  {booked} booked ({live} in the database)")
            results = {}
            for officers in (3, 2):
                log(f"team search, {officers} officers...")
                results[officers] = time_search(
                    url, config, addresses, officers, args.reps, warmup=20
                )
                log(f"  {results[officers]}")
        admin = make_engine(admin_url)
        facts = machine_facts(admin)
        admin.dispose()
    finally:
        if not args.keep:
            drop_database(admin_url, name)
        else:
            log(f"kept {url}")
    section = render(facts, seeded.summary(), booked, results)
    print(section)
    if not args.no_write:
        write_section(section, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
