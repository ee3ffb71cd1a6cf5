"""Nothing personal reaches a log: tokens, phone numbers, names, addresses, e-mail, codes."""

import datetime
import logging
import re
import runpy
from datetime import time
from pathlib import Path
from time import perf_counter
from types import SimpleNamespace
from urllib.parse import quote, quote_plus, urlencode

import pytest
from freezegun import freeze_time
from gunicorn.config import Config as GunicornConfig
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.config import Config
from app.db import make_engine
from app.logs import RedactingLogger, redact
from app.notify.transports import make_transport
from app.worker import notify_events, send_sms
from tests.factories import (
    TEST_SECRET_KEY,
    make_district,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)

ROOT = Path(__file__).resolve().parents[2]


def test_tokens_in_paths_are_masked_and_other_paths_kept():
    assert redact("GET /appointment/AbC_123-xyz45678?new=1 HTTP/1.1") == (
        "GET /appointment/[token]?new=1 HTTP/1.1"
    )
    assert redact("/api/v1/bookings/AbC_123-xyz45678/cancel") == "/api/v1/bookings/[token]/cancel"
    assert redact("/api/v1/slots?service=wijkagent") == "/api/v1/slots?service=wijkagent"
    assert redact("POST /status/NA5Pmkw5BdLqDVqX0NDQ3dvRKAwIKuqg/add") == "POST /status/[token]/add"


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


def test_query_values_phone_numbers_and_e_mail_addresses_are_masked():
    line = (
        'GET /officer?postcode=1547&street=Lindelaan&number=27&lang=nl HTTP/1.1" '
        "sent to +32470123456 (0470 12 34 56, 054/31.35.01) for jan.peeters@example.be"
    )
    assert redact(line) == (
        'GET /officer?postcode=[x]&street=[x]&number=[x]&lang=nl HTTP/1.1" '
        "sent to +32*******56 (0******56, 0*****01) for [e-mail]"
    )
    assert redact("/invitation?code=KX7QP2M9") == "/invitation?code=[x]"
    # What is no person stays readable: dates, times, ids, addresses of machines, SIDs.
    kept = (
        "/api/v1/slots?service=wijkagent&from=2026-12-02&to=2026-12-08&staff=12 "
        "[01/Dec/2026:09:00:00 +0100] 127.0.0.1 SM0123456789abcdef took 0.0123456 s"
    )
    assert redact(kept) == kept


@pytest.mark.parametrize("line", ["x" * 100_000, "0" * 100_000, "a." * 50_000, "a@" * 50_000])
def test_redaction_takes_linear_time_on_what_a_visitor_sends(line):
    # A user agent or URL is the visitor's text: a pattern that backtracks over it would
    # let one request hold a worker for seconds (quadratic: about 30 s for these).
    started = perf_counter()
    redact(line)
    assert perf_counter() - started < 1


def test_the_log_transport_writes_a_masked_number_and_no_text(tmp_path, caplog):
    config = Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, "SMS_TRANSPORT": "log"})
    caplog.set_level(logging.INFO)
    transport = make_transport(config)
    transport.send(to="+32470123456", body="Jan Peeters: https://x.be/appointment/Tok3nTok3nTok3n")
    logged = caplog.text
    assert "+32*******56" in logged
    for secret in ("+32470123456", "470123456", "Jan Peeters", "Tok3n", "appointment"):
        assert secret not in logged


def test_a_database_error_carries_no_bound_values(database_url):
    engine = make_engine(database_url)
    try:
        with pytest.raises(DBAPIError) as raised, engine.connect() as conn:
            conn.execute(
                text("INSERT INTO no_such_table (name) VALUES (:name)"), {"name": "Jan Peeters"}
            )
    finally:
        engine.dispose()
    assert "no_such_table" in str(raised.value)
    assert "Jan Peeters" not in str(raised.value)


# --- A whole booking, its SMS and its cancellation: nothing personal in any output. -------

NOW = "2026-12-01T08:00:00Z"  # Tuesday, 09:00 in Brussels
NAME, PHONE, EMAIL = "Jan Peeters", "0470 12 34 56", "jan.peeters@example.be"
ADDRESS = {"postcode": "1547", "street": "Lindelaan", "number": "27"}
OFFICER_PHONE = "+32470999999"
INVITATION_CODE = "KX7QP2M9"
# Every atom that can carry a URL, a header or a cookie, besides gunicorn's default line.
ACCESS_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(U)s %(q)s '
    "%({raw_uri}e)s %({query_string}e)s %({referer}i)s %({cookie}i)s %({location}o)s "
    "%({set-cookie}o)s"
)


@pytest.fixture
def lindelaan(session):
    officer = make_staff(session, name="Inspecteur Wouters", phone=OFFICER_PHONE)
    site = make_site(session, name="Wijkpost Bever")
    make_district(session, officer, streets=(("1547", "Lindelaan"),))
    make_service(session, code="wijkagent")
    make_weekly(session, officer, weekday=2, starts=time(9), ends=time(12), site=site)
    session.commit()
    return officer


