"""Manage tokens never reach the access log."""

import datetime

from gunicorn.config import Config as GunicornConfig

from app import create_app
from app.config import Config
from app.logs import RedactingLogger, redact
from tests.factories import TEST_SECRET_KEY


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
    logger = RedactingLogger(GunicornConfig())
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


def test_an_error_on_a_manage_page_logs_no_token(tmp_path, caplog):
    app = create_app(Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY}))

    @app.get("/appointment/<token>/boom")
    def boom(token: str) -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/appointment/SecretToken1234567/boom")
    app.extensions["db_engine"].dispose()
    assert response.status_code == 500
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "Exception on /appointment/[token]/boom" in logged
    assert "SecretToken" not in logged
