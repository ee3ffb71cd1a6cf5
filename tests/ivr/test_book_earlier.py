"""After booking on the keypad from a mobile number the caller is asked whether to be texted
an earlier moment that frees up; walked key by key, the TwiML read for the question's action.
A landline caller is not asked."""

import pytest
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.earlier.models import EarlierWish, WishStatus
from ivr.simulator import CallWalker
from scheduling.enums import Channel
from scheduling.models import Booking
from tests.factories import NOW
from tests.ivr.walks import LANGUAGES, call_of, dial_in

pytestmark = pytest.mark.usefixtures("officer")
QUESTION = "To get a text message if an earlier moment frees up, press 1. Otherwise press 2."


def _booked(phone: object, language: str = "en", **kw: object) -> tuple[CallWalker, list[str]]:
    """Dial in and book the first moment read out (Plaats 3, 1547); what was heard last."""
    walker = dial_in(phone, language, **kw)  # type: ignore[arg-type]
    for keys in ("2", "2", "1547", "3#", "752#", "1"):
        walker.press(keys)
    return walker, walker.press("1")


def _asks(walker: CallWalker) -> bool:
    """The last TwiML gathers one key for the earlier-moment question."""
    gathers = walker.last.findall("Gather")
    return [g.get("action", "").split("?")[0] for g in gathers] == ["/ivr/book/earlier"]


def _wish(session: Session) -> EarlierWish | None:
    session.expire_all()
    return session.scalars(select(EarlierWish)).one_or_none()


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_one_asks_for_an_earlier_moment_anywhere(session, phone, language):
    walker, _heard = _booked(phone, language)
    assert _asks(walker)
    assert session.scalars(select(Booking)).one().channel is Channel.PHONE
    walker.press("1")
    assert walker.ended
    wish = _wish(session)
    assert wish is not None
    assert (wish.status, wish.channel, wish.location, wish.not_before) == (
        WishStatus.WAITING,
        Channel.PHONE,
        None,
        None,
    )
    assert call_of(session, walker).outcome == "booked"


@freeze_time(NOW)
def test_two_says_no_thanks(session, phone):
    walker, heard = _booked(phone)
    assert any(QUESTION in line for line in heard)
    said = walker.press("2")
    assert walker.ended
    assert not any("earlier moment" in line for line in said)
    assert _wish(session) is None
    assert session.scalars(select(Booking)).one() is not None


@freeze_time(NOW)
def test_a_wrong_key_is_said_and_the_question_asked_again(session, phone):
    walker, _heard = _booked(phone)
    again = walker.press("7")
    assert again[0] == "Sorry, that key is not in the menu."
    assert QUESTION in again
    assert _asks(walker)
    assert "We will text you if an earlier moment frees up." in walker.press("1")
    assert _wish(session) is not None


@freeze_time(NOW)
def test_silence_asks_once_more_then_ends_with_the_booking_kept(session, phone):
    walker, _heard = _booked(phone)
    again = walker.silence()
    assert "Sorry, we did not hear a choice." in again
    assert _asks(walker)
    walker.silence()
    assert walker.ended
    assert _wish(session) is None
    assert call_of(session, walker).outcome == "booked"


@freeze_time(NOW)
def test_a_landline_caller_is_not_asked(session, phone):
    walker, heard = _booked(phone, caller="+3254313599")
    assert walker.ended
    assert not any(QUESTION in line for line in heard)
    assert session.scalars(select(Booking)).one().citizen_phone == "+3254313599"
    assert _wish(session) is None
