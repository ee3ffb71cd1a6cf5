"""Which way e-mail leaves (MAIL_TRANSPORT), and the demo's log transport: an e-mail is
"sent" to the log, to a masked address and without its subject or text."""

import logging

import pytest

from app.config import Config
from app.notify.mail import LogMailTransport, SmtpTransport, make_mail_transport
from tests.factories import TEST_SECRET_KEY

RELAY = {"SMTP_HOST": "127.0.0.1", "SMTP_FROM": "blauwlijn@pz5405.example.be"}


def _config(tmp_path, **env: str) -> Config:
    return Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, **env})


@pytest.mark.parametrize(
    ("env", "way"),
    [
        ({}, None),
        ({"BLAUWLIJN_DEMO": "1"}, None),  # demo mode alone sends no e-mail
        ({"MAIL_TRANSPORT": "log"}, "log"),  # what `make run` sets without a relay
        (RELAY, "smtp"),
        ({**RELAY, "MAIL_TRANSPORT": "log"}, "log"),
    ],
)
def test_the_way_e_mail_leaves(tmp_path, env, way):
    config = _config(tmp_path, **env)
    assert config.mail_transport == way
    assert config.email_enabled is (way is not None)
    transport = make_mail_transport(config)
    expected = {None: type(None), "log": LogMailTransport, "smtp": SmtpTransport}[way]
    assert isinstance(transport, expected)


@pytest.mark.parametrize("env", [{"MAIL_TRANSPORT": "smtp"}, {"MAIL_TRANSPORT": "pigeon"}])
def test_a_way_that_cannot_work_is_refused_at_start(tmp_path, env):
    with pytest.raises(ValueError, match="MAIL_TRANSPORT"):
        _config(tmp_path, **env)


def test_the_log_transport_logs_a_masked_address_and_no_content(caplog):
    caplog.set_level(logging.INFO, logger="app.notify.mail")
    accepted = LogMailTransport().send(
        to="griet@vandamme-desmet.example.be",
        subject="Politiebijstand Kerkstraat 1",
        body="Dossier VDDS/2026/0412, twee honden",
    )
    assert accepted.sid.startswith("LOG")
    [line] = [r.getMessage() for r in caplog.records]
    assert "g***@vandamme-desmet.example.be" in line
    assert "griet" not in line
    assert "Kerkstraat" not in line
    assert "VDDS" not in line
