"""Voice webhooks under 50 concurrent simulated calls, beside the bare-endpoint floor.

    scripts/with-postgres.sh .venv/bin/python bench/ivr.py [--calls 50] [--seconds 15]

A fresh PostgreSQL database with the demo zone, gunicorn with 4 sync workers on
``bench.floor_app:app`` (the product app plus ``/bench/floor``), signatures checked
(TWILIO_AUTH_TOKEN set, every request signed like Twilio). Two runs, one Python thread per
call, each call = entry (``POST /ivr/voice``: the language question), ``1`` for Dutch, then
``4`` information and ``*`` back to the menu, on a new CallSid:

* saturated: the callers send without pause, to compare throughput with the floor
  (``GET /bench/floor`` by as many threads, same client, same run);
* paced: each caller waits 1 s between webhooks (a caller listens before pressing a key),
  for the latency callers actually get: p50/p99 per webhook beside the floor's.

Prints a Markdown section and puts it into bench/RESULTS.md (kept by bench/run.py).
"""

import argparse
import os
import random
import secrets
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
from sqlalchemy.orm import Session
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.db import make_engine  # noqa: E402  # after the path is set
from app.demo.seed import seed_demo  # noqa: E402
from bench.run import (  # noqa: E402
    Server,
    create_database,
    drop_database,
    pct,
    write_section,
)

START, END = "<!-- ivr-bench -->", "<!-- /ivr-bench -->"
TOKEN = "bench-token"  # noqa: S105  # a throwaway server's token
PUBLIC = "https://blauwlijn.example"
TARGET_P99_MS = 50.0
TARGET_SHARE = 0.5


