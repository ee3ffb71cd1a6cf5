"""A request id on every request, and with LOG_FORMAT=json one access line per request from
the app (method, route template, status, duration_ms, request id; the path in the message,
redacted as every log line is). gunicorn's own access log stays off (Procfile)."""

import logging
import re
import uuid

from flask import Flask, Response, g, request

from app import json_logs, metrics

log = logging.getLogger("blauwlijn.access")
HEADER = "X-Request-ID"
# An id the proxy in front gave keeps its value when it is a plain token; anything else is
# replaced (it is echoed in a header and written to the log).
_GIVEN = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id() -> str:
    """The current request's id: the proxy's X-Request-ID when plain, else a new one."""
    if "request_id" not in g:
        given = request.headers.get(HEADER, "")
        g.request_id = given if _GIVEN.fullmatch(given) else uuid.uuid4().hex
    found: str = g.request_id
    return found


def _echo(response: Response) -> Response:
    response.headers[HEADER] = request_id()
    return response


def _access_line(response: Response) -> Response:
    log.info(
        "%s %s %s",
        request.method,
        request.full_path.rstrip("?"),
        response.status_code,
        extra={
            "method": request.method,
            "route": metrics.route(),
            "status": response.status_code,
            "duration_ms": round(metrics.elapsed() * 1000, 1),
            "request_id": request_id(),
        },
    )
    return response


def init_app(app: Flask) -> None:
    app.after_request(_echo)
    if app.config["BLAUWLIJN"].log_format == "json":
        json_logs.install()
        log.setLevel(logging.INFO)
        app.after_request(_access_line)
