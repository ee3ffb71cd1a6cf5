"""The reporting point at scale: 100,000 reports in the demo zone, then the staff's intake
queue and overview in-process, and Open311's public list over HTTP beside the floor.

    scripts/with-postgres.sh .venv/bin/python bench/reports.py     # or: make bench-reports

Needs TEST_POSTGRES_URL (an account that may CREATE DATABASE). Steps:

1. a fresh database with the demo zone (its register's streets in six municipalities, its
   categories, staff and districts) and 100,000 reports over the year before today, inserted
   in bulk (not through the commands: they would take an hour): every category, sensitive
   ones among them, questions of the contact form with their due dates, statuses by age
   (old ones mostly closed or answered, recent ones new, triaged or in progress, some
   withdrawn or merged), routed as the rules route them (the category's team, else the
   wijkagent of the street, else the intake queue), each with its "submitted" event, closed
   ones with their "closed" event, some with a public update;
2. in-process (Flask test client, signed in as the zone chief GALOP-5003): p50/p95 of
   ``GET /staff/reports`` (first page, default filters) and ``GET /staff/reports/overview``;
   a page that answers 404 (not built on this branch yet) is reported as skipped;
3. over HTTP against gunicorn (4 sync workers, ``bench/floor_app.py``) with ``wrk``:
   ``GET /bench/floor`` and ``GET /open311/v2/requests.json`` (the default 90 days, first
   page) in the same run, every request from its own client address (``X-Forwarded-For``
   behind ``TRUSTED_PROXIES=1``), so the per-address rate limit counts as it would for many
   clients and never refuses;
4. prints the section and puts it into bench/RESULTS.md (between ``reports-bench`` markers).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/reports.py
    sys.path.insert(0, str(ROOT))

import pyotp  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import create_app  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import make_engine  # noqa: E402
from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET  # noqa: E402
from app.reports.enums import (  # noqa: E402
    CategoryKind,
    ReportActor,
    ReportChannel,
    ReportEventKind,
    ReportStatus,
)
from app.reports.models import (  # noqa: E402
    Report,
    ReportCategory,
    ReportEvent,
    ReportNumber,
)
from bench.ivr import demo_database  # noqa: E402
from bench.run import (  # noqa: E402
    WRK_DONE,
    WRK_TURNS,
    Http,
    Server,
    drop_database,
    machine_facts,
    pct,
    run_wrk,
    write_section,
)
from scheduling.addresses import street_key  # noqa: E402
from scheduling.models import District, DistrictStreet, RegisterAddress, Street  # noqa: E402

BXL = ZoneInfo("Europe/Brussels")
START, END = "<!-- reports-bench -->", "<!-- /reports-bench -->"
CHUNK = 5_000
ZONE_CHIEF = "GALOP-5003"
STAFF_PAGES = ("/staff/reports", "/staff/reports/overview")
OPEN311 = "/open311/v2/requests.json"
OPEN311_CASE = "Open311 GET requests.json (90 days, first page of 50)"
MISSES_CASE = "Open311 GET requests.json, a different 90-day window each time (never cached)"
DISTINCT_QUERIES = 20_000
FLOOR = "/bench/floor"
TARGET_P95_MS = 100.0
TARGET_FLOOR_SHARE = 0.40
CLIENT_ADDRESSES = 4_000  # distinct X-Forwarded-For: each far under open311-ip's 1200/h
WORDS = (
    "lawaai 's nachts",
    "auto geparkeerd op het fietspad",
    "afval naast de glasbol",
    "jongeren rond de bushalte",
    "gevaarlijk kruispunt zonder zicht",
    "bruit de moteur tard le soir",
    "sac poubelle déposé dans le fossé",
    "portefeuille bruin leder",
)
FIRST_NAMES = ("An", "Jan", "Els", "Marc", "Sofie", "Karim", "Lotte", "Pierre", "Fatima", "Wim")
LAST_NAMES = ("Peeters", "Janssens", "Maes", "De Smet", "Dubois", "Lambert", "El Amrani")


def log(message: str) -> None:
    print(message, flush=True)


# --- seeding --------------------------------------------------------------------------------


@dataclass
class Place:
    street_id: int
    street_name: str
    municipality: str
    postcode: str
    house_number: str
    lat: float
    lon: float
    officer_id: int | None


def _places(session: Session) -> list[Place]:
    """Register addresses of the zone, each with the wijkagent of its street."""
    officers: dict[tuple[str, str], int] = {}
    for postcode, key, officer in session.execute(
        select(DistrictStreet.postcode, DistrictStreet.street_key, District.officer_id).join(
            District, District.id == DistrictStreet.district_id
        )
    ):
        officers.setdefault((postcode, key), officer)
    places = []
    for address, street in session.execute(
        select(RegisterAddress, Street).join(Street, Street.id == RegisterAddress.street_id)
    ).tuples():
        name = street.name_nl or street.name_fr
        places.append(
            Place(
                street.id,
                name,
                street.municipality_nl or street.municipality_fr,
                address.postcode,
                address.house_number,
                address.lat,
                address.lon,
                officers.get((address.postcode, street_key(name))),
            )
        )
    if not places:
        raise SystemExit("the demo register has no addresses")
    return places


def _status(rng: random.Random, age: timedelta, question: bool) -> ReportStatus:
    """Old cases are mostly finished, this week's mostly not."""
    finished = min(0.97, age.days / 30)
    roll = rng.random()
    if roll < 0.02:
        return ReportStatus.WITHDRAWN
    if roll < 0.04 and not question:
        return ReportStatus.MERGED
    if rng.random() < finished:
        return ReportStatus.ANSWERED if question else ReportStatus.CLOSED
    return rng.choice((ReportStatus.NEW, ReportStatus.TRIAGED, ReportStatus.IN_PROGRESS))


