"""gunicorn settings read by every `gunicorn` started from the project folder (web, make run)."""

import os
from pathlib import Path
from typing import Any

from app.limits import MAX_HEADER_BYTES, MAX_HEADERS, MAX_REQUEST_LINE_BYTES

logger_class = "app.logs.RedactingLogger"  # no token, address or phone number in any log line

# What gunicorn reads before the application sees a request (app/limits.py says why these;
# the API document and README state them). Beyond them gunicorn answers a plain 400.
limit_request_line = MAX_REQUEST_LINE_BYTES
limit_request_fields = MAX_HEADERS
limit_request_field_size = MAX_HEADER_BYTES


def on_starting(_server: object) -> None:
    """PROMETHEUS_MULTIPROC_DIR (app/metrics.py): each worker writes its counts there and a
    scrape adds them up; the folder starts empty, so counts of an earlier run are not added."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for old in Path(folder).glob("*.db"):
            old.unlink()


def child_exit(_server: object, worker: Any) -> None:
    """A worker that ended leaves the scrape's live gauges (its counts stay in the sums)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
