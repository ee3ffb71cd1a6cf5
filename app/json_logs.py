"""LOG_FORMAT=json: every log record of the process as one JSON line (time, level, logger,
message; a request's access line adds method, route, status, duration_ms and request_id),
for a log platform that reads fields rather than text. The default stays plain text.

The redaction of app.logs still applies: the message is redacted when the record is made,
and every other text field here again (fields given with ``extra=`` are set after that)."""

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from app.logs import redact

# The fields a record may carry besides its message (app.access_log sets them).
FIELDS = ("method", "route", "status", "duration_ms", "request_id")


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = redact(value) if isinstance(value, str) else value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def use_json(logger: logging.Logger) -> None:
    """Write ``logger``'s records as JSON: its handlers reformatted, or one on stderr if it
    has none."""
    if not logger.handlers:
        logger.addHandler(logging.StreamHandler(sys.stderr))
    for handler in logger.handlers:
        handler.setFormatter(JsonFormatter())


def install() -> None:
    """JSON for the whole process: the root logger's handlers, which the records of every
    logger without handlers of its own reach (Flask then adds no text handler of its own)."""
    use_json(logging.getLogger())