def seed_reports(url: str, count: int, *, now: datetime, rng: random.Random) -> dict[str, Any]:
    """``count`` reports over the year before ``now``, bulk-inserted; what was made."""
    began = time.perf_counter()
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        places = _places(session)
        categories = list(session.scalars(select(ReportCategory).where(ReportCategory.active)))
        sensitive_ids = {c.id for c in categories if c.sensitive}
        # Weights: most reports are nuisance, traffic and dumping; sensitive ones are few.
        weights = [
            0.4 if c.sensitive else 6.0 if c.kind == CategoryKind.QUESTION else 10.0
            for c in categories
        ]
        counters: dict[tuple[str, int], int] = defaultdict(int)
        reports: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        first_id = (session.scalar(select(func.max(Report.id))) or 0) + 1
        for offset in range(count):
            ident = first_id + offset
            created = now - timedelta(seconds=rng.uniform(60, 365 * 86400))
            category = rng.choices(categories, weights)[0]
            question = category.kind == CategoryKind.QUESTION
            status = _status(rng, now - created, question)
            place = rng.choice(places)
            with_address = not question and rng.random() < 0.85
            prefix = "V" if question else "M"
            year = created.astimezone(BXL).year
            counters[prefix, year] += 1
            finished = status in (
                ReportStatus.CLOSED,
                ReportStatus.ANSWERED,
                ReportStatus.WITHDRAWN,
                ReportStatus.MERGED,
            )
            closed = created + timedelta(hours=rng.uniform(2, 400)) if finished else None
            closed = min(closed, now) if closed else None
            named = rng.random() < 0.7 or question or not category.anonymous_allowed
            team = category.handled_by
            officer = None if team else place.officer_id if with_address else None
            reports.append(
                {
                    "id": ident,
                    "number": f"{prefix}-{year}-{counters[prefix, year]:06d}",
                    "token_hash": hashlib.sha256(f"bench-report-{ident}".encode()).hexdigest(),
                    "category_id": category.id,
                    "channel": rng.choice(
                        (ReportChannel.WEB,) * 8 + (ReportChannel.PHONE, ReportChannel.API)
                    ),
                    "status": status,
                    "street_id": place.street_id if with_address else None,
                    "street_name": place.street_name if with_address else None,
                    "house_number": place.house_number if with_address else None,
                    "postcode": place.postcode if with_address else None,
                    "municipality": place.municipality if with_address else None,
                    "landmark": None if with_address or question else "aan de kerk",
                    "lat": place.lat if with_address and rng.random() < 0.4 else None,
                    "lon": place.lon if with_address and rng.random() < 0.4 else None,
                    "description": f"{rng.choice(WORDS)} ({offset})",
                    "object_type": "portefeuille"
                    if category.kind in (CategoryKind.LOST, CategoryKind.FOUND)
                    else None,
                    "answers": {},
                    "reporter_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
                    if named
                    else None,
                    "reporter_phone": f"+324701{ident % 100000:05d}" if named else None,
                    "reporter_email": f"burger{ident}@example.org" if named else None,
                    "language": rng.choice(("nl",) * 6 + ("fr", "fr", "en")),
                    "due_at": created + timedelta(days=rng.choice((7, 8, 9, 10)))
                    if question
                    else None,
                    "assigned_staff_id": officer,
                    "assigned_team": team,
                    "created_at": created,
                    "updated_at": closed or created,
                    "closed_at": closed,
                }
            )
            events.append(
                {
                    "report_id": ident,
                    "at": created,
                    "actor_kind": ReportActor.CITIZEN,
                    "kind": ReportEventKind.SUBMITTED,
                    "details": {"channel": "web"},
                    "public": True,
                }
            )
            if not question and not finished and rng.random() < 0.3:
                events.append(
                    {
                        "report_id": ident,
                        "at": created + timedelta(hours=1),
                        "actor_kind": ReportActor.STAFF,
                        "kind": ReportEventKind.PUBLIC_UPDATE,
                        "details": {"text": "De wijkagent volgt dit op."},
                        "public": True,
                    }
                )
            if closed is not None and status in (ReportStatus.CLOSED, ReportStatus.ANSWERED):
                events.append(
                    {
                        "report_id": ident,
                        "at": closed,
                        "actor_kind": ReportActor.STAFF,
                        "kind": ReportEventKind.CLOSED,
                        "details": {"text": "Afgehandeld, dank u."},
                        "public": True,
                    }
                )
        for start in range(0, len(reports), CHUNK):
            session.execute(insert(Report), reports[start : start + CHUNK])
        for start in range(0, len(events), CHUNK):
            session.execute(insert(ReportEvent), events[start : start + CHUNK])
        for (prefix, year), last in counters.items():
            session.merge(ReportNumber(prefix=prefix, year=year, last=last))
        for table in ("reports", "report_events"):
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    engine.dispose()
    # Fresh statistics and visibility map, as autovacuum gives them soon after such a load
    # (outside a transaction: VACUUM refuses one, and a rolled-back ANALYZE leaves the planner
    # guessing). Without the visibility map an index-only scan still visits the table.
    analyzer = make_engine(url, isolation_level="AUTOCOMMIT")
    with analyzer.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    analyzer.dispose()
    statuses = defaultdict(int)
    for row in reports:
        statuses[row["status"].value] += 1
    return {
        "reports": len(reports),
        "events": len(events),
        "sensitive": sum(1 for r in reports if r["category_id"] in sensitive_ids),
        "questions": sum(1 for r in reports if r["due_at"] is not None),
        "municipalities": len({p.municipality for p in places}),
        "streets": len({p.street_id for p in places}),
        "statuses": dict(statuses),
        "seconds": time.perf_counter() - began,
    }


