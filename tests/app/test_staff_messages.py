"""The managers' page of undelivered messages and open call-backs: who may see it, what it
lists (masked), and what it leaves out."""

import html
from datetime import datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.notify.sender import record
from app.staff.admin.messages import mask
from app.worker import notify_events
from scheduling.booking import booking_by_token, cancel
from scheduling.enums import MessageKind, OutboxStatus, Role
from scheduling.notices import SendError
from scheduling.trail import Actor
from tests.api_calls import book_by_api
from tests.bidi import assert_isolated
from tests.factories import NOW
from tests.staff_login import sign_in_as

PAGE = "/staff/admin/messages"


@pytest.fixture
def failures(app, client, officer, session):
    """A staff cancellation whose SMS was refused (a call-back), then a confirmation that
    Twilio could not deliver; a superseded reminder, which is no failure. Made at NOW, as the
    tests read it (a fixture is not covered by the test's own @freeze_time)."""
    with freeze_time(NOW):
        return _failures(app, client, officer, session)


def _failures(app, client, officer, session) -> str:
    token = book_by_api(client, officer, language="fr")["manage_token"]
    booking = booking_by_token(session, token)
    cancel(session, booking=booking, actor=Actor.staff(officer.id), now=_now(), reason="Ziek")
    session.commit()
    notify_events(app)
    notice = _message(session, MessageKind.CANCELLED_BY_STAFF)
    with app.extensions["db_sessionmaker"].begin() as s:
        s.get_one(OutboxMessage, notice.id).attempts = 1
        record(s, notice.id, SendError("21211", "Invalid 'To' number", retryable=False), _now())
    confirmation = _message(session, MessageKind.CONFIRMATION)
    confirmation.status = OutboxStatus.FAILED
    confirmation.last_error_code, confirmation.last_error_message = "30005", "delivery failed"
    session.commit()
    return booking.reference


def _now() -> datetime:
    return datetime.fromisoformat(NOW)


def _message(session, kind: MessageKind) -> OutboxMessage:
    return session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).one()


def _english(client) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
@freeze_time(NOW)
def test_a_manager_sees_failures_and_call_backs_newest_first(client, session, failures, role):
    _english(client)
    sign_in_as(client, session, role)
    answer = client.get(PAGE)
    assert answer.status_code == 200
    page = html.unescape(answer.get_data(as_text=True))
    assert "+32470123456" not in page  # masked
    assert page.count("+32470•••56") == 3  # two failures, one call-back
    callbacks, _, failed = page.partition("Messages not delivered")
    assert "Call-backs to make" in callbacks
    assert "Cancellation by staff (SMS)" in callbacks
    assert "SMS not sent (21211): Invalid 'To' number" in callbacks
    assert failures in callbacks
    # Newest first: the notice was queued after the confirmation.
    assert failed.index("Cancellation by staff") < failed.index("Confirmation (SMS)")
    assert "21211 Invalid 'To' number" in failed
    assert "30005 delivery failed" in failed
    assert "Reminder" not in page  # superseded by the cancellation: not a failure


@freeze_time(NOW)
def test_with_nothing_failed_the_page_says_so(client, session):
    _english(client)
    sign_in_as(client, session, Role.SUPERVISOR)
    page = client.get(PAGE).get_data(as_text=True)
    assert "No open call-backs." in page
    assert "Every message was delivered or is still on its way." in page


@freeze_time(NOW)
def test_the_management_menu_links_to_it(client, session):
    _english(client)
    sign_in_as(client, session, Role.ADMIN)
    page = client.get("/staff/admin/services").get_data(as_text=True)
    assert f'href="{PAGE}">Messages</a>' in page


@pytest.mark.parametrize(
    "role", [Role.DISTRICT_OFFICER, Role.CALL_TAKER, Role.CASE_HANDLER, Role.WEAPONS_SERVICE]
)
@freeze_time(NOW)
def test_everyone_else_gets_403(client, session, failures, role):
    sign_in_as(client, session, role)
    answer = client.get(PAGE)
    assert answer.status_code == 403
    assert failures not in answer.get_data(as_text=True)


@freeze_time(NOW)
def test_signed_out_goes_to_the_sign_in_page(client):
    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert "/staff/login" in answer.location


def test_mask_keeps_too_little_to_use() -> None:
    assert mask("+32470123456") == "+32470•••56"
    assert mask("jan.peeters@example.be") == "j•••@example.be"
    assert mask("+3212") == "•••"


@freeze_time(NOW)
def test_what_came_from_outside_is_isolated(client, session, failures):
    confirmation = _message(session, MessageKind.CONFIRMATION)
    confirmation.last_error_message = "delivery \u202efailed"  # a provider's text, or worse
    session.commit()
    _english(client)
    sign_in_as(client, session, Role.ADMIN)
    page = client.get(PAGE).get_data(as_text=True)
    assert_isolated(page, "30005 delivery \u202efailed")
    assert_isolated(page, "+32470•••56")


def test_every_kind_of_message_has_a_label_on_the_page():
    """A failed message of a kind without a label would break the managers' page."""
    from app.staff.admin.messages import KINDS
    from scheduling.enums import MessageKind

    assert set(KINDS) == set(MessageKind)
