"""The phone menu trusts neither a guessed code nor a caller ID without limit: wrong codes
are counted in the database per calling number (so per call too), the code is asked
before cancelling or sending a link, and the link is sent again (twice a day at most)
without replacing the citizen's own."""

import logging
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import CallbackTask, OutboxMessage
from callcenter.presence import set_status
from scheduling.enums import BookingStatus, MessageKind, PresenceStatus, Role
from scheduling.models import Booking
from tests.api_calls import book_by_api
from tests.factories import NOW, make_staff
from tests.ivr.walks import SAID, call_of, dial_in, hears

STRANGER = "+32475000111"
CODE_STEP = "/ivr/appointment/code"
pytestmark = pytest.mark.usefixtures("officer")


def _asked_for_code(walker) -> bool:
    gather = walker.last.find("Gather")
    return (
        walker.waiting_for == "keys"
        and gather is not None
        and gather.get("action").startswith(CODE_STEP)
    )


def _key_in(walker, code: str) -> list[str]:
    """Key in a code, from the main menu if the call went back there."""
    if not _asked_for_code(walker):
        assert walker.last.find("Gather").get("action").startswith("/ivr/menu")
        walker.press("1")
    assert _asked_for_code(walker)
    return walker.press(code)


def _status(session) -> BookingStatus:
    session.expire_all()
    return session.scalars(select(Booking.status)).one()


def _links(session) -> list[OutboxMessage]:
    session.expire_all()
    return session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.LINK)
    ).all()


@freeze_time(NOW)
def test_three_wrong_codes_end_the_tries_for_the_call_and_the_number(
    client, officer, session, phone, said, caplog
):
    caplog.set_level(logging.INFO, logger="ivr")
    reference = book_by_api(client, officer)["reference"]
    walker = dial_in(phone, "en", caller=STRANGER)
    walker.press("1")
    for wrong in ("111111111#", "222222222#", "333333333#"):
        heard = _key_in(walker, wrong)
    # No fourth try: no call-taker is on duty, so the caller may leave a message.
    assert (
        said("en", "For your safety, we cannot take more booking codes from this number now.")
        in heard
    )
    assert walker.waiting_for == "message"
    walker.hang_up()
    (logged,) = [r.getMessage() for r in caplog.records if "tries used up" in r.getMessage()]
    assert STRANGER not in logged
    assert "333333333" not in logged
    # Neither the menu nor a new call from the same number gives fresh tries.
    again = dial_in(phone, "en", caller=STRANGER)
    again.press("1")
    assert not _asked_for_code(again)
    assert again.waiting_for == "message"
    assert _status(session) is BookingStatus.CONFIRMED
    # Another number is not held back by this one's tries, and the code still works.
    other = dial_in(phone, "en", caller="+32475000222")
    other.press("1")
    assert _asked_for_code(other)
    other.press(f"{reference}#")
    assert hears(other, SAID["en"])


@freeze_time(NOW)
def test_the_right_code_is_refused_once_the_tries_are_used_up_meanwhile(client, officer, phone):
    reference = book_by_api(client, officer)["reference"]
    waiting = dial_in(phone, "nl", caller=STRANGER)
    waiting.press("1")
    assert _asked_for_code(waiting)
    guessing = dial_in(phone, "nl", caller=STRANGER)  # a second line, same number
    guessing.press("1")
    for wrong in ("111111111#", "222222222#", "333333333#"):
        _key_in(guessing, wrong)
    waiting.press(f"{reference}#")
    assert not hears(waiting, SAID["nl"])
    assert waiting.waiting_for == "message"


@freeze_time(NOW)
def test_a_withheld_number_gets_no_fresh_tries_by_calling_again(client, officer, phone):
    book_by_api(client, officer)
    first = dial_in(phone, "nl", caller="anonymous")
    first.press("1")
    for wrong in ("111111111#", "222222222#", "333333333#"):
        _key_in(first, wrong)
    assert first.waiting_for == "message"
    second = dial_in(phone, "nl", caller="anonymous")
    second.press("1")
    assert not _asked_for_code(second)


