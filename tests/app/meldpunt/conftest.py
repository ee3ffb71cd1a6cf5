"""The contact form's and status page's fixtures: the zone's question category, a clock that
stands still, e-mail switched on when a test needs it."""

import dataclasses
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time

from app.reports.enums import CategoryKind
from app.reports.models import ReportCategory
from tests.app.reports.factories import make_category

NOW = "2026-12-01T09:00:00Z"  # Tuesday 1 December 2026, 10:00 in Brussels


@pytest.fixture
def question(session) -> ReportCategory:
    category = make_category(
        session,
        code="question",
        kind=CategoryKind.QUESTION,
        anonymous_allowed=False,
        names={"nl": "Algemene vraag", "fr": "Question générale", "en": "General question"},
    )
    session.commit()
    return category


@pytest.fixture
def frozen() -> Iterator[None]:
    with freeze_time(NOW):
        yield


@pytest.fixture
def with_email(app: Flask) -> Iterator[Flask]:
    """The zone sends e-mail (SMTP is only named: the tests read the outbox)."""
    original = app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = dataclasses.replace(
        original, smtp_host="127.0.0.1", smtp_from="meldpunt@pz.example"
    )
    yield app
    app.config["BLAUWLIJN"] = original


def form_of(client: FlaskClient, path: str) -> dict[str, str]:
    """The CSRF token and the one-time key of the form on ``path`` (this client's session)."""
    html = client.get(path).get_data(as_text=True)
    fields = dict(re.findall(r'name="(csrf_token|key)" value="([^"]+)"', html))
    assert "csrf_token" in fields, f"no form on {path}"
    return fields