@pytest.fixture
def access_log(app, monkeypatch, tmp_path):
    """gunicorn's access log (its settings from gunicorn.conf.py), written to a file for
    every request the test client makes as gunicorn writes it after each request; yields
    the file and the requests made."""
    cfg = GunicornConfig()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("access_log_format", ACCESS_FORMAT)
    logger = cfg.logger_class(cfg)
    inner = app.wsgi_app
    requests = []

    def logged(environ, start_response):
        answer = {}

        def start(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body = b"".join(inner(environ, start))
        environ.setdefault("RAW_URI", environ.get("REQUEST_URI", environ["PATH_INFO"]))
        request_headers = [
            (k[5:].replace("_", "-").lower(), v)
            for k, v in environ.items()
            if k.startswith("HTTP_")
        ]
        response = SimpleNamespace(
            status=answer["status"], headers=answer["headers"], sent=len(body)
        )
        logger.access(
            response,
            SimpleNamespace(headers=request_headers),
            environ,
            datetime.timedelta(milliseconds=3),
        )
        requests.append(environ["RAW_URI"])
        return [body]

    monkeypatch.setattr(app, "wsgi_app", logged)
    yield tmp_path / "access.log", requests
    for log in (logger.access_log, logger.error_log):
        for handler in list(log.handlers):
            log.removeHandler(handler)
            handler.close()


@pytest.fixture
def log_transport(app):
    """The worker sends through the transport SMS_TRANSPORT=log makes (no Twilio account)."""
    assert app.config["BLAUWLIJN"].sms_transport == "log"
    app.extensions.pop("sms_transport", None)
    app.extensions["mail_transport"] = None
    yield
    app.extensions.pop("sms_transport", None)
    app.extensions.pop("mail_transport", None)


def _csrf_token(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _web_booking(client):
    """The citizen's way in: who is my wijkagent, the link to book, the questions, confirm."""
    query = urlencode(ADDRESS)
    client.get("/?lang=nl")
    client.get(f"/officer?{query}")
    client.get(
        f"/book?service=wijkagent&{query}",
        headers={"Referer": f"http://localhost/officer?{query}"},
    )
    token = _csrf_token(client, "/book/location")
    client.post("/book/location", data={"csrf_token": token, "location": "office"})
    page = client.get("/book/moment").get_data(as_text=True)
    slot = re.findall(r'name="slot" class="slot" value="([^"]+)"', page)[0].replace("&#43;", "+")
    client.post("/book/moment", data={"csrf_token": token, "slot": slot})
    client.post(
        "/book/details",
        data={"csrf_token": token, "name": NAME, "phone": PHONE, "email": EMAIL, "website": ""},
    )
    client.get("/book/check")
    done = client.post("/book/check", data={"csrf_token": token})
    assert done.status_code == 302, done.get_data(as_text=True)
    manage_path = done.location.split("?")[0]
    return token, manage_path, manage_path.rsplit("/", 1)[1]


def _api_booking(client, officer):
    query = urlencode({"service": "wijkagent", "from": "2026-12-02", "to": "2026-12-02", **ADDRESS})
    client.get(f"/api/v1/officer?{urlencode(ADDRESS)}")
    client.get(f"/api/v1/slots?{query}&invitation_code={INVITATION_CODE}")
    created = client.post(
        "/api/v1/bookings",
        json={
            "service": "wijkagent",
            "start": "2026-12-02T11:00:00+01:00",
            "staff_id": officer.id,
            "location": "office",
            "citizen": {"name": NAME, "phone": PHONE, "email": EMAIL},
            "address": ADDRESS,
        },
    )
    assert created.status_code == 201, created.get_json()
    token = created.get_json()["manage_token"]
    client.get(f"/api/v1/bookings/{token}")
    return token


def _variants(*secrets):
    """Each secret as typed and as a URL carries it."""
    return {form for s in secrets for form in (s, quote(s), quote_plus(s), s.replace(" ", ""))}


@freeze_time(NOW)
def test_booking_sms_and_cancellation_leave_nothing_personal_in_any_output(
    app, client, lindelaan, access_log, log_transport, caplog, capfd
):
    caplog.set_level(logging.INFO)  # every logger, at the level the worker runs at
    client.get(f"/invitation?code={INVITATION_CODE}")
    csrf, manage_path, web_token = _web_booking(client)
    client.get(manage_path)
    client.get(f"{manage_path}/calendar.ics")
    api_token = _api_booking(client, lindelaan)
    notify_events(app)
    assert send_sms(app) == 2  # the confirmations (the reminders are due tomorrow)

    client.post(f"{manage_path}/cancel", data={"csrf_token": csrf, "reason": "Ziek"})
    client.post(f"/api/v1/bookings/{api_token}/cancel", json={})
    notify_events(app)
    assert send_sms(app) == 2  # the officer hears of both cancellations

    access_file, requests = access_log
    access_lines = access_file.read_text()
    assert access_lines.count("HTTP/1.1") == len(requests)  # gunicorn logged every request
    out, err = capfd.readouterr()
    output = "\n".join([caplog.text, access_lines, out, err])
    assert output.count("SMS LOG") == 4  # the transport logged each message
    session_cookie = client.get_cookie("session").value
    secrets = _variants(
        NAME, PHONE, "+32470123456", "470123456", EMAIL, ADDRESS["street"], INVITATION_CODE
    ) | {web_token, api_token, OFFICER_PHONE, OFFICER_PHONE[3:], session_cookie}
    leaked = sorted(s for s in secrets if s in output)
    assert leaked == [], output