@freeze_time(NOW)
def test_tries_used_up_with_a_call_taker_on_duty_puts_the_caller_through(
    client, officer, session, phone
):
    book_by_api(client, officer)
    walker = dial_in(phone, "nl", caller=STRANGER)  # nobody available yet: the menu
    walker.press("1")
    _key_in(walker, "111111111#")
    _key_in(walker, "222222222#")
    staff = make_staff(session, roles=(Role.CALL_TAKER,), name="Sarah Maes")
    set_status(session, staff.id, PresenceStatus.AVAILABLE, datetime.now(UTC))
    session.commit()
    _key_in(walker, "333333333#")
    assert walker.waiting_for == "queue"
    assert call_of(session, walker).topic == "appointment"


@freeze_time(NOW)
@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_caller_id_alone_hears_only_day_and_time(client, officer, phone, said, language):
    book_by_api(client, officer)
    walker = dial_in(phone, language)
    walker.press("1")
    assert hears(walker, SAID[language])
    assert not hears(walker, "Wijkpost Bever")
    assert not hears(walker, officer.name)


@freeze_time(NOW)
def test_caller_id_alone_cannot_cancel(client, officer, session, phone):
    book_by_api(client, officer)
    walker = dial_in(phone, "nl")  # the booking's own number: spoofable
    walker.press("1")
    walker.press("2")
    assert _asked_for_code(walker)
    walker.hang_up()
    assert _status(session) is BookingStatus.CONFIRMED


@freeze_time(NOW)
def test_caller_id_alone_gets_no_link(client, officer, session, phone):
    book_by_api(client, officer)
    walker = dial_in(phone, "nl")
    walker.press("1")
    walker.press("3")
    assert _asked_for_code(walker)
    walker.hang_up()
    assert _links(session) == []


@freeze_time(NOW)
def test_the_link_leaves_the_citizens_own_link_working(client, officer, session, phone):
    booked = book_by_api(client, officer)
    walker = dial_in(phone, "nl")
    walker.press("1")
    walker.press("3")
    walker.press(f"{booked['reference']}#")
    assert walker.ended
    (sms,) = _links(session)
    assert client.get(f"/appointment/{booked['manage_token']}").status_code == 200
    link = "/appointment/" + sms.body.split("/appointment/")[1].split()[0]
    assert client.get(link).status_code == 200
    page = client.get(link.removesuffix("/move"))
    assert booked["reference"] in page.get_data(as_text=True)


def _ask_link(phone, reference: str) -> list[str]:
    """A call from the booking's own number asking for the link, with the code."""
    walker = phone()
    walker.call()
    walker.silence()  # on in the booking's language, offered first
    walker.press("1")
    walker.press("3")
    return walker.press(f"{reference}#")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_at_most_two_links_a_day_per_booking(client, officer, session, phone, said, language):
    with freeze_time(NOW) as frozen:
        reference = book_by_api(client, officer, language=language)["reference"]
        _ask_link(phone, reference)
        _ask_link(phone, reference)
        heard = _ask_link(phone, reference)
        assert len(_links(session)) == 2
        assert heard[0] == said(
            language,
            "We have already sent you this link twice today. Please use one of those text "
            "messages, or call again tomorrow.",
        )
        frozen.move_to("2026-12-01T23:30:00Z")  # 00:30 in Brussels: a new day
        _ask_link(phone, reference)
        assert len(_links(session)) == 3


@freeze_time(NOW)
def test_a_forged_caller_id_gets_its_owner_at_most_five_booking_links_an_hour(session, phone, said):
    for _ in range(6):
        walker = dial_in(phone, "nl", caller=STRANGER)
        walker.press("2")
        heard = walker.press("1")
    assert len(_links(session)) == 5
    assert heard[0] == said(
        "nl", "We cannot send more text messages to this number now. Please try later."
    )


@freeze_time(NOW)
def test_call_back_confirmations_count_against_the_same_number(session, phone):
    for _ in range(6):
        walker = dial_in(phone, "nl", caller=STRANGER)
        walker.press("3")
        walker.speak("Bel me terug.")
    assert len(session.scalars(select(CallbackTask)).all()) == 6  # every message is kept
    texts = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.CALLBACK)
    ).all()
    assert len(texts) == 5
