"""Voice webhooks with wrk, beside the bare floor and the floor plus one query (issue 18).

    scripts/with-postgres.sh .venv/bin/python bench/ivr.py [--seconds 15]   # or: make bench-ivr

A fresh PostgreSQL database with the demo zone; gunicorn with 2 ``gthread`` workers (the
Procfile's worker class) on ``bench.floor_app:app``, signatures checked. wrk (2 threads, 16
connections) drives every case in the same run, one after the other:

* the floor (``GET /bench/floor``) and the floor plus one SQL query (``/bench/one-query``);
* the entry webhook ``POST /ivr/voice``: every request a new call (its own CallSid and
  caller number), signed beforehand as Twilio signs;
* each next step of those calls — ``/ivr/language`` key 1, ``/ivr/menu`` key 4,
  ``/ivr/info`` key ``*``, the ``/ivr/status`` callback — on the calls the run before made
  (read back from the database, each request to the action its last answer named), so no
  request is a retry answered from memory. A run ends early when its calls are used up.

Per case: req/s, share of the floor's, p50/p95/p99 as wrk saw them, server CPU per request
and the client's own CPU (wrk's cores, to show it is not the bound). Writes its section of
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import html
import os
import pstats
import re
import secrets
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/ivr.py
    sys.path.insert(0, str(ROOT))

from app.db import make_engine  # noqa: E402
from app.demo.seed import seed_demo  # noqa: E402
from bench.run import (  # noqa: E402
    WRK_DONE,
    WRK_TURNS,
    Http,
    Server,
    create_database,
    drop_database,
    machine_facts,
    run_wrk,
    wait_for_quiet,
    write_section,
)

START, END = "<!-- ivr-bench -->", "<!-- /ivr-bench -->"
TOKEN = "bench-token"  # noqa: S105  # a throwaway server's token
PUBLIC = "https://blauwlijn.example"
WORKERS, THREADS = 2, 64  # gunicorn, as the Procfile runs it
ENTRY_CALLS = 60_000  # more than the entry run can make in its time
TARGET_SHARE, TARGET_P99_MS = 0.20, 25.0  # entry and menu: share of the floor, p99
ACTION = re.compile(r'<Gather [^>]*action="([^"]+)"')

# Each item "path\nsignature\nbody": thread k sends items k, k + threads, ... and stops when
# the list is used up (a later step has only the calls the step before made).
POST_SCRIPT = (
    r"""
local items = {%(paths)s}
"""
    + WRK_TURNS
    + r"""
local function position()
  return %(start)d + i * %(threads)d + (offset or 0)
end
request = function()
  local item = items[(position() %% #items) + 1]
  i = i + 1
  local path, signature, body = item:match("^(.-)\n(.-)\n(.*)$")
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Twilio-Signature"] = signature,
  }, body)
end
response = function()
  if position() >= #items then
    wrk.thread:stop()
  end
end
"""
    + WRK_DONE
)


def demo_database(admin_url: str, prefix: str) -> tuple[str, str]:
    """A fresh migrated PostgreSQL database with the demo zone: (its URL, its name)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = create_database(admin_url, name)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        seed_demo(session, now=datetime.now(UTC), zone=ZoneInfo("Europe/Brussels"))
    engine.dispose()
    return url, name


def signed(path: str, form: dict[str, str]) -> str:
    """One request as Twilio sends it, as a wrk item."""
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + path, form)
    return f"{path}\n{signature}\n{urlencode(form)}"


def new_calls(count: int) -> list[str]:
    """Entry webhooks of ``count`` calls, each from its own (mobile) number."""
    numbers = secrets.SystemRandom().sample(range(10**6), count)
    return [
        signed(
            "/ivr/voice",
            {"CallSid": f"CA{uuid.uuid4().hex}", "From": f"+32470{n:06d}", "To": "+3254313501"},
        )
        for n in numbers
    ]


