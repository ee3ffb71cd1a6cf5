"""The office admin's API keys: made with a name and shown once, listed with when they were
made and last used, revoked — and the API refuses a revoked key at once."""

import re
from datetime import datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.assistance.models import OfficeApiToken
from scheduling.booking import hash_token
from scheduling.models import BailiffAccount
from tests.api_calls import assistance_body, problem
from tests.factories import NOW, make_bailiff
from tests.office_login import make_office_user, post_on, sign_in_office

TOKENS = "/deurwaarder/api-sleutels"
ASSISTANCE = "/api/v1/assistance/bookings"


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@freeze_time(NOW)
def test_a_new_key_books_through_the_api_until_it_is_revoked(
    client, session, officer, bailiff_service
):
    office = session.scalars(select(BailiffAccount).where(~BailiffAccount.demo)).first()
    admin = make_office_user(session, office, office_admin=True)
    session.commit()
    sign_in_office(client, admin)

    html = post_on(client, TOKENS, TOKENS, name="Dossiersoftware kantoor").get_data(as_text=True)
    token = re.search(r'<code id="new-token">([^<]+)</code>', html).group(1)
    assert f"Authorization: Bearer {token}" in html
    assert "/api/v1/openapi.json" in html
    made = session.scalars(
        select(OfficeApiToken).where(OfficeApiToken.token_hash == hash_token(token))
    ).one()
    assert made.created_by == admin.id
    assert token not in client.get(TOKENS).get_data(as_text=True)  # shown once

    booked = client.post(ASSISTANCE, json=assistance_body(), headers=_bearer(token))
    assert booked.status_code == 201, booked.get_json()
    session.expire_all()
    assert session.get_one(OfficeApiToken, made.id).last_used_at == datetime.fromisoformat(NOW)
    assert (
        "Never" not in client.get(TOKENS).get_data(as_text=True).split("Dossiersoftware kantoor")[1]
    )

    assert post_on(client, f"{TOKENS}/{made.id}/intrekken", TOKENS).location == TOKENS
    refused = client.post(ASSISTANCE, json=assistance_body(), headers=_bearer(token))
    problem(refused, 401)
    assert f'data-token="{made.id}"' not in client.get(TOKENS).get_data(as_text=True)


@freeze_time(NOW)
def test_a_key_needs_a_name_and_another_offices_key_is_not_found(client, session):
    office = make_bailiff(session, token="ours")
    other = make_bailiff(session, token="theirs")
    admin = make_office_user(session, office, office_admin=True)
    session.commit()
    sign_in_office(client, admin)
    html = post_on(client, TOKENS, TOKENS, name="").get_data(as_text=True)
    assert 'id="name-error"' in html
    theirs = session.scalars(
        select(OfficeApiToken).where(OfficeApiToken.office_id == other.id)
    ).one()
    assert post_on(client, f"{TOKENS}/{theirs.id}/intrekken", TOKENS).status_code == 404
    session.expire_all()
    assert session.get_one(OfficeApiToken, theirs.id).revoked_at is None
