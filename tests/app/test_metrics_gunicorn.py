"""The Procfile's way, for real: gunicorn with two workers and PROMETHEUS_MULTIPROC_DIR
answers every worker's counts on any scrape, and LOG_FORMAT=json makes its every line JSON."""

import json
import os
import socket
import subprocess
import sys
import time as clock
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import TEST_SECRET_KEY

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "g" * 32
HITS = 20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthz_count(base: str) -> float:
    answer = requests.get(
        f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10
    )
    assert answer.status_code == 200
    return sum(
        sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
        if sample.name == "blauwlijn_http_requests_total" and sample.labels["route"] == "/healthz"
    )


def test_two_workers_counted_as_one(fresh_database, tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"an earlier run's")  # emptied at start
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database("postgresql"),
        "SECRET_KEY": TEST_SECRET_KEY,
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "LOG_FORMAT": "json",
    }
    log_path = tmp_path / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            # --timeout 0: under libfaketime a slow-booting worker looks silent (test_booking_race)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                "2",
                "--timeout",
                "0",
                "-b",
                f"127.0.0.1:{port}",
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            _wait_until_serving(base, proc, log_path)
            with ThreadPoolExecutor(4) as pool:
                statuses = list(
                    pool.map(
                        lambda _: requests.get(f"{base}/healthz", timeout=10).status_code,
                        range(HITS),
                    )
                )
            assert statuses == [200] * HITS
            # Whichever worker answers the scrape, it adds up both.
            assert {_healthz_count(base) for _ in range(6)} == {HITS + 1}  # + the wait's probe
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    assert not (folder / "counter_1.db").exists()
    lines = [line for line in log_path.read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert {"gunicorn.error", "blauwlijn.access"} <= {record["logger"] for record in records}


def _wait_until_serving(base: str, proc: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = clock.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/healthz", timeout=5)
            return
        except requests.RequestException:
            if clock.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("gunicorn did not start: " + log_path.read_text())
            clock.sleep(0.2)