# --- in-process: the staff pages ----------------------------------------------------------


@dataclass
class PageTiming:
    path: str
    status: int
    reps: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    size: int = 0


def _csrf(client: Any, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(True))
    if not found:
        raise SystemExit(f"no form on {path}")
    return found.group(1)


def staff_pages(url: str, reps: int, warmup: int) -> list[PageTiming]:
    """Each staff page as the zone chief sees it: p50/p95 of the whole request."""
    config = Config.from_env(
        Path(tempfile.mkdtemp(prefix="bench-reports-")),
        env={"DATABASE_URL": url, "SECRET_KEY": os.urandom(32).hex(), "BLAUWLIJN_DEMO": "1"},
    )
    app = create_app(config)
    client = app.test_client()
    client.post(
        "/staff/login",
        data={
            "csrf_token": _csrf(client, "/staff/login"),
            "personnel_number": ZONE_CHIEF,
            "password": DEMO_PASSWORD,
        },
    )
    signed = client.post(
        "/staff/login/code",
        data={
            "csrf_token": _csrf(client, "/staff/login/code"),
            "code": pyotp.TOTP(DEMO_TOTP_SECRET).now(),
        },
    )
    if signed.status_code != 302 or "/login" in signed.location:
        raise SystemExit(f"the zone chief could not sign in ({signed.status_code})")
    timings = []
    for path in STAFF_PAGES:
        first = client.get(path)
        if first.status_code == 404:
            log(f"  {path}: 404 — not built on this branch yet; skipped")
            timings.append(PageTiming(path, 404))
            continue
        if first.status_code != 200:
            raise SystemExit(f"{path}: HTTP {first.status_code}")
        for _ in range(warmup):
            client.get(path)
        took = []
        for _ in range(reps):
            began = time.perf_counter()
            answer = client.get(path)
            took.append((time.perf_counter() - began) * 1000)
            assert answer.status_code == 200, (path, answer.status_code)
        timings.append(PageTiming(path, 200, reps, pct(took, 50), pct(took, 95), len(first.data)))
        log(f"  {path}: p50 {pct(took, 50):.1f} ms, p95 {pct(took, 95):.1f} ms")
    return timings


