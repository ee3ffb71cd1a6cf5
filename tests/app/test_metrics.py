"""/metrics: only with METRICS_TOKEN; requests counted by route template and status; the
database gauges read what the rows say; nothing personal in the exposition."""

import dataclasses
from datetime import datetime, timedelta

import pytest
from freezegun import freeze_time
from prometheus_client.parser import text_string_to_metric_families

from app import create_app
from app.config import Config
from app.notify.models import OutboxMessage
from scheduling.enums import MessageKind, OutboxStatus
from tests.callcenter.calls import queued_call
from tests.factories import NOW, TEST_SECRET_KEY

TOKEN = "m" * 32
BEARER = {"Authorization": f"Bearer {TOKEN}"}
NOW_UTC = datetime.fromisoformat(NOW)


@pytest.fixture
def metrics_app(app):
    config = app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = dataclasses.replace(config, metrics_token=TOKEN)
    yield app
    app.config["BLAUWLIJN"] = config


def _scrape(client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = client.get("/metrics", headers=BEARER)
    assert answer.status_code == 200, answer.text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def _requests(samples, route: str, status: str) -> float:
    key = (
        "blauwlijn_http_requests_total",
        (("method", "GET"), ("route", route), ("status", status)),
    )
    return samples.get(key, 0.0)


def _outbox(session, key: str, *, due: datetime, status=OutboxStatus.PENDING) -> None:
    session.add(
        OutboxMessage(
            idempotency_key=key,
            recipient="+32470123456",
            body="Uw afspraak",
            language="nl",
            kind=MessageKind.REMINDER,
            due_at=due,
            next_attempt_at=due,
            status=status,
            created_at=due,
        )
    )
    session.flush()


def test_no_token_configured_no_metrics(client):
    assert client.get("/metrics", headers=BEARER).status_code == 404


def test_a_wrong_or_missing_token_is_refused(metrics_app):
    client = metrics_app.test_client()
    assert client.get("/metrics").status_code == 401
    assert (
        client.get("/metrics", headers={"Authorization": "Bearer " + "x" * 32}).status_code == 401
    )
    assert client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert client.get("/metrics", headers=BEARER).status_code == 200


def test_a_short_token_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="METRICS_TOKEN"):
        Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, "METRICS_TOKEN": "short"})
    assert TOKEN not in repr(
        dataclasses.replace(
            Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY}), metrics_token=TOKEN
        )
    )


def test_without_a_database_a_wrong_token_is_still_a_401(tmp_path):
    url = "postgresql://nobody@127.0.0.1:9/blauwlijn?connect_timeout=1"
    env = {"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY, "METRICS_TOKEN": TOKEN}
    client = create_app(Config.from_env(tmp_path, env=env)).test_client()
    assert client.get("/metrics").status_code == 401
    answer = client.get("/metrics", headers=BEARER)
    assert answer.status_code == 200
    assert "blauwlijn_database_up 0.0" in answer.text
    assert "blauwlijn_outbox_depth" not in answer.text


def test_wrong_tokens_are_rate_limited(metrics_app):
    client = metrics_app.test_client()
    answers = [client.get("/metrics").status_code for _ in range(31)]
    assert answers == [401] * 30 + [429]


def test_requests_counted_by_route_template_and_status(metrics_app):
    client = metrics_app.test_client()
    before = _scrape(client)
    assert client.get("/appointment/SecretToken0123456789?phone=0470123456").status_code == 404
    assert client.get("/healthz").status_code == 200
    after = _scrape(client)
    for route, status in (("/appointment/<token>", "404"), ("/healthz", "200")):
        assert _requests(after, route, status) - _requests(before, route, status) == 1
    latency = (
        "blauwlijn_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "/healthz")),
    )
    assert after[latency] - before.get(latency, 0.0) == 1


def test_a_made_up_method_is_no_new_series(metrics_app):
    client = metrics_app.test_client()
    client.open("/healthz", method="BREW")
    exposition = client.get("/metrics", headers=BEARER).text
    assert "BREW" not in exposition
    assert 'method="OTHER",route="[unmatched]",status="405"' in exposition


def test_webhook_latency_is_measured(metrics_app):
    client = metrics_app.test_client()
    before = _scrape(client)
    client.post("/sms/inbound", data={"From": "+32470123456", "Body": "JA"})  # unsigned: refused
    after = _scrape(client)
    counts = [
        after[key] - before.get(key, 0.0)
        for key in after
        if key[0] == "blauwlijn_http_request_duration_seconds_count"
        and dict(key[1])["route"].startswith("/sms/")
    ]
    assert counts == [1]


@freeze_time(NOW)
def test_gauges_read_the_outbox_and_the_queue(metrics_app, session):
    client = metrics_app.test_client()
    before = _scrape(client)
    assert before[("blauwlijn_database_up", ())] == 1
    _outbox(session, "late", due=NOW_UTC - timedelta(minutes=10))
    _outbox(session, "claimed", due=NOW_UTC - timedelta(minutes=2), status=OutboxStatus.SENDING)
    _outbox(session, "tomorrow", due=NOW_UTC + timedelta(days=1))  # not due: no backlog
    _outbox(session, "gone", due=NOW_UTC - timedelta(hours=1), status=OutboxStatus.SENT)
    queued_call(session, now=NOW_UTC)
    queued_call(session, now=NOW_UTC, caller=None)
    queued_call(session, now=NOW_UTC, outcome="hung_up")
    after = _scrape(client)
    assert after[("blauwlijn_outbox_depth", ())] - before[("blauwlijn_outbox_depth", ())] == 2
    assert after[("blauwlijn_outbox_oldest_age_seconds", ())] == 600
    assert (
        after[("blauwlijn_call_queue_length", ())] - before[("blauwlijn_call_queue_length", ())]
        == 2
    )
    assert ("blauwlijn_earlier_offers_open", ()) in after


def test_nothing_personal_in_the_exposition(metrics_app):
    client = metrics_app.test_client()
    client.get("/appointment/SecretToken0123456789?phone=0470123456")
    client.get("/+32470123456/griet@example.be")
    exposition = client.get("/metrics", headers=BEARER).text
    assert 'route="[unmatched]"' in exposition
    for personal in ("SecretToken", "0470123456", "32470123456", "griet", "example.be"):
        assert personal not in exposition