def demo_database(admin_url: str, prefix: str) -> tuple[str, str]:
    """A fresh migrated PostgreSQL database with the demo zone: (its URL, its name)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    url = create_database(admin_url, name)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        seed_demo(session, now=datetime.now(UTC), zone=ZoneInfo("Europe/Brussels"))
    engine.dispose()
    return url, name


def _signed(session: requests.Session, base: str, path: str, form: dict[str, str]) -> float:
    """POST like Twilio; the seconds it took."""
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + path, form)
    began = time.perf_counter()
    response = session.post(base + path, data=form, headers={"X-Twilio-Signature": signature})
    took = time.perf_counter() - began
    if response.status_code != 200 or b"<Response" not in response.content:
        raise RuntimeError(f"{path}: HTTP {response.status_code} {response.text[:200]}")
    return took


def _listen(pause: float) -> None:
    """A caller listens for about ``pause`` seconds: some are quicker, some slower, so 50
    callers do not all press a key at the same instant."""
    time.sleep(pause * random.uniform(0.5, 1.5))  # not a secret


def one_call(session: requests.Session, base: str, pause: float) -> dict[str, float]:
    form = {"CallSid": "CA" + secrets.token_hex(16), "From": "+32470123456", "To": "+3254313501"}
    times = {"entry": _signed(session, base, "/ivr/voice", form)}
    _listen(pause)
    times["language 1"] = _signed(session, base, "/ivr/language?s=1", {**form, "Digits": "1"})
    _listen(pause)
    times["menu 4"] = _signed(session, base, "/ivr/menu?s=2", {**form, "Digits": "4"})
    _listen(pause)
    times["info *"] = _signed(session, base, "/ivr/info?s=3", {**form, "Digits": "*"})
    _listen(pause)  # the next call on this line comes a while later
    return times


def floor_request(session: requests.Session, base: str, pause: float) -> dict[str, float]:
    began = time.perf_counter()
    session.get(base + "/bench/floor").raise_for_status()
    took = time.perf_counter() - began
    _listen(pause)  # paced like a call: the client's own delays show in both alike
    return {"floor": took}


def drive(
    work: Callable[[requests.Session, str, float], dict[str, float]],
    base: str,
    *,
    threads: int,
    seconds: float,
    pause: float,
) -> tuple[dict[str, list[float]], float]:
    """Run ``work`` in a loop on ``threads`` threads for ``seconds``: (latencies, wall)."""
    samples: dict[str, list[float]] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop() -> None:
        _listen(pause)  # paced callers ring in one by one, not all at the first second
        with requests.Session() as session:
            while time.monotonic() < stop:
                for name, took in work(session, base, pause).items():
                    with lock:
                        samples.setdefault(name, []).append(took)

    began = time.monotonic()
    pool = [threading.Thread(target=loop) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return samples, time.monotonic() - began


def _row(label: str, values: list[float], wall: float) -> str:
    return (
        f"| {label} | {len(values):,} | {len(values) / wall:.0f} | "
        f"{pct(values, 50) * 1000:.1f} | {pct(values, 99) * 1000:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    admin_url = os.environ["TEST_POSTGRES_URL"]
    url, name = demo_database(admin_url, "bench_ivr")
    os.environ.update(TWILIO_AUTH_TOKEN=TOKEN, PUBLIC_BASE_URL=PUBLIC)
    server = Server(url, Path(f"/tmp/bench-ivr-{os.getpid()}.log"))  # noqa: S108  # a log
    try:
        drive(one_call, server.base, threads=args.calls, seconds=2, pause=0)  # warm-up
        floor, floor_wall = drive(
            floor_request, server.base, threads=args.calls, seconds=args.seconds, pause=0
        )
        calls, calls_wall = drive(
            one_call, server.base, threads=args.calls, seconds=args.seconds, pause=0
        )
        paced_floor, pf_wall = drive(
            floor_request, server.base, threads=args.calls, seconds=args.seconds, pause=1.0
        )
        paced, paced_wall = drive(
            one_call, server.base, threads=args.calls, seconds=args.seconds, pause=1.0
        )
    finally:
        server.stop()
        drop_database(admin_url, name)
    webhook_rate = sum(len(v) for v in calls.values()) / calls_wall
    floor_rate = len(floor["floor"]) / floor_wall
    paced_all = [t for v in paced.values() for t in v]
    p99 = pct(paced_all, 99) * 1000
    share = webhook_rate / floor_rate
    machine = f"{os.cpu_count()} cores, {Path('/proc/cpuinfo').read_text().split('model name')[1].split(':')[1].splitlines()[0].strip()}"
    section = "\n".join(
        [
            START,
            "### Voice webhooks (`bench/ivr.py`)",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine}; PostgreSQL with the demo "
            f"zone, gunicorn 4 sync workers, signatures checked, {args.calls} concurrent calls "
            "(one Python thread each, on the same machine as the server), "
            f"{args.seconds:.0f} s per run. A call = entry + menu `4` + menu `*`. "
            f"Load average at the end: {os.getloadavg()[0]:.1f} (other work on the machine "
            "shows here and in the floor).",
            "",
            "Saturated (no pause between webhooks):",
            "",
            "| case | requests | req/s | p50 ms | p99 ms |",
            "| --- | --- | --- | --- | --- |",
            _row("floor: GET /bench/floor", floor["floor"], floor_wall),
            *(_row(f"POST {k}", v, calls_wall) for k, v in calls.items()),
            f"| all webhooks | {sum(len(v) for v in calls.values()):,} | {webhook_rate:.0f} | | |",
            "",
            "Paced (each caller listens 0.5–1.5 s before the next webhook; calls start "
            "spread over the first seconds, as real callers do not ring in one instant):",
            "",
            "| case | requests | req/s | p50 ms | p99 ms |",
            "| --- | --- | --- | --- | --- |",
            _row("floor: GET /bench/floor, paced alike", paced_floor["floor"], pf_wall),
            *(_row(f"POST {k}", v, paced_wall) for k, v in paced.items()),
            "",
            "| target | wanted | measured | |",
            "| --- | --- | --- | --- |",
            f"| webhook p99, 50 paced calls | ≤ {TARGET_P99_MS:.0f} ms | {p99:.1f} ms | "
            f"{'met' if p99 <= TARGET_P99_MS else 'NOT met'} |",
            f"| webhook throughput / floor's, saturated | ≥ {TARGET_SHARE:.0%} | {share:.0%} "
            f"({webhook_rate:.0f} / {floor_rate:.0f} req/s) | "
            f"{'met' if share >= TARGET_SHARE else 'NOT met'} |",
            END,
        ]
    )
    print(section)
    write_section(section, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
