"""The environment of a worker process a test starts.

Under `make test` (libfaketime, tests/test_clock.py) the child keeps the moved date but the
machine's monotonic clock: with a moved monotonic clock a thread's timed wait (APScheduler's
Event.wait) never times out, so the worker would run its jobs once and never again. (pytest
itself keeps it moved: its time.sleep fails without.)
"""

import os


def worker_env(**values: str) -> dict[str, str]:
    env = {**os.environ, **values}
    if "FAKETIME" in env:
        env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
    return env