def next_steps(database_url: str, steps_done: int, digits: str | None) -> list[str]:
    """For each call that has made ``steps_done`` steps: the next request, to the action its
    last answer named (with ``digits`` pressed), or with ``None`` the end-of-call callback."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT call_sid, caller, state->>'answer' FROM calls "
                    "WHERE json_array_length(path) = :steps ORDER BY id"
                ),
                {"steps": steps_done},
            ).all()
    finally:
        engine.dispose()
    items = []
    for sid, caller, answer in rows:
        form = {"CallSid": sid, "From": caller, "To": "+3254313501"}
        if digits is None:
            form |= {"CallStatus": "completed", "CallDuration": "42"}
            items.append(signed("/ivr/status", form))
            continue
        found = ACTION.search(answer or "")
        if found is None:
            raise SystemExit(f"no question in the answer to call {sid}: {answer!r}")
        path = html.unescape(found.group(1)).removeprefix(PUBLIC)
        items.append(signed(path, form | {"Digits": digits}))
    return items


# --- where a webhook's time goes, in-process -------------------------------------------------

AREAS = (  # (name, path fragments of the code that counts to it), first match wins
    ("PostgreSQL round trips (psycopg, waiting included)", ("/psycopg/",)),
    ("SQLAlchemy", ("/sqlalchemy/",)),
    ("Flask, Werkzeug (request, routing, response)", ("/flask/", "/werkzeug/")),
    ("Twilio signature check", ("/twilio/", "/hmac.py", "/hashlib.py")),
    ("translations (Flask-Babel, Babel)", ("/flask_babel/", "/babel/")),
    ("the app's own code", ("/app/", "/ivr/", "/callcenter/", "/scheduling/")),
)


OTHER = "other"  # the standard library, builtins


def _area(filename: str, function: str) -> str:
    """The area of a profiled function: by its file, or for a builtin (file ``~``) by the
    name of what it is a method of (psycopg's C wait for the server's answer is one)."""
    where = filename if filename != "~" else function.replace("psycopg_binary", "/psycopg/")
    for name, parts in AREAS:
        if any(part in where for part in parts):
            return name
    return OTHER


def profile_in_process(admin_url: str, count: int) -> list[str]:
    """On a database of its own, ``count`` requests of each case through Flask's test client
    (no HTTP server, no client on the machine), first timed, then ``count`` more under
    cProfile: wall and CPU per request, and where the profiled time goes (self time by area;
    cProfile's own cost inflates every area alike)."""
    url, name = demo_database(admin_url, "bench_ivr_profile")
    os.environ.update(
        DATABASE_URL=url, SECRET_KEY=secrets.token_hex(32), SMS_TRANSPORT="log",
        TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=PUBLIC,
    )  # fmt: skip
    from bench.floor_app import app  # the product app and the floor's routes, as gunicorn runs

    client = app.test_client()

    def send(item: str) -> None:
        if item.startswith("/bench/"):
            answer = client.get(item)
        else:
            path, signature, body = item.split("\n", 2)
            answer = client.post(
                path,
                data=body,
                content_type="application/x-www-form-urlencoded",
                headers={"X-Twilio-Signature": signature},
            )
        if answer.status_code != 200:
            raise SystemExit(f"{item.splitlines()[0]}: HTTP {answer.status_code}")

    cases = (
        ("floor: GET /bench/floor", lambda: ["/bench/floor"] * 2 * count),
        ("floor + one SQL query", lambda: ["/bench/one-query"] * 2 * count),
        ("entry: /ivr/voice", lambda: new_calls(2 * count)),
        ("language: /ivr/language, key 1", lambda: next_steps(url, 1, "1")),
        ("menu: /ivr/menu, key 4", lambda: next_steps(url, 2, "4")),
    )
    lines = [
        "| case | wall ms/req | CPU ms/req | "
        + " | ".join(area for area, _ in AREAS)
        + " | other |",
        "| --- | --- | --- | " + " | ".join("---" for _ in AREAS) + " | --- |",
    ]
    try:
        for label, make in cases:
            work = make()
            timed, profiled = work[:count], work[count : 2 * count]
            wall, cpu = time.perf_counter(), time.process_time()
            for item in timed:
                send(item)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            profiler = cProfile.Profile()
            profiler.enable()
            for item in profiled:
                send(item)
            profiler.disable()
            by_area: Counter[str] = Counter()
            stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
            for (filename, _line, function), (_cc, _nc, tottime, _ct, _callers) in stats.items():
                by_area[_area(filename, function)] += tottime
            total = sum(by_area.values()) or 1.0
            lines.append(
                f"| {label} | {wall / len(timed) * 1000:.2f} | {cpu / len(timed) * 1000:.2f} | "
                + " | ".join(f"{by_area[area] / total:.0%}" for area, _ in AREAS)
                + f" | {by_area[OTHER] / total:.0%} |"
            )
    finally:
        app.extensions["db_engine"].dispose()
        drop_database(admin_url, name)
    return lines


def row(result: Http, floor: Http) -> str:
    return (
        f"| {result.label} | {result.requests:,} | {result.rps:,.0f} | "
        f"{result.rps / floor.rps:.0%} | {result.p50_ms:.1f} | {result.p95_ms:.1f} | "
        f"{result.p99_ms or 0:.1f} | {result.server_ms:.2f} | {result.client_cores:.2f} | "
        f"{result.machine_busy:.0%} |"
    )


def verdicts(results: dict[str, Http]) -> list[str]:
    floor = results["floor"]
    lines = ["| target | wanted | measured | |", "| --- | --- | --- | --- |"]
    for key in ("entry", "menu"):
        r = results[key]
        share, p99 = r.rps / floor.rps, r.p99_ms or 0
        lines.append(
            f"| {r.label}: throughput / floor's | ≥ {TARGET_SHARE:.0%} | {share:.0%} | "
            f"{'met' if share >= TARGET_SHARE else '**missed**'} |"
        )
        lines.append(
            f"| {r.label}: p99 at 16 connections | ≤ {TARGET_P99_MS:.0f} ms | {p99:.1f} ms | "
            f"{'met' if p99 <= TARGET_P99_MS else '**missed**'} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15, help="per case")
    parser.add_argument("--warmup", type=int, default=3, help="per case, not measured")
    parser.add_argument("--profile", type=int, default=500, help="requests per profiled case")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md")
    args = parser.parse_args(argv)
    admin_url = os.environ["TEST_POSTGRES_URL"]
    url, name = demo_database(admin_url, "bench_ivr")
    workdir = Path(tempfile.mkdtemp(prefix="bench-ivr-"))
    env = {"TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": PUBLIC}
    server = Server(url, workdir / "gunicorn.log", workers=WORKERS, threads=THREADS, env=env)
    results: dict[str, Http] = {}
    notes: list[str] = []

    def measure(key: str, label: str, items: list[str], script: str | None = None) -> None:
        options: dict[str, Any] = {"script_text": script} if script else {}
        wait_for_quiet(notes, label)  # the database's own work after seeding, a step's writes
        results[key] = run_wrk(server, label, items, args.seconds, args.warmup, workdir, **options)
        print(row(results[key], results.get("floor", results[key])), flush=True)

    try:
        measure("floor", "floor: GET /bench/floor", ["/bench/floor"])
        measure("one", "floor + one SQL query: GET /bench/one-query", ["/bench/one-query"])
        measure("entry", "entry: POST /ivr/voice", new_calls(ENTRY_CALLS), POST_SCRIPT)
        steps = (
            ("language", "language: POST /ivr/language, key 1", "1"),
            ("menu", "menu: POST /ivr/menu, key 4", "4"),
            ("info", "information: POST /ivr/info, key *", "*"),
            ("status", "end of call: POST /ivr/status", None),
        )
        for done, (key, label, digits) in enumerate(steps, start=1):
            measure(key, label, next_steps(url, done, digits), POST_SCRIPT)
        engine = make_engine(admin_url)
        try:
            machine = machine_facts(engine)
        finally:
            engine.dispose()
    finally:
        server.stop()
        drop_database(admin_url, name)
    print("profiling in-process...", flush=True)
    profile = profile_in_process(admin_url, args.profile)
    floor = results["floor"]
    section = "\n".join(
        [
            START,
            "### Voice webhooks (`bench/ivr.py`, `make bench-ivr`)",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; "
            + "; ".join(f"{k} {v}" for k, v in machine.items())
            + ". PostgreSQL with the demo zone; "
            + f"gunicorn {WORKERS} `gthread` workers × {THREADS} threads; signatures checked; "
            f"wrk 2 threads, 16 connections, {args.seconds} s per case after {args.warmup} s "
            "of warm-up, one case after the other in one run. Every entry request is a new "
            "call (its own CallSid and number); every later request the next step of one of "
            "those calls, to the action its last answer named (no retries answered from "
            "memory); a step's run ends early when its calls are used up. "
            "*client CPU*: wrk's own cores of the machine's 2, to show it is not the bound.",
            "",
            "| case | requests | req/s | of floor | p50 ms | p95 ms | p99 ms "
            "| server CPU ms/req | client CPU | machine busy |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            *(row(r, floor) for r in results.values()),
            *(["", *(f"- {note}" for note in notes)] if notes else []),
            "",
            *verdicts(results),
            "",
            f"Where the time goes, in-process (`profile_in_process`: {args.profile} requests "
            "per case through Flask's test client on a database of its own, no HTTP server "
            "and no client on the machine; then as many under cProfile, their self time by "
            "area, waiting for PostgreSQL included in psycopg's share):",
            "",
            *profile,
            END,
        ]
    )
    print(section)
    if not args.no_write:
        write_section(section, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
