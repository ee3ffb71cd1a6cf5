"""Manage tokens never reach the access log."""

import datetime

from gunicorn.config import Config

from app.logs import RedactingLogger, redact


def test_tokens_in_paths_are_masked_and_other_paths_kept():
    assert redact("GET /appointment/AbC_123-xyz45678?new=1 HTTP/1.1") == (
        "GET /appointment/[token]?new=1 HTTP/1.1"
    )
    assert redact("/api/v1/bookings/AbC_123-xyz45678/cancel") == "/api/v1/bookings/[token]/cancel"
    assert redact("/api/v1/slots?service=wijkagent") == "/api/v1/slots?service=wijkagent"


class _Response:
    status = "200 OK"
    sent = 12
    headers = ()
    response_length = 12


class _Request:
    headers = ()
    method = "GET"
    path = "/appointment/SecretToken1234567"
    query = ""
    uri = "/appointment/SecretToken1234567"
    version = (1, 1)


def test_gunicorn_access_line_is_redacted():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/appointment/SecretToken1234567",
        "PATH_INFO": "/appointment/SecretToken1234567",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    atoms = logger.atoms(_Response(), _Request(), environ, datetime.timedelta(seconds=0.01))
    line = " ".join(str(v) for v in atoms.values())
    assert "SecretToken" not in line
    assert "/appointment/[token]" in line
