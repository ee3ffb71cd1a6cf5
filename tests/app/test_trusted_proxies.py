"""Behind a reverse proxy: TRUSTED_PROXIES says how many proxies' X-Forwarded-For and
X-Forwarded-Proto to believe, so that rate limits key on the real client and no client can
pick its own address. The Procfile's gunicorn leaves those headers to the app."""

import re
import shlex
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask, request
from gunicorn.config import Config as GunicornConfig
from sqlalchemy import Connection
from sqlalchemy.orm import sessionmaker

from app import create_app
from app.config import Config
from app.ratelimit import LIMITS
from app.staff.sign_in import IP_BUCKET
from tests.factories import TEST_PASSWORD, TEST_SECRET_KEY, make_credential, make_staff
from tests.staff_login import post_login

PROCFILE = Path(__file__).parents[2] / "Procfile"
PROXY = "10.0.0.2"  # the reverse proxy, as the app's peer


def _config(tmp_path: Path, **env: str) -> Config:
    return Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, **env})


def test_trusted_proxies_is_read_from_the_environment(tmp_path):
    assert _config(tmp_path).trusted_proxies == 0  # the peer is the client
    assert _config(tmp_path, TRUSTED_PROXIES="2").trusted_proxies == 2
    for wrong in ("-1", "one", "1.5"):
        with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
            _config(tmp_path, TRUSTED_PROXIES=wrong)


@pytest.fixture
def probe(tmp_path) -> Iterator[object]:
    """Call with TRUSTED_PROXIES; gives a client of an app that answers "address scheme"."""
    apps: list[Flask] = []

    def build(trusted: str):
        app = create_app(_config(tmp_path, TRUSTED_PROXIES=trusted))
        app.add_url_rule("/probe", "probe", lambda: f"{request.remote_addr} {request.scheme}")
        apps.append(app)
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = PROXY
        return client

    yield build
    for app in apps:
        app.extensions["db_engine"].dispose()


FORWARDED = {"X-Forwarded-For": "192.0.2.66, 203.0.113.5", "X-Forwarded-Proto": "https"}


def test_the_client_is_the_address_the_trusted_proxy_saw(probe):
    # The proxy appends the address it saw; what the client wrote before it is not believed.
    assert probe("1").get("/probe", headers=FORWARDED).text == "203.0.113.5 https"
    # Two proxies: the outer one took HTTPS and added the client, the inner one the outer.
    two = {"X-Forwarded-For": "192.0.2.66, 203.0.113.5", "X-Forwarded-Proto": "https, http"}
    assert probe("2").get("/probe", headers=two).text == "192.0.2.66 https"


def test_without_trusted_proxies_forwarded_headers_are_ignored(probe):
    assert probe("0").get("/probe", headers=FORWARDED).text == f"{PROXY} http"


@pytest.fixture
def proxied(app_for_db: Flask, connection: Connection) -> Iterator[Flask]:
    """The app as a zone behind one proxy runs it (TRUSTED_PROXIES=1), in this test's
    rolled-back transaction."""
    config = replace(app_for_db.config["BLAUWLIJN"], trusted_proxies=1)
    app = create_app(config)
    app.config["TESTING"] = True
    app.extensions["db_sessionmaker"] = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield app
    app.extensions["db_engine"].dispose()


def _behind_proxy(app: Flask, client_address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = PROXY
    client.environ_base["HTTP_X_FORWARDED_FOR"] = client_address
    return client


def test_behind_a_proxy_one_clients_wrong_sign_ins_do_not_limit_another(proxied, session):
    officer = make_staff(session, personnel_number="GALOP-1001")
    make_credential(session, officer)
    guesser = _behind_proxy(proxied, "203.0.113.5")
    for n in range(LIMITS[IP_BUCKET]):
        assert post_login(guesser, f"GALOP-{9000 + n}", "guess").status_code == 200
    assert post_login(guesser, "GALOP-9999", "guess").status_code == 429
    # Writing another address in front of the one the proxy adds changes nothing.
    guesser.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.1, 203.0.113.5"
    assert post_login(guesser, "GALOP-9999", "guess").status_code == 429

    colleague = _behind_proxy(proxied, "203.0.113.6")  # another client of the same proxy
    assert post_login(colleague, "GALOP-1001", "typo").status_code == 200
    assert post_login(colleague, "GALOP-1001", TEST_PASSWORD).status_code == 302


def _expand(command: str) -> list[str]:
    """The Procfile command's words, ${VAR:-default} read as its default."""
    return shlex.split(re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", command))


def test_the_procfile_gunicorn_leaves_forwarded_headers_to_the_app(monkeypatch):
    """gunicorn would otherwise take X-Forwarded-Proto from 127.0.0.1 (its default) whatever
    TRUSTED_PROXIES says; ProxyFix, counting the configured proxies, is the one reader."""
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    web = next(
        line.removeprefix("web:")
        for line in PROCFILE.read_text().splitlines()
        if line.startswith("web:")
    )
    words = _expand(web)
    assert words[0] == "gunicorn"
    config = GunicornConfig()
    given = getattr(config.parser().parse_args(words[1:]), "forwarded_allow_ips", None)
    if given is not None:
        config.set("forwarded_allow_ips", given)
    assert config.forwarded_allow_ips == []
