"""Prometheus metrics: requests by route template and status, their latency (the Twilio
webhooks under /ivr and /sms included), and the database gauges of app.gauges, served on
``GET /metrics`` to whoever holds METRICS_TOKEN (unset: 404).

Labels carry the URL rule (``/appointment/<token>``), never the path asked: no token, phone
number or address reaches a label. Under gunicorn each worker counts for itself; with
PROMETHEUS_MULTIPROC_DIR set (an empty folder, wiped at each start: docs/operations.md)
prometheus_client writes the counts there and a scrape adds up every worker's."""

import hmac
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import Metric
from sqlalchemy.exc import SQLAlchemyError

from app import current, gauges, ratelimit
from app.db import get_session

REQUESTS = Counter(
    "blauwlijn_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "blauwlijn_http_request_duration_seconds",
    "Time from the request's arrival in the app to its answer, by method and route template",
    ["method", "route"],
    # Twilio gives a webhook 15 s; a page should take well under a second.
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0),
)
UNMATCHED = "[unmatched]"  # a path no route has (404, 405): its text is never a label
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BUCKET = "metrics-ip"
_STARTED = "blauwlijn_started"


def route() -> str:
    """The current request's URL rule, or UNMATCHED."""
    return request.url_rule.rule if request.url_rule is not None else UNMATCHED


def _method() -> str:
    """The method as a label: any other word a client sends is OTHER (each label value is a
    series kept by every worker: a client must not be able to add them without end)."""
    return request.method if request.method in METHODS else "OTHER"


def elapsed() -> float:
    """Seconds since the app began this request (app.metrics' first before_request)."""
    return time.perf_counter() - g.get(_STARTED, time.perf_counter())


def _start() -> None:
    g.setdefault(_STARTED, time.perf_counter())


def _count(response: Response) -> Response:
    method, rule = _method(), route()
    REQUESTS.labels(method, rule, str(response.status_code)).inc()
    LATENCY.labels(method, rule).observe(elapsed())
    return response


class _ThisProcess:
    """The process's own registry as a collector of a per-scrape registry."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def exposition() -> bytes:
    """Every worker's counts (multi-process mode) or this process's, and the DB gauges."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    found = current_app.extensions.get("metrics_gauges", [])
    registry.register(gauges.DatabaseCollector(found, get_session(), datetime.now(UTC)))
    return generate_latest(registry)


def _authorised(token: str) -> bool:
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode())


def _too_many_wrong(address: str) -> bool:
    """Count a wrong token against ``address``; True past the hourly limit. With the database
    down the try is not counted (a 401 still, not a 500)."""
    session = get_session()
    try:
        if ratelimit.over_limit(session, BUCKET, address, now=datetime.now(UTC)):
            return True
        ratelimit.count_hit(BUCKET, address)
        session.commit()  # a 401 rolls back: the wrong try is committed first
    except SQLAlchemyError:
        session.rollback()
    return False


def metrics() -> Response:
    token = current.config().metrics_token
    if token is None:
        abort(404)  # not configured: as if there were no such page
    if not _authorised(token):
        if _too_many_wrong(request.remote_addr or "unknown"):
            abort(429)
        return Response(
            "Unauthorized\n",
            401,
            {"WWW-Authenticate": 'Bearer realm="metrics"'},
            mimetype="text/plain",
        )
    return Response(exposition(), content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """First of the app's hooks: the clock starts before any other check runs, and the count
    is made after every other answer hook (the commit included)."""
    app.before_request(_start)
    app.after_request(_count)
    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])
    gauges.init_app(app)
