"""A zone's Monday morning (issue 18), on one web process and on two behind HAProxy.

    scripts/with-postgres.sh .venv/bin/python bench/peak.py            # or: make bench-peak
    scripts/with-postgres.sh .venv/bin/python bench/peak.py --scale 0.1 --minutes 1  # smoke

Needs TEST_POSTGRES_URL (an account that may CREATE DATABASE), Locust (the ``bench`` extra),
Prism (node_modules) and, for two web processes, HAProxy (installed by ``make bench-peak``
when root). Per setup (``--setups 1,2``), on a database of its own:

1. the zone ten times the demo (``bench.seed_large``), the reporting point's categories and
   ``--scale`` × 50 call-takers, signed in and available before the load starts (as at nine
   on a Monday: their sign-ins are not in the figures);
2. Prism serving Twilio's API; N gunicorn processes (2 gthread workers each, as the Procfile
   runs them) on loopback, and for N = 2 HAProxy in front (round robin, health-checking
   ``/healthz``, adding X-Forwarded-For); M = N workers (``flask --app app worker``) sending
   SMS through Prism (``SMS_TRANSPORT=twilio``);
3. Locust, headless, in ``--processes`` worker processes (so the client is not the bound: its
   CPU is reported), on ``bench/peak_users.py`` for ``--minutes``; the rates are the issue's
   times ``--scale``: 500 citizens booking in 10 minutes, 200 API searches a minute, 30
   callers at once, 50 consoles with their live stream, 20 reports with a photo in 10 minutes;
4. a wait (``--drain``) for the worker to send what is queued, then from the database: SMS
   lag (booking created → confirmation sent), and the invariants — no two confirmed
   bookings overlapping one staff member's reservations, no confirmed booking without a
   reservation, every confirmation queued once and sent once;
5. a table per setup; with ``--write``, a section in bench/RESULTS.md between markers.

The callers reach the call-takers' queue only while the hotline is open (its hours, the
zone's public holidays): run outside them, they hear "closed", counted as that outcome.
Citizens send their own X-Forwarded-For (a household each) and the web processes trust one
proxy (two behind HAProxy), so the per-address rate limits see households, not loopback.

Sampled each second meanwhile: the database connections (``pg_stat_activity``); CPU per
process group from /proc (a tree's own time plus its reaped children's, so short-lived
processes count too).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/peak.py
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.demo.seed import _insert_report_categories  # noqa: E402
from bench import console as console_bench  # noqa: E402
from bench.ivr import TOKEN  # noqa: E402
from bench.run import (  # noqa: E402
    cpu_times,
    create_database,
    drop_database,
    free_port,
    machine_facts,
    pct,
    slot_paths,
    write_section,
)
from bench.seed_large import seed  # noqa: E402
from tests.app.twilio_mock import start_prism  # noqa: E402

START, END = "<!-- peak-bench -->", "<!-- /peak-bench -->"
VENV_BIN = Path(sys.executable).parent
ACCOUNT = "AC" + "0123456789abcdef" * 2
WEB_WORKERS, WEB_THREADS = 2, 64  # per web process, the Procfile's worker class
# The Monday morning at scale 1.0.
CITIZENS_PER_MIN = 500 / 10
SEARCHES_PER_MIN = 200
CALLERS = 30
CONSOLES = 50
REPORTS_PER_MIN = 20 / 10
TARGETS = {"citizen": 300.0, "voice": 50.0}  # p99 ms
TARGET_LAG_S = 60.0


def log(message: str) -> None:
    print(f"[peak {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# --- CPU of process trees -------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid``, its reaped children (cutime/cstime) and its live descendants."""
    parts = _stat(pid)
    if parts is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    own = sum(int(parts[i]) for i in (11, 12, 13, 14)) / tick
    return own + sum(tree_cpu(child) for child in _children(pid))


