"""The live queue under 50 open consoles and 20 calls a minute (issue 7): how long from a
call entering the queue until it shows on every console (target: under 1 s).

    scripts/with-postgres.sh .venv/bin/python bench/console.py [--consoles 50] [--calls 50]

The app as production runs it: gunicorn with 4 threaded workers × 64 threads (the
Procfile's ``gthread``) on ``bench.floor_app:app`` (the product app plus ``/bench/floor``),
PostgreSQL with the demo zone, Twilio signatures checked (a test auth token and
PUBLIC_BASE_URL). Steps, all in one run:

1. ``--consoles`` new call-takers, each signed in through the real sign-in form (own
   ``requests.Session``, CSRF token read from the form; call-takers need no TOTP code) and
   set *available* with the console's status form;
2. each opens ``GET /console/events`` (one thread per console, reading ``event: queue``
   blocks as they arrive) and reconnects when the server ends the stream after
   ``CONSOLE_STREAM_SECONDS``, waiting the ``retry`` the stream gave, as a browser's
   EventSource does; the consoles open spread over one stream lifetime, as people open
   theirs at different moments (so the streams do not all reconnect at once);
3. idle: the streams alone for ``--idle-seconds`` (what the open consoles cost the server);
4. floor: the same clients ask ``GET /bench/floor`` (no database, no template) about once a
   second each for ``--floor-seconds``, with every stream open: a bare round trip through
   the same server under the same load;
5. calls: ``--calls`` calls ring in at ``--rate`` a minute (random, Poisson, arrivals)
   through the real webhooks with ``ivr.simulator.CallWalker``: signed ``POST /ivr/voice``,
   the topic key at ``/ivr/topic`` (answered with ``<Enqueue>``), one round of the wait
   URL, one more every 40 s, then the caller hangs up after ``--hold`` seconds (the
   Enqueue action with ``QueueResult=hangup``, then the status callback), so the line
   stays about 15 long instead of only growing. Each caller has their own number; a
   console "shows" a caller when an event lists that number.

Measured: from the moment the enqueuing webhook (``/ivr/topic``) returned to the moment
each console's stream delivered an event listing the caller, per console and for the last
of all consoles (the target's "every console"); the same for callers leaving; beside them
the floor, the webhooks' own times (and how many took longer than Twilio waits), the
server's CPU and PostgreSQL transactions per phase, the database connections the open
consoles hold (the streams wake on ``NOTIFY``: one listening connection per worker,
``callcenter.live``), and the HTTP connections each worker holds (a threaded worker queues
what its threads cannot take). ``--threads`` runs another ``WEB_THREADS``.
Prints a Markdown section and puts it into bench/RESULTS.md (kept by bench/run.py).
"""

import argparse
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: bench/console.py
    sys.path.insert(0, str(ROOT))

from app.config import Config  # noqa: E402  # after the path is set
from app.db import make_engine  # noqa: E402
from app.phone import e164_or_none  # noqa: E402
from app.staff.credentials import hash_password  # noqa: E402
from app.staff.models import StaffCredential  # noqa: E402
from bench.ivr import PUBLIC, TOKEN, demo_database  # noqa: E402
from bench.run import (  # noqa: E402
    Server,
    children_of,
    cpu_times,
    drop_database,
    machine_facts,
    pct,
    process_cpu,
    write_section,
)
from callcenter.events import COALESCE_SECONDS, SAFETY_SECONDS  # noqa: E402  # read only
from callcenter.live import APPLICATION_NAME as LISTENER  # noqa: E402
from ivr.simulator import CallWalker  # noqa: E402
from scheduling.enums import Role  # noqa: E402
from scheduling.models import Staff, StaffRole  # noqa: E402

START, END = "<!-- console-bench -->", "<!-- /console-bench -->"
WORKERS, THREADS = 4, 64  # the Procfile's defaults (WEB_CONCURRENCY × WEB_THREADS)
PASSWORD = "bench console password"  # noqa: S105  # throwaway accounts in a throwaway database
TARGET_S = 1.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
WAIT_ROUND_SECONDS = 40  # a waiting caller's hold music plays this long, then Twilio asks again
TWILIO_TIMEOUT = 15  # seconds Twilio waits for a webhook's answer before giving up on it
HTTP_TIMEOUT = 30  # the floor's clients