# --- over HTTP: Open311 beside the floor --------------------------------------------------

# bench/run.py's script, each request from its own address (the rate limit counts per
# address): thread k sends items k, k + threads, ... of the path list.
WRK_SCRIPT = (
    r"""
local paths = {%(paths)s}
"""
    + WRK_TURNS
    + r"""
request = function()
  local index = (%(start)d + i * %(threads)d + (offset or 0))
  i = i + 1
  local address = index %% """
    + str(CLIENT_ADDRESSES)
    + r"""
  local headers = {["X-Forwarded-For"] = string.format("10.%%d.%%d.%%d",
    (offset or 0) + 1, math.floor(address / 250), address %% 250 + 1)}
  return wrk.format("GET", paths[(index %% #paths) + 1], headers)
end
"""
    + WRK_DONE
)


def _distinct_windows() -> list[str]:
    """90-day windows each starting a minute apart: never the same query twice."""
    first = datetime.now(UTC) - timedelta(days=120)
    return [
        f"{OPEN311}?start_date={(first + timedelta(minutes=k)):%Y-%m-%dT%H:%M:00Z}"
        for k in range(DISTINCT_QUERIES)
    ]


def http_cases(url: str, seconds: int, warmup: int, workdir: Path) -> list[Http]:
    server = Server(url, workdir / "gunicorn.log", env={"TRUSTED_PROXIES": "1"})
    try:
        results = []
        # Floor first and last: the machine's speed may drift during the run.
        for label, paths in (
            ("floor: GET /bench/floor", [FLOOR]),
            (OPEN311_CASE, [OPEN311]),
            (MISSES_CASE, _distinct_windows()),
            ("floor again: GET /bench/floor", [FLOOR]),
        ):
            result = run_wrk(server, label, paths, seconds, warmup, workdir, script_text=WRK_SCRIPT)
            log(f"  {label}: {result.rps:.0f} req/s, p95 {result.p95_ms:.1f} ms, {result.statuses}")
            results.append(result)
        return results
    finally:
        server.stop()


# --- the section --------------------------------------------------------------------------