class Sampler:
    """Each second: database connections in use, and the CPU of named process trees."""

    def __init__(self, database_url: str, groups: dict[str, list[int]]) -> None:
        self.engine = make_engine(database_url)
        self.groups = groups
        self.connections: list[int] = []
        self.active: list[int] = []
        self.cpu0 = {name: sum(tree_cpu(p) for p in pids) for name, pids in groups.items()}
        self.cpu: dict[str, float] = {}
        self.began = time.monotonic()
        self.seconds = 0.0
        self.machine0 = cpu_times()
        self.machine = 0.0  # cores busy on the whole machine, on average
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        query = text(
            "SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        while not self._stop.wait(1.0):
            with self.engine.connect() as conn:
                total, active = conn.execute(query).one()
            self.connections.append(int(total))
            self.active.append(int(active))
            self._cpu_now()

    def _cpu_now(self) -> None:
        """The groups' CPU so far; a group whose processes ended keeps its last reading."""
        for name, pids in self.groups.items():
            used = sum(tree_cpu(p) for p in pids) - self.cpu0[name]
            self.cpu[name] = max(self.cpu.get(name, 0.0), used)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.engine.dispose()
        self.seconds = time.monotonic() - self.began
        self._cpu_now()
        self.cpu = {name: used / self.seconds for name, used in self.cpu.items()}
        busy, total = (b - a for a, b in zip(self.machine0, cpu_times(), strict=True))
        self.machine = busy / max(1.0, total) * (os.cpu_count() or 1)
        # Other work on the machine (other helpers' tests on a shared machine, say).
        self.cpu["anything else"] = max(0.0, self.machine - sum(self.cpu.values()))


def add_call_takers(url: str, count: int) -> list[str]:
    """``count`` call-takers (bench/console.py's password, so its ``sign_in`` signs them in)."""
    return console_bench.add_call_takers(url, count, prefix="PEAK-CT")


# --- the processes ----------------------------------------------------------------------------


@dataclass
class Stack:
    """What one setup started: web processes, workers, HAProxy, Prism."""

    front: str
    webs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    haproxy: subprocess.Popen[bytes] | None = None
    prism: subprocess.Popen[bytes] | None = None

    def all(self) -> list[subprocess.Popen[bytes]]:
        rest = [p for p in (self.haproxy, self.prism) if p is not None]
        return [*self.webs, *self.workers, *rest]

    def stop(self) -> None:
        for proc in self.all():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.all():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_ok(url: str, proc: subprocess.Popen[bytes], what: str, logfile: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} stopped:\n{logfile.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=5).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise SystemExit(f"{what} did not answer {url}:\n{logfile.read_text()[-3000:]}")


HAPROXY_CFG = """global
    maxconn 4000
defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    option forwardfor
frontend front
    bind 127.0.0.1:{port}
    default_backend webs
backend webs
    balance roundrobin
    option httpchk GET /healthz
{servers}
"""


def start_stack(database_url: str, webs: int, workdir: Path) -> Stack:
    prism, prism_url = start_prism(workdir / "prism.log")
    ports = [free_port() for _ in range(webs)]
    front_port = free_port() if webs > 1 else ports[0]
    stack = Stack(front=f"http://127.0.0.1:{front_port}", prism=prism)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),  # one for all processes: a session works on each
        "TWILIO_ACCOUNT_SID": ACCOUNT,
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_API_BASE_URL": prism_url,
        "SMS_TRANSPORT": "twilio",
        "PUBLIC_BASE_URL": stack.front,  # what Twilio signs: the address in front
        # The client's X-Forwarded-For (a household), plus HAProxy's when it is in front.
        "TRUSTED_PROXIES": str(2 if webs > 1 else 1),
        "PYTHONPATH": str(ROOT),
    }
    try:
        for i, port in enumerate(ports):
            logfile = workdir / f"web{i}.log"
            with logfile.open("wb") as out:
                proc = subprocess.Popen(
                    [
                        str(VENV_BIN / "gunicorn"),
                        "--workers",
                        str(WEB_WORKERS),
                        "--worker-class",
                        "gthread",
                        "--threads",
                        str(WEB_THREADS),
                        "--forwarded-allow-ips=",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "app:create_app()",
                    ],
                    cwd=ROOT,
                    env={**env, "PROMETHEUS_MULTIPROC_DIR": str(workdir / f"metrics{i}")},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            stack.webs.append(proc)
            _wait_ok(f"http://127.0.0.1:{port}/healthz", proc, f"web {i}", logfile)
        for i in range(webs):  # M = N workers
            logfile = workdir / f"worker{i}.log"
            with logfile.open("wb") as out:
                stack.workers.append(
                    subprocess.Popen(
                        [str(VENV_BIN / "flask"), "--app", "app", "worker"],
                        cwd=ROOT,
                        env=env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        if webs > 1:
            haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
            if not Path(haproxy).exists():
                raise SystemExit("HAProxy is missing: apt-get install haproxy (make bench-peak)")
            servers = "\n".join(
                f"    server web{i} 127.0.0.1:{port} check inter 1s" for i, port in enumerate(ports)
            )
            config = workdir / "haproxy.cfg"
            config.write_text(HAPROXY_CFG.format(port=front_port, servers=servers))
            logfile = workdir / "haproxy.log"
            with logfile.open("wb") as out:
                stack.haproxy = subprocess.Popen(
                    [haproxy, "-db", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT
                )
            _wait_ok(stack.front + "/healthz", stack.haproxy, "haproxy", logfile)
    except BaseException:
        stack.stop()
        raise
    return stack


# --- the load ---------------------------------------------------------------------------------


def plan(
    info: Any, call_takers: list[str], scale: float, minutes: float, public: str, processes: int
) -> dict[str, Any]:
    """Users and pacing per kind, so each kind runs at the issue's rate times ``scale``."""
    seconds = minutes * 60
    citizens = max(1, math.ceil(CITIZENS_PER_MIN * scale / 5))  # a flow each 12 s or so
    searchers = max(1, math.ceil(SEARCHES_PER_MIN * scale / 60))  # about one a second each
    wait_round = 10 if seconds < 300 else 40
    hold = max(wait_round, min(60, seconds / 3))
    first = (datetime.now(UTC) + timedelta(days=1)).date()
    return {
        "users": {
            "citizen": citizens,
            "searcher": searchers,
            "caller": max(1, round(CALLERS * scale)),
            "console": len(call_takers),
            "reporter": 1,
        },
        "pacing": {
            "citizen": 60 * citizens / (CITIZENS_PER_MIN * scale),
            "searcher": 60 * searchers / (SEARCHES_PER_MIN * scale),
            "caller": hold + wait_round,
            "console": 1,  # EventSource reconnects after the stream's end
            "reporter": 60 / (REPORTS_PER_MIN * scale),
        },
        "addresses": [[pc, st, no] for _, pc, st, no in info.addresses],
        "searches": slot_paths(info, "wijkagent", first, 14),
        "call_takers": list(call_takers),
        "processes": processes,
        "token": TOKEN,
        "public": public,
        "wait_round": wait_round,
        "hold": hold,
        "settle": 20,  # s: callers ring in over these first seconds
    }


def run_locust(
    front: str, the_plan: dict[str, Any], seconds: float, processes: int, workdir: Path
) -> subprocess.Popen[bytes]:
    plan_file = workdir / "plan.json"
    plan_file.write_text(json.dumps(the_plan))
    users = sum(the_plan["users"].values())
    out = (workdir / "locust.log").open("wb")
    return subprocess.Popen(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "peak_users.py"),
            "--headless",
            "--processes",
            str(processes),
            "-u",
            str(users),
            "-r",
            str(max(1, users / 10)),
            "-t",
            f"{int(seconds)}s",
            "--host",
            front,
            "--csv",
            str(workdir / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**os.environ, "PEAK_PLAN": str(plan_file), "PYTHONPATH": str(ROOT)},
        stdout=out,
        stderr=subprocess.STDOUT,
    )


@dataclass
class Row:
    kind: str
    name: str
    count: int
    failures: int
    p50: float
    p95: float
    p99: float


def read_stats(workdir: Path) -> list[Row]:
    path = workdir / "locust_stats.csv"
    if not path.exists():
        return []
    rows = []
    with path.open() as f:
        for r in csv.DictReader(f):
            if r["Name"] == "Aggregated":
                continue
            rows.append(
                Row(
                    r["Type"],
                    r["Name"],
                    int(r["Request Count"]),
                    int(r["Failure Count"]),
                    float(r["50%"] or 0),
                    float(r["95%"] or 0),
                    float(r["99%"] or 0),
                )
            )
    return rows


def read_failures(workdir: Path) -> list[str]:
    """Failed requests, then exceptions raised in the users' walks (both are errors)."""
    found: list[str] = []
    path = workdir / "locust_failures.csv"
    if path.exists():
        with path.open() as f:
            found += [
                f"{r['Occurrences']}× {r['Method']} {r['Name']}: {r['Error'][:160]}"
                for r in csv.DictReader(f)
            ]
    path = workdir / "locust_exceptions.csv"
    if path.exists():
        with path.open() as f:
            found += [f"{r['Count']}× exception: {r['Message'][:160]}" for r in csv.DictReader(f)]
    return found


def count_errors(workdir: Path) -> int:
    """Failed requests plus exceptions raised in the users' walks."""
    total = sum(r.failures for r in read_stats(workdir))
    path = workdir / "locust_exceptions.csv"
    if path.exists():
        with path.open() as f:
            total += sum(int(r["Count"]) for r in csv.DictReader(f))
    return total


# --- afterwards: the database -------------------------------------------------------------------


CHECKS = {
    "confirmed bookings overlapping on one staff member": """
        SELECT count(*) FROM reservations a JOIN reservations b
          ON a.staff_id = b.staff_id AND a.id < b.id
         AND a.blocked_from < b.blocked_until AND b.blocked_from < a.blocked_until
        JOIN bookings ba ON ba.id = a.booking_id JOIN bookings bb ON bb.id = b.booking_id
        WHERE ba.status = 'confirmed' AND bb.status = 'confirmed'""",
    "confirmed bookings without a reservation": """
        SELECT count(*) FROM bookings b WHERE b.status = 'confirmed'
           AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.booking_id = b.id)""",
    "new bookings without a confirmation queued": """
        SELECT count(*) FROM bookings b WHERE b.created_at >= :since
           AND NOT EXISTS (SELECT 1 FROM sms_outbox o WHERE o.booking_id = b.id
                           AND o.kind = 'confirmation' AND o.channel = 'sms')""",
    "confirmations queued more than once": """
        SELECT count(*) FROM (SELECT booking_id FROM sms_outbox
         WHERE kind = 'confirmation' AND channel = 'sms' AND created_at >= :since
         GROUP BY booking_id HAVING count(*) > 1) d""",
    "confirmations not sent after the drain": """
        SELECT count(*) FROM sms_outbox WHERE kind = 'confirmation' AND channel = 'sms'
           AND created_at >= :since AND status NOT IN ('sent', 'delivered')""",
    "SMS sent twice (same provider sid)": """
        SELECT count(*) FROM (SELECT provider_sid FROM sms_outbox WHERE provider_sid IS NOT NULL
         GROUP BY provider_sid HAVING count(*) > 1) d""",
}


def drain(database_url: str, since: datetime, seconds: float) -> float:
    """Wait until no confirmation queued since ``since`` is left to send: the seconds waited."""
    engine = make_engine(database_url)
    began = time.monotonic()
    query = text(
        "SELECT count(*) FROM sms_outbox WHERE created_at >= :since AND kind = 'confirmation' "
        "AND channel = 'sms' AND status IN ('pending', 'sending')"
    )
    try:
        while time.monotonic() - began < seconds:
            with engine.connect() as conn:
                if not conn.scalar(query, {"since": since}):
                    break
            time.sleep(1)
    finally:
        engine.dispose()
    return time.monotonic() - began


def database_facts(database_url: str, since: datetime) -> dict[str, Any]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            checks = {
                name: int(conn.scalar(text(sql), {"since": since}) or 0)
                for name, sql in CHECKS.items()
            }
            lags = [
                float(x)
                for x in conn.scalars(
                    text(
                        "SELECT extract(epoch FROM o.sent_at - b.created_at) FROM sms_outbox o "
                        "JOIN bookings b ON b.id = o.booking_id WHERE o.kind = 'confirmation' "
                        "AND o.channel = 'sms' AND o.sent_at IS NOT NULL AND b.created_at >= :since"
                    ),
                    {"since": since},
                )
            ]
            booked = int(
                conn.scalar(
                    text("SELECT count(*) FROM bookings WHERE created_at >= :since"),
                    {"since": since},
                )
                or 0
            )
            reports = int(
                conn.scalar(
                    text("SELECT count(*) FROM reports WHERE created_at >= :since"),
                    {"since": since},
                )
                or 0
            )
    finally:
        engine.dispose()
    return {"checks": checks, "lags": lags, "booked": booked, "reports": reports}


# --- one setup --------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    rows: list[Row]
    failures: list[str]
    cpu: dict[str, float]
    seconds: float
    connections: list[int]
    active: list[int]
    facts: dict[str, Any]
    drained_s: float
    users: dict[str, int]
    errors: int = 0


def run_setup(admin_url: str, webs: int, args: argparse.Namespace) -> Result:
    label = "1 web process" if webs == 1 else f"{webs} web processes behind HAProxy"
    log(f"setup: {label}")
    name = f"peak_{uuid.uuid4().hex[:8]}"
    url = create_database(admin_url, name)
    workdir = Path(tempfile.mkdtemp(prefix="peak-"))
    stack: Stack | None = None
    try:
        engine = make_engine(url)
        info = seed(engine, appointments=args.appointments, log=log)
        with Session(engine) as session, session.begin():
            _insert_report_categories(session)
        engine.dispose()
        call_takers = add_call_takers(url, max(1, round(CONSOLES * args.scale)))
        stack = start_stack(url, webs, workdir)
        the_plan = plan(info, call_takers, args.scale, args.minutes, stack.front, args.processes)
        # The call-takers signed in before nine (their sign-ins are not in the figures): each
        # console starts with its browser's cookie, set available.
        the_plan["console_cookies"] = [
            console_bench.sign_in(stack.front, number).cookies.get_dict() for number in call_takers
        ]
        since = datetime.now(UTC)
        locust = run_locust(stack.front, the_plan, args.minutes * 60, args.processes, workdir)
        groups = {
            "web processes": [p.pid for p in stack.webs],
            "workers": [p.pid for p in stack.workers],
            "HAProxy": [stack.haproxy.pid] if stack.haproxy else [],
            "Prism": [stack.prism.pid] if stack.prism else [],
            "Locust (the client)": [locust.pid],
            "PostgreSQL": [postmaster_pid(admin_url)],
        }
        sampler = Sampler(url, groups)
        locust.wait(timeout=args.minutes * 60 + 120)
        sampler.stop()
        if locust.returncode not in (0, 1):  # 1: some requests failed (reported below)
            tail = (workdir / "locust.log").read_text()[-3000:]
            raise SystemExit(f"Locust ended with {locust.returncode}:\n{tail}")
        log(f"  load over; waiting for the workers to send what is queued (≤ {args.drain:.0f} s)")
        drained = drain(url, since, args.drain)
        return Result(
            label=label,
            rows=read_stats(workdir),
            failures=read_failures(workdir),
            cpu=sampler.cpu,
            seconds=sampler.seconds,
            connections=sampler.connections,
            active=sampler.active,
            facts=database_facts(url, since),
            drained_s=drained,
            users=the_plan["users"],
            errors=count_errors(workdir),
        )
    finally:
        if stack is not None:
            stack.stop()
        if args.keep:
            log(f"  logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        drop_database(admin_url, name)


def postmaster_pid(admin_url: str) -> int:
    engine = make_engine(admin_url)
    try:
        with engine.connect() as conn:
            folder = conn.scalar(text("SHOW data_directory"))
    finally:
        engine.dispose()
    return int(Path(str(folder), "postmaster.pid").read_text().split()[0])


# --- the report -------------------------------------------------------------------------------


def _num(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _worst_p99(result: Result, prefix: str) -> float:
    return max(
        (r.p99 for r in result.rows if r.name.startswith(prefix) and r.kind != "outcome"),
        default=0.0,
    )


def _verdict(shown: str, ok: bool) -> str:
    return f"{shown} {'met' if ok else '**missed**'}"


def targets(_first: Result) -> list[tuple[str, Any]]:
    """The issue's targets: (label, result → (figure shown, met?))."""
    sms = ("confirmations queued more than once", "confirmations not sent after the drain",
           "new bookings without a confirmation queued", "SMS sent twice (same provider sid)")  # fmt: skip
    bookings = ("confirmed bookings overlapping on one staff member",
                "confirmed bookings without a reservation")  # fmt: skip

    def lag(r: Result) -> tuple[str, bool]:
        if not r.facts["lags"]:
            return "no SMS sent", False
        p95 = pct(r.facts["lags"], 95)
        return f"{p95:.1f} s", p95 < TARGET_LAG_S

    return [
        ("citizen pages: worst p99 < 300 ms",
         lambda r: (f"{_worst_p99(r, 'citizen:'):.0f} ms", _worst_p99(r, "citizen:") < TARGETS["citizen"])),
        ("voice webhooks: worst p99 ≤ 50 ms",
         lambda r: (f"{_worst_p99(r, 'voice:'):.0f} ms", _worst_p99(r, "voice:") <= TARGETS["voice"])),
        ("errors (failed requests + exceptions in walks) = 0", lambda r: (str(r.errors), r.errors == 0)),
        ("lost or duplicated SMS = 0",
         lambda r: (str(sum(r.facts["checks"][c] for c in sms)), not any(r.facts["checks"][c] for c in sms))),
        ("double or phantom bookings = 0",
         lambda r: (str(sum(r.facts["checks"][c] for c in bookings)),
                    not any(r.facts["checks"][c] for c in bookings))),
        ("SMS lag p95 < 60 s", lag),
    ]  # fmt: skip


def render(results: list[Result], args: argparse.Namespace, machine: dict[str, str]) -> str:
    heads = [r.label for r in results]
    lines = [
        START,
        "## The Monday-morning peak (`bench/peak.py`)",
        "",
    ]
    if args.smoke_note:
        lines += [f"**{args.smoke_note}**", ""]
    lines += [
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: `bench/peak.py --scale {args.scale} "
        f"--minutes {args.minutes} --processes {args.processes}` (the issue's rates × "
        f"{args.scale}), {args.appointments} appointments seeded. Machine: "
        + ", ".join(
            f"{k} {v}"
            for k, v in machine.items()
            if k in ("code (git)", "nproc", "CPU", "PostgreSQL")
        ),
        "",
        "Per request kind: p50 / p95 / p99 ms, requests (failures). Outcomes count handled ends "
        "of a walk (a moment taken meanwhile is one), not errors.",
        "",
        "| request | " + " | ".join(heads) + " |",
        "| --- |" + " --- |" * len(heads),
    ]
    names = sorted(
        {(row.kind, row.name) for r in results for row in r.rows},
        key=lambda k: (k[0] == "outcome", k[1]),
    )
    for kind, name in names:
        cells = []
        for r in results:
            row = next((x for x in r.rows if (x.kind, x.name) == (kind, name)), None)
            if row is None:
                cells.append("—")
            elif kind == "outcome":
                cells.append(str(row.count))
            else:
                cells.append(
                    f"{_num(row.p50)} / {_num(row.p95)} / {_num(row.p99)} ms, {row.count} ({row.failures})"
                )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "| target | " + " | ".join(heads) + " |", "| --- |" + " --- |" * len(heads)]
    for label, check in targets(results[0]):
        lines.append(f"| {label} | " + " | ".join(_verdict(*check(r)) for r in results) + " |")
    lines += ["", "| measure | " + " | ".join(heads) + " |", "| --- |" + " --- |" * len(heads)]

    def add(label: str, cell: Any) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")

    add(
        "users (citizens, searchers, callers, consoles, reporters)",
        lambda r: ", ".join(str(v) for v in r.users.values()),
    )
    add("bookings made / reports filed", lambda r: f"{r.facts['booked']} / {r.facts['reports']}")
    add(
        "SMS lag p95 (booking → sent)",
        lambda r: (
            f"{pct(r.facts['lags'], 95):.1f} s ({len(r.facts['lags'])} sent)"
            if r.facts["lags"]
            else "—"
        ),
    )
    add("drain wait after the load", lambda r: f"{r.drained_s:.0f} s")
    add(
        "database connections: peak (peak active)",
        lambda r: f"{max(r.connections, default=0)} ({max(r.active, default=0)})",
    )
    for group in results[0].cpu:
        add(f"CPU cores: {group}", lambda r, g=group: f"{r.cpu.get(g, 0.0):.2f}")
    add(
        "Locust: CPU per process (1.00 = a saturated client)",
        lambda r: f"{r.cpu.get('Locust (the client)', 0.0) / (args.processes + 1):.2f}",
    )

    def per_min(r: Result, name: str) -> float:
        return sum(x.count for x in r.rows if x.name == name) / args.minutes

    add(
        "achieved: citizen walks / API searches a minute (planned)",
        lambda r: (
            f"{per_min(r, 'citizen: GET /book'):.1f} / "
            f"{per_min(r, 'api: GET /api/v1/slots'):.1f} "
            f"({CITIZENS_PER_MIN * args.scale:.1f} / {SEARCHES_PER_MIN * args.scale:.1f})"
        ),
    )
    add(
        "requests/s (all kinds)",
        lambda r: (
            f"{sum(x.count for x in r.rows if x.kind not in ('outcome', 'stream')) / r.seconds:.1f}"
        ),
    )
    for check in CHECKS:
        add(f"invariant: {check}", lambda r, c=check: str(r.facts["checks"][c]))
    for r in results:
        if r.failures:
            lines += ["", f"Failures ({r.label}):", "", *[f"- {f}" for f in r.failures[:10]]]
    lines.append(END)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="the issue's rates × this")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--setups", default="1,2", help="web processes per setup, e.g. 1,2")
    parser.add_argument("--processes", type=int, default=2, help="Locust worker processes")
    parser.add_argument("--appointments", type=int, default=None, help="default 200,000 × scale")
    parser.add_argument("--drain", type=float, default=120.0, help="max seconds to wait for SMS")
    parser.add_argument("--no-write", action="store_true", help="print only, leave RESULTS.md")
    parser.add_argument("--smoke-note", default="", help="a line above the figures in RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the processes' logs")
    args = parser.parse_args(argv)
    if args.appointments is None:
        args.appointments = max(2000, int(200_000 * min(1.0, args.scale)))
    admin_url = os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        raise SystemExit("TEST_POSTGRES_URL is not set: run through scripts/with-postgres.sh")
    admin = make_engine(admin_url)
    machine = machine_facts(admin)
    admin.dispose()
    results = [run_setup(admin_url, int(n), args) for n in args.setups.split(",")]
    section = render(results, args, machine)
    print("\n" + section)
    if not args.no_write:
        write_section(section, START, END)
        log("bench/RESULTS.md updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