def now() -> float:
    return time.monotonic()


# --- call-takers ----------------------------------------------------------------------------


def add_call_takers(
    url: str, count: int, *, password: str = PASSWORD, prefix: str = "BENCH-CT"
) -> list[str]:
    """``count`` call-takers with ``password`` (one argon2 hash for all): their numbers."""
    digest = hash_password(password)
    numbers = [f"{prefix}-{i:03d}" for i in range(count)]
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        for i, number in enumerate(numbers):
            staff = Staff(personnel_number=number, name=f"Call-taker {i}")
            staff.roles = [StaffRole(role=Role.CALL_TAKER)]
            session.add(staff)
            session.flush()
            session.add(StaffCredential(staff_id=staff.id, password_hash=digest))
    engine.dispose()
    return numbers


def _csrf(http: requests.Session, url: str) -> str:
    page = http.get(url, timeout=30)
    page.raise_for_status()
    found = CSRF.search(page.text)
    if found is None:
        raise RuntimeError(f"no form with a CSRF token on {url}")
    return found.group(1)


class Browser(requests.Session):
    """PUBLIC_BASE_URL is https, so the session cookie is ``Secure``: a browser gets it over
    TLS at the proxy; this client talks plain HTTP to gunicorn, so it sends it anyway."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def sign_in(base: str, number: str) -> requests.Session:
    """A browser of its own: signed in through the sign-in form, status set to available."""
    http = Browser()
    token = _csrf(http, base + "/staff/login")
    answer = http.post(
        base + "/staff/login",
        data={"csrf_token": token, "personnel_number": number, "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    where = answer.headers.get("Location", "")
    if answer.status_code != 302 or "/staff/login" in where:
        raise RuntimeError(f"sign-in of {number}: HTTP {answer.status_code} → {where!r}")
    token = _csrf(http, base + "/console")
    answer = http.post(
        base + "/console/status",
        data={"csrf_token": token, "status": "available"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"status of {number}: HTTP {answer.status_code}")
    return http


# --- the consoles' streams ------------------------------------------------------------------


@dataclass
class Sighting:
    at: float
    on_connect: bool  # in the first queue event of a (re)connected stream


@dataclass
class Console:
    """One open console: its stream, read on a thread of its own, as EventSource reads it."""

    index: int
    base: str
    http: requests.Session
    stop: threading.Event
    retry: float = 1.0  # seconds before reconnecting; the stream's ``retry:`` sets it
    seen: dict[str, Sighting] = field(default_factory=dict)  # caller → first shown
    gone: dict[str, float] = field(default_factory=dict)  # caller → first shown no more
    shown: set[str] = field(default_factory=set)
    connects: int = 0
    events: int = 0
    first_event: list[float] = field(default_factory=list)  # connect → first queue event
    errors: list[str] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    _response: requests.Response | None = None
    _fresh: bool = False

    def run(self, delay: float) -> None:
        if self.stop.wait(delay):
            return
        while not self.stop.is_set():
            try:
                self._read_stream()
            except Exception as error:
                if self.stop.is_set():  # closed from outside to end the run
                    return
                self.errors.append(f"{type(error).__name__}: {error}")
            self.stop.wait(self.retry)  # EventSource waits ``retry`` before reconnecting

    def _read_stream(self) -> None:
        opened = now()
        with self.http.get(self.base + "/console/events", stream=True, timeout=(10, 60)) as r:
            r.raise_for_status()
            self._response = r
            self.connects += 1
            self._fresh = True
            buffer = b""
            for chunk in r.iter_content(chunk_size=None):
                at = now()
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    self._event(block.decode(), at, opened)
                if self.stop.is_set():
                    return

    def _event(self, block: str, at: float, opened: float) -> None:
        fields: dict[str, str] = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
        if "retry" in fields:
            self.retry = int(fields["retry"]) / 1000
        if fields.get("event") != "queue":
            return
        callers = {row["caller"] for row in json.loads(fields["data"]) if row["caller"]}
        self.events += 1
        if self._fresh:
            self.first_event.append(at - opened)
        for caller in callers - self.seen.keys():
            self.seen[caller] = Sighting(at, self._fresh)
        for caller in self.shown - callers:
            self.gone.setdefault(caller, at)
        self.shown = callers
        self._fresh = False
        self.ready.set()

    def close(self) -> None:
        response = self._response
        if response is not None:
            response.close()  # ends the read on the console's thread


# --- the callers ----------------------------------------------------------------------------


class TimedTransport:
    """``CallWalker``'s transport over HTTP (one keep-alive connection per call, as Twilio
    keeps one), noting when each webhook's answer came back."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()
        self.returned: dict[str, float] = {}  # path without query → when its answer came
        self.took: list[tuple[str, float]] = []  # (path without query, seconds) per webhook

    def post(self, path: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        began = now()
        response = self.http.post(self.base + path, data=params, headers=headers, timeout=120)
        done = now()
        name = urlsplit(path).path
        self.returned[name] = done
        self.took.append((name, done - began))
        return response.status_code, response.text


@dataclass
class Caller:
    number: str
    hold: float  # seconds in the queue before hanging up
    enqueued: float | None = None  # when the webhook answering <Enqueue> returned
    left: float | None = None  # when the Enqueue action (QueueResult=hangup) returned
    took: list[tuple[str, float]] = field(default_factory=list)
    error: str | None = None

    def ring(self, base: str) -> None:
        transport = TimedTransport(base)
        walker = CallWalker(
            transport,
            public_base_url=PUBLIC,
            auth_token=TOKEN,
            caller=self.number,
            queue_round_seconds=WAIT_ROUND_SECONDS,
        )
        try:
            walker.call()
            walker.press("1")  # Nederlands
            gather = walker.last.find("Gather")
            if gather is None or not gather.get("action", "").startswith("/ivr/topic"):
                raise RuntimeError(
                    "no topic choice: the IVR did not offer the call-takers (none available, "
                    "or closed: a public holiday?)"
                )
            walker.press("2")  # report or question: <Enqueue>, then the first wait round
            if walker.waiting_for != "queue":
                raise RuntimeError(f"not queued but waiting for {walker.waiting_for}")
            self.enqueued = transport.returned["/ivr/topic"]
            waited = now() - self.enqueued
            while waited < self.hold:
                time.sleep(min(WAIT_ROUND_SECONDS, self.hold - waited))
                waited = now() - self.enqueued
                if waited < self.hold:
                    walker.keep_waiting()
            walker.hang_up()
            self.left = transport.returned["/ivr/queue/done"]
        except Exception as error:  # reported with the figures
            self.error = f"{type(error).__name__}: {error}"
        finally:
            self.took = transport.took
            transport.http.close()


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Window:
    """CPU and database transactions over a phase of the run."""

    label: str
    seconds: float
    workers_cores: float
    pg_cores: float
    client_cores: float
    other_cores: float
    transactions: int

    @property
    def tps(self) -> float:
        return self.transactions / self.seconds


class Phase:
    def __init__(self, server: Server, engine: Engine, label: str) -> None:
        self.server, self.engine, self.label = server, engine, label
        self.pids = self._pids()
        self.cpu = {pid: process_cpu([pid]) for pid in self.pids}
        self.busy, self.total = cpu_times()
        self.own = time.process_time()
        self.xacts = self._xacts()
        self.began = now()

    def _pids(self) -> dict[int, str]:
        workers = dict.fromkeys(self.server.workers(), "workers")
        return workers | dict.fromkeys(self.server.pg_backends(), "pg")

    def _xacts(self) -> int:
        with self.engine.connect() as conn:
            return int(
                conn.scalar(
                    text(
                        "SELECT xact_commit + xact_rollback FROM pg_stat_database "
                        "WHERE datname = current_database()"
                    )
                )
            )

    def stop(self) -> Window:
        seconds = now() - self.began
        busy, total = cpu_times()
        cores = os.cpu_count() or 1
        machine = (busy - self.busy) / max(1.0, total - self.total) * cores
        used = {"workers": 0.0, "pg": 0.0}
        for pid, kind in (self.pids | self._pids()).items():
            if not Path(f"/proc/{pid}").exists():
                continue  # closed meanwhile: what it used is lost (a few pooled backends)
            # A backend opened meanwhile counts whole: its life lies inside the window.
            used[kind] += process_cpu([pid]) - self.cpu.get(pid, 0.0)
        workers, pg = used["workers"] / seconds, used["pg"] / seconds
        client = (time.process_time() - self.own) / seconds
        return Window(
            self.label,
            seconds,
            workers,
            pg,
            client,
            max(0.0, machine - workers - pg - client),
            self._xacts() - self.xacts,
        )


def floor_phase(base: str, count: int, seconds: float) -> tuple[list[float], int]:
    """``count`` clients ask the bare endpoint about once a second each (0.5–1.5 s apart):
    (the answered requests' latencies, how many got no answer within ``HTTP_TIMEOUT``)."""
    samples: list[float] = []
    unanswered = [0]
    lock = threading.Lock()
    deadline = now() + seconds

    def client() -> None:
        with requests.Session() as http:
            time.sleep(random.uniform(0, 1))  # not a secret
            while now() < deadline:
                began = now()
                try:
                    http.get(base + "/bench/floor", timeout=HTTP_TIMEOUT).raise_for_status()
                except requests.RequestException:
                    with lock:
                        unanswered[0] += 1
                    continue
                took = now() - began
                with lock:
                    samples.append(took)
                time.sleep(random.uniform(0.5, 1.5))

    threads = [threading.Thread(target=client) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return samples, unanswered[0]


def http_connections(server: Server) -> list[int]:
    """Open HTTP connections each worker holds (from /proc), most first: a gthread worker
    accepts more than it has threads, and the rest wait for a thread of that worker."""
    port = f":{server.port:04X}"
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if parts[1].endswith(port) and parts[3] == "01":  # ESTABLISHED, server side
            inodes.add(f"socket:[{parts[9]}]")
    counts = []
    for pid in server.workers():
        held = 0
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    held += os.readlink(fd) in inodes
                except OSError:
                    continue
        except OSError:
            continue
        counts.append(held)
    return sorted(counts, reverse=True)


def uptime() -> str:
    out = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout
    return out.strip() or f"load average {os.getloadavg()}"


def stream_seconds() -> int:
    """CONSOLE_STREAM_SECONDS as the server reads it (the environment or the default)."""
    return Config.from_env(
        ROOT / "instance", {"SECRET_KEY": secrets.token_hex(32), **os.environ}
    ).console_stream_seconds


# --- report ---------------------------------------------------------------------------------


def _ms(values: Sequence[float]) -> str:
    """p50 | p95 | p99 | max in ms."""
    if not values:
        return "– | – | – | –"
    return " | ".join(f"{pct(values, p) * 1000:.0f}" for p in (50, 95, 99)) + (
        f" | {max(values) * 1000:.0f}"
    )


def _row(label: str, values: Sequence[float], extra: str = "") -> str:
    return f"| {label} | {len(values):,} | {_ms(values)} | {extra} |"


def _reasons(callers: Sequence["Caller"]) -> str:
    counted = Counter((c.error or "not queued").split(":")[0] for c in callers)
    return ", ".join(f"{n}× {why}" for why, n in counted.most_common())


def database_connections(engine: Engine) -> tuple[int, int]:
    """(all connections to the bench's database, of which the listeners), from
    pg_stat_activity, this script's own left out."""
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT count(*), count(*) FILTER (WHERE application_name = :listener) "
                "FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            ),
            {"listener": LISTENER},
        ).one()
    return int(row[0]), int(row[1])


def _spread(values: Iterable[float]) -> str:
    listed = list(values)
    return f"{min(listed)}–{max(listed)}" if listed else "–"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--consoles", type=int, default=50)
    parser.add_argument("--calls", type=int, default=50, help="calls rung in (default 50)")
    parser.add_argument("--rate", type=float, default=20, help="calls a minute (default 20)")
    parser.add_argument(
        "--hold", type=float, nargs=2, default=(20, 75), metavar=("MIN", "MAX"),
        help="seconds a caller waits before hanging up (uniform; default 20 75)",
    )  # fmt: skip
    parser.add_argument("--idle-seconds", type=float, default=20)
    parser.add_argument("--floor-seconds", type=float, default=20)
    parser.add_argument(
        "--spread", type=float, default=None,
        help="seconds over which the consoles open (default: one stream lifetime)",
    )  # fmt: skip
    parser.add_argument(
        "--threads", type=int, default=THREADS,
        help=f"threads per worker, as WEB_THREADS sets them (default {THREADS}, the Procfile's)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    admin_url = os.environ.get("TEST_POSTGRES_URL")
    if not admin_url:
        print("TEST_POSTGRES_URL is not set: run through scripts/with-postgres.sh", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)  # not a secret
    lifetime = stream_seconds()
    spread = lifetime if args.spread is None else args.spread
    started = datetime.now(UTC)
    load_before = uptime()
    print(f"load before: {load_before}", flush=True)

    admin = make_engine(admin_url)
    machine = machine_facts(admin)
    admin.dispose()
    url, name = demo_database(admin_url, "bench_console")
    numbers = add_call_takers(url, args.consoles)
    engine = make_engine(url)
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "PUBLIC_BASE_URL": PUBLIC,
        # Calls are rung in whenever the bench runs; the hours themselves are not measured.
        "CALLTAKER_HOURS": "mon-sun 00:00-24:00",
        "CLOSED_DAYS": "",
    }
    log_path = Path(f"/tmp/bench-console-{os.getpid()}.log")  # noqa: S108  # a log
    server = Server(url, log_path, threads=args.threads, env=env)
    stop = threading.Event()
    consoles: list[Console] = []
    threads: list[threading.Thread] = []
    callers: list[Caller] = []
    windows: list[Window] = []
    held: dict[str, list[int]] = {}  # HTTP connections per worker, at moments of the run
    try:
        print(f"signing in {args.consoles} call-takers...", flush=True)
        for i, number in enumerate(numbers):
            consoles.append(Console(i, server.base, sign_in(server.base, number), stop))
        print(f"opening the consoles over {spread:.0f} s...", flush=True)
        for console in consoles:
            delay = rng.uniform(0, spread) if spread else 0.0
            thread = threading.Thread(target=console.run, args=(delay,), daemon=True)
            thread.start()
            threads.append(thread)
        deadline = now() + spread + 30
        for console in consoles:
            if not console.ready.wait(max(0.0, deadline - now())):
                raise RuntimeError(f"console {console.index} got no queue event: {console.errors}")

        print(f"idle: {args.idle_seconds:.0f} s with the streams only...", flush=True)
        meter = Phase(server, engine, "idle: the open consoles only")
        time.sleep(args.idle_seconds)
        windows.append(meter.stop())
        held["with the consoles open"] = http_connections(server)
        connections = database_connections(engine)

        print(f"floor: {args.floor_seconds:.0f} s of GET /bench/floor...", flush=True)
        meter = Phase(server, engine, "floor: GET /bench/floor, ~1/s per client, consoles open")
        floor, floor_unanswered = floor_phase(server.base, args.consoles, args.floor_seconds)
        windows.append(meter.stop())

        print(f"calls: {args.calls} at {args.rate:.0f} a minute...", flush=True)
        meter = Phase(server, engine, "calls: the open consoles and the calls")
        load_mid = ""
        calls_began = now()
        ringing: list[threading.Thread] = []
        at = calls_began
        for i in range(args.calls):
            number = f"+32470{100000 + i:06d}"
            assert e164_or_none(number) == number  # a valid mobile number, kept as is
            caller = Caller(number, rng.uniform(*args.hold))
            callers.append(caller)
            time.sleep(max(0.0, at - now()))
            thread = threading.Thread(target=caller.ring, args=(server.base,), daemon=True)
            thread.start()
            ringing.append(thread)
            at += rng.expovariate(args.rate / 60)
            if i == args.calls // 2:
                load_mid = uptime()
                held["half-way through the calls"] = http_connections(server)
        ring_seconds = now() - calls_began  # first call to last call
        for thread in ringing:
            thread.join(timeout=args.hold[1] + 4 * WAIT_ROUND_SECONDS)
        time.sleep(3)  # the last hang-ups reach the consoles
        windows.append(meter.stop())
    finally:
        stop.set()
        for console in consoles:
            console.close()
        for thread in threads:
            thread.join(timeout=5)
        load_after = uptime()
        workers = children_of(server.proc.pid)
        server.stop()
        engine.dispose()
        drop_database(admin_url, name)

    # --- figures ---------------------------------------------------------------------------
    failed = [c for c in callers if c.error or c.enqueued is None]
    queued = [c for c in callers if c.enqueued is not None]
    per_console: list[float] = []
    every: list[float] = []
    on_connect = 0
    missed = 0
    gone_each: list[float] = []
    gone_every: list[float] = []
    gone_missed = 0
    for caller in queued:
        assert caller.enqueued is not None
        delays = []
        for console in consoles:
            sighting = console.seen.get(caller.number)
            if sighting is None:
                missed += 1
                continue
            delays.append(sighting.at - caller.enqueued)
            on_connect += sighting.on_connect
        per_console += delays
        if len(delays) == len(consoles):
            every.append(max(delays))
        if caller.left is not None:
            leaving = [
                c.gone[caller.number] - caller.left for c in consoles if caller.number in c.gone
            ]
            gone_missed += len(consoles) - len(leaving)
            gone_each += leaving
            if len(leaving) == len(consoles):
                gone_every.append(max(leaving))
    topic_took = [t for c in callers for path, t in c.took if path == "/ivr/topic"]
    webhooks = [t for c in callers for _, t in c.took]
    p95_every = pct(every, 95) if every else float("inf")
    max_every = max(every) if every else float("inf")
    errors = [e for c in consoles for e in c.errors]
    first = [t for c in consoles for t in c.first_event]
    connects = [c.connects for c in consoles]
    calls_window = windows[-1]
    idle = windows[0]

    def verdict(value: float) -> str:
        return "met" if value < TARGET_S else "**NOT met**"

    facts = {k: machine[k] for k in ("code (git)", "CPU", "nproc", "RAM", "PostgreSQL")}
    lines = [
        START,
        "### Live queue on 50 consoles (`bench/console.py`)",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC on "
        + "; ".join(f"{k} {v}" for k, v in facts.items())
        + f". gunicorn {WORKERS} workers × {args.threads} threads (`gthread`"
        + (", the Procfile's defaults" if args.threads == THREADS else "")
        + f"; {len(workers)} workers up), PostgreSQL with the demo zone, signed webhooks. "
        f"{len(consoles)} call-takers signed in through the sign-in form and *available*, each "
        f"with `GET /console/events` open on a thread of its own (opened over {spread:.0f} s; "
        f"the server ends a stream after {lifetime} s and the client reconnects after the "
        f"stream's `retry`, as EventSource does: {_spread(connects)} connections per console); "
        "the streams wake on PostgreSQL `NOTIFY` (one listener per worker), a burst coalesced "
        f"to one snapshot per {COALESCE_SECONDS:g} s, and look every {SAFETY_SECONDS:g} s by "
        f"themselves. {len(callers)} calls "
        f"rang in over {ring_seconds:.0f} s ({(len(callers) - 1) / ring_seconds * 60:.1f} a "
        "minute, Poisson arrivals) through `/ivr/voice` → key `2` at `/ivr/topic` (`<Enqueue>`) → "
        f"wait rounds every {WAIT_ROUND_SECONDS} s → hang-up after {args.hold[0]:.0f}–"
        f"{args.hold[1]:.0f} s (Enqueue action `QueueResult=hangup`, then the status "
        "callback). Client, server and database share the machine's cores.",
        "",
        f"Machine load (`uptime`): before `{load_before.split('load average: ')[-1]}`, "
        f"half-way through the calls `{load_mid.split('load average: ')[-1]}`, after "
        f"`{load_after.split('load average: ')[-1]}`; during the calls other work took "
        f"{calls_window.other_cores:.2f} of {os.cpu_count()} cores.",
        "",
        "From the enqueuing webhook's answer (`/ivr/topic` returned) to the console's stream "
        "delivering an event that lists the caller; leaving: from the Enqueue action's "
        'answer (`QueueResult=hangup`) to an event without the caller. "Every console": '
        "per call, the last of the consoles. ms:",
        "",
        "| case | samples | p50 | p95 | p99 | max | |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        _row(
            "floor: GET /bench/floor, same clients, consoles open",
            floor,
            f"{len(floor) / args.floor_seconds:.0f} req/s answered; {floor_unanswered} "
            f"got no answer within {HTTP_TIMEOUT} s",
        ),
        _row("the enqueuing webhook `/ivr/topic` itself", topic_took, ""),
        _row(
            "all webhooks of the calls",
            webhooks,
            f"{sum(t > TWILIO_TIMEOUT for t in webhooks)} over Twilio's {TWILIO_TIMEOUT} s",
        ),
        _row(
            "**call shown, per console**",
            per_console,
            f"missed: {missed}; {on_connect} came with a reconnect",
        ),
        _row("**call shown on every console**", every, f"{len(every)} calls"),
        _row("caller gone, per console", gone_each, f"missed: {gone_missed}"),
        _row("caller gone from every console", gone_every, f"{len(gone_every)} calls"),
        "",
        "Server cost (cores of the machine, averaged over each phase; transactions from "
        "`pg_stat_database`, flushed by PostgreSQL with some delay):",
        "",
        "| phase | s | workers | PostgreSQL | client | other work | transactions/s |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[
            f"| {w.label} | {w.seconds:.0f} | {w.workers_cores:.2f} | {w.pg_cores:.2f} "
            f"| {w.client_cores:.2f} | {w.other_cores:.2f} | {w.tps:.0f} |"
            for w in windows
        ],
        "",
        f"The open consoles alone: {idle.tps:.0f} transactions/s for {len(consoles)} streams "
        f"(each looks every {SAFETY_SECONDS:g} s by itself; the status keep-alive adds a "
        "write per console every 30 s), "
        f"{idle.workers_cores + idle.pg_cores:.2f} cores of server CPU; database connections "
        f"open: {connections[0]}, of which {connections[1]} listening.",
        "",
        "| target | wanted | measured | |",
        "| --- | --- | --- | --- |",
        f"| call shown on every console, p95 | < {TARGET_S:g} s | {p95_every * 1000:.0f} ms "
        f"| {verdict(p95_every)} |",
        f"| call shown on every console, max | < {TARGET_S:g} s | {max_every * 1000:.0f} ms "
        f"| {verdict(max_every)} |",
        f"| missed sightings | 0 | {missed} | {'met' if missed == 0 else '**NOT met**'} |",
        "",
        f"HTTP connections held per worker ({args.threads} threads each; a `gthread` worker "
        "accepts more connections than it has threads, and the requests beyond them wait "
        "for one of its threads): "
        + "; ".join(f"{when}: {' / '.join(map(str, n))}" for when, n in held.items())
        + ".",
        "",
        f"A (re)connected stream's first event came {_ms(first).replace(' | ', ' / ')} ms "
        f"(p50 / p95 / p99 / max) after its request; {sum(t > 1 for t in first)} of "
        f"{len(first)} waited more than 1 s. Calls that failed: {len(failed)}"
        + (f" ({_reasons(failed)})" if failed else "")
        + f"; stream errors (a stream that broke instead of ending): {len(errors)}.",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if failed or errors:
        print(f"\n{len(failed)} calls failed, {len(errors)} stream errors:", file=sys.stderr)
        for c in failed[:10]:
            print(f"  {c.number}: {c.error}", file=sys.stderr)
        for e in errors[:10]:
            print(f"  stream: {e}", file=sys.stderr)
    print(f"server log: {log_path}", flush=True)
    if not args.no_write:
        write_section(section, START, END)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
