"""One redaction for every log line: no token, phone number, e-mail address or searched
address reaches a log.

``install()`` makes every log record of the process redacted when it is made, whichever
logger made it (ours, Flask's, SQLAlchemy's, APScheduler's, gunicorn's error and access
logs) and whichever handler writes it. It runs once per process: from ``create_app`` (web
workers, the worker, the CLI) and from gunicorn's logger class (the master). A filter on a
logger misses the records of every other logger; one on the handlers misses handlers added
later (gunicorn's, the worker's ``basicConfig``).

Names and street addresses cannot be recognised in free text: code never logs them (the log
SMS transport writes a masked number and no text, SQLAlchemy hides bound parameters), and
what a URL carries (query strings, tokens in paths) is masked here.
"""

import logging
import os
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.glogging import Logger

# /appointment/<token>..., /api/v1/bookings/<token>..., a report's status page
# /status/<token>... and a staff member's calendar feed /staff/calendar/<token>.ics: the
# token is a password.
_SECRET_IN_PATH = re.compile(
    r"(/appointment/|/api/v1/bookings/|/status/|/staff/calendar/)[A-Za-z0-9_-]{8,}"
)
# Query parameters that never carry a person (a week shown, a language, a date, a staff id):
# every other value — an address searched, an invitation code — is masked.
SAFE_QUERY_KEYS = frozenset(
    {
        "lang",
        "week",
        "new",
        "service",
        "location",
        "from",
        "to",
        "until",
        "day",
        "view",
        "staff",
        "quiet",
        "attempt",
        "officer",
    }
)
_QUERY = re.compile(r"\?([^\s\"'<>#]*)")
# +32470123456, +32 470 12 34 56, 0032...; 0470 12 34 56, 0470/12.34.56, 054 31 35 01.
# Not "-": dates (2026-12-02) and not after a word, a dot or a slash (SIDs, IP addresses).
_INTERNATIONAL = re.compile(r"(?<![\w+])(?:\+|00)\d(?:[ ./]?\d){7,14}(?!\w)")
_NATIONAL = re.compile(r"(?<![\w+./-])0\d(?:[ ./]?\d){7,8}(?!\w)")
# A match starts only at a word's edge: tried at every position, a long user agent or URL
# of letters would cost quadratic time on every access-log line.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASKED = "[x]"
# Request headers and environ entries that are credentials: the session cookie, API keys.
_CREDENTIAL_ATOMS = frozenset(
    {"{cookie}i", "{authorization}i", "{set-cookie}o", "{http_cookie}e", "{http_authorization}e"}
)


def mask_email(address: str) -> str:
    """griet@vandamme.example.be → g***@vandamme.example.be: which office, not who."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


def mask_phone(number: str) -> str:
    """+32470123456 → +32*******56: enough to tell two messages apart, not to call anyone."""
    digits = re.sub(r"\D", "", number)
    head = number[:3] if number.startswith("+") else number[:1]
    return head + "*" * max(len(digits) - 4, 3) + digits[-2:]


def redact_query(query: str) -> str:
    """``postcode=1547&lang=nl`` → ``postcode=[x]&lang=nl``: only SAFE_QUERY_KEYS keep values."""
    kept = []
    for part in query.split("&"):
        key, has_value, _value = part.partition("=")
        if not part or (has_value and key in SAFE_QUERY_KEYS):
            kept.append(part)
        else:
            kept.append(f"{key}={MASKED}" if has_value else MASKED)
    return "&".join(kept)


def redact(text: str) -> str:
    """The text with tokens in paths, query values, phone numbers and e-mail addresses masked."""
    text = _SECRET_IN_PATH.sub(r"\1[token]", text)
    text = _QUERY.sub(lambda m: "?" + redact_query(m.group(1)), text)
    text = _EMAIL.sub("[e-mail]", text)
    text = _INTERNATIONAL.sub(lambda m: mask_phone(m.group(0)), text)
    return _NATIONAL.sub(lambda m: mask_phone(m.group(0)), text)


_traceback = logging.Formatter()


def _redacted(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: logging reports it when the record is emitted
        return record
    record.msg, record.args = redact(message), ()
    if record.exc_info and not record.exc_text:
        # Formatters use exc_text when set: the traceback's messages are redacted too.
        record.exc_text = redact(_traceback.formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install() -> None:
    """Redact every log record this process makes from now on (once; later calls do nothing)."""
    make: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(make, "redacting", False):
        return

    def redacting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _redacted(make(*args, **kwargs))

    redacting.redacting = True  # type: ignore[attr-defined]  # a mark; functions have no typed attributes
    logging.setLogRecordFactory(redacting)


class RedactingLogger(Logger):
    """gunicorn's logger (gunicorn.conf.py): the access log's atoms redacted one by one, as
    the bare query string (``%(q)s``) is no URL the line-wide redaction would recognise."""

    def __init__(self, cfg: Any) -> None:
        install()  # gunicorn's master logs before any worker has built the app
        super().__init__(cfg)

    def setup(self, cfg: Any) -> None:
        """gunicorn's handlers, JSON lines too when LOG_FORMAT=json (app.json_logs)."""
        super().setup(cfg)
        from app.config import log_format  # here: app.config is heavier than a logger needs
        from app.json_logs import JsonFormatter  # it imports this module

        if log_format(os.environ) == "json":
            for handler in (*self.error_log.handlers, *self.access_log.handlers):
                handler.setFormatter(JsonFormatter())

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if not isinstance(value, str):
                continue
            if name in _CREDENTIAL_ATOMS:
                atoms[name] = MASKED
            elif name in ("q", "{query_string}e"):
                atoms[name] = redact(redact_query(value))
            else:
                atoms[name] = redact(value)
        return atoms


def init_app(_app: Flask) -> None:
    install()
