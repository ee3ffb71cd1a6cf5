"""Access logs without secrets: manage and calendar-feed tokens in paths are masked."""

import logging
import re
from typing import Any

from flask import Flask
from gunicorn.glogging import Logger

# /appointment/<token>..., /api/v1/bookings/<token>... and a staff member's calendar feed
# /staff/calendar/<token>.ics: the token is a password.
_SECRET_IN_PATH = re.compile(r"(/appointment/|/api/v1/bookings/|/staff/calendar/)[A-Za-z0-9_-]{8,}")


def redact(text: str) -> str:
    return _SECRET_IN_PATH.sub(r"\1[token]", text)


class RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with every logged value redacted."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        # Every atom: the path also travels in {raw_uri}e, {path_info}e, the referer...
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}


class RedactingFilter(logging.Filter):
    """Masks tokens in the app's own log records ("Exception on /appointment/<token>")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def init_app(app: Flask) -> None:
    app.logger.addFilter(RedactingFilter())