def render(
    facts: dict[str, str],
    seeded: dict[str, Any],
    pages: list[PageTiming],
    http: list[Http],
    started: datetime,
) -> str:
    floor = max(http[0].rps, http[3].rps)  # the better floor: the stricter target
    open311, misses = http[1], http[2]
    share = open311.rps / floor
    lines = [
        START,
        "## The reporting point (`bench/reports.py`)",
        "",
        f"Run on {started:%Y-%m-%d %H:%M} UTC. Rerun: `make bench-reports`, or `bash "
        "scripts/with-postgres.sh .venv/bin/python bench/reports.py` (options: `--help`).",
        "",
        "| machine | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in facts.items()],
        "",
        f"Data: the demo zone and {seeded['reports']:,} reports over the year before the run "
        f"({seeded['questions']:,} questions of the contact form with due dates, "
        f"{seeded['sensitive']:,} sensitive), {seeded['events']:,} events, on "
        f"{seeded['streets']} register streets of {seeded['municipalities']} municipalities; "
        "statuses "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(seeded["statuses"].items()))
        + f". Bulk-inserted in {seeded['seconds']:.0f} s.",
        "",
        "| target | wanted | measured | |",
        "| --- | --- | --- | --- |",
    ]
    for page in pages:
        if page.status == 404:
            lines.append(
                f"| `GET {page.path}` p95, in-process, zone chief | ≤ {TARGET_P95_MS:.0f} ms "
                "| not measured: the page answered 404 (not on this branch) | skipped |"
            )
        else:
            ok = page.p95_ms <= TARGET_P95_MS
            lines.append(
                f"| `GET {page.path}` p95, in-process, zone chief | ≤ {TARGET_P95_MS:.0f} ms "
                f"| {page.p95_ms:.1f} ms (p50 {page.p50_ms:.1f}, {page.reps} requests, "
                f"{page.size:,} bytes) | {'met' if ok else 'NOT met'} |"
            )
    lines += [
        f"| Open311 `GET requests.json` (90 days) throughput / floor's | ≥ "
        f"{TARGET_FLOOR_SHARE:.0%} | {share:.1%} ({open311.rps:.0f} / {floor:.0f} req/s) | "
        f"{'met' if share >= TARGET_FLOOR_SHARE else 'NOT met'} |",
        f"| (reference) floor's server CPU per request / Open311's | — | "
        f"{http[0].server_ms / max(0.001, open311.server_ms):.1%} "
        f"({http[0].server_ms:.2f} / {open311.server_ms:.2f} ms) | |",
        f"| (reference) Open311, never the same window twice (every answer computed): "
        f"throughput / floor's | — | {misses.rps / floor:.1%} ({misses.rps:.0f} / "
        f"{floor:.0f} req/s) | |",
        "",
        f"Over HTTP: gunicorn, 4 sync workers, `wrk` with {http[0].tool.split()[-1][2:]} "
        f"connections, each request from its own address of {CLIENT_ADDRESSES:,} "
        "(`X-Forwarded-For`, `TRUSTED_PROXIES=1`): the per-address rate limit counts every "
        "request as it would for many clients, and refuses none. A worker serves a list "
        "it answered less than 15 s before again without the database "
        "(`app/open311/answer_cache.py`): the first case is mostly such repeats, as a "
        "map or dashboard polling the default list makes them; the second never repeats.",
        "",
        "| case | req/s | p50 ms | p95 ms | statuses | server CPU ms/req | machine busy |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[
            f"| {h.label} | {h.rps:.0f} | {h.p50_ms:.1f} | {h.p95_ms:.1f} | "
            + ", ".join(f"{k}: {v}" for k, v in h.statuses.items())
            + f" | {h.server_ms:.2f} | {h.machine_busy:.0%} |"
            for h in http
        ],
        END,
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=100, help="requests per staff page")
    parser.add_argument("--seconds", type=int, default=15, help="per wrk case")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk warm-up")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--no-write", action="store_true", help="print, do not touch RESULTS.md")
    args = parser.parse_args(argv)
    admin_url = os.environ["TEST_POSTGRES_URL"]
    started = datetime.now(UTC)
    log("demo zone database...")
    url, name = demo_database(admin_url, "bench_reports")
    try:
        log(f"seeding {args.reports:,} reports...")
        seeded = seed_reports(url, args.reports, now=started, rng=random.Random(5405))
        log(
            f"  {seeded['reports']:,} reports, {seeded['events']:,} events "
            f"in {seeded['seconds']:.0f} s"
        )
        log("staff pages in-process (zone chief)...")
        pages = staff_pages(url, args.reps, warmup=10)
        log("HTTP against gunicorn...")
        with tempfile.TemporaryDirectory(prefix="bench-reports-") as workdir:
            http = http_cases(url, args.seconds, args.warmup, Path(workdir))
        admin = make_engine(admin_url)
        facts = machine_facts(admin)
        admin.dispose()
    finally:
        if not args.keep:
            drop_database(admin_url, name)
        else:
            log(f"kept {url}")
    section = render(facts, seeded, pages, http, started)
    print(section)
    if not args.no_write:
        write_section(section, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
