"""Menu 2 with the keypad: the street is asked by its first letters and chosen from the
zone's streets read out, so a booking carries the caller's own street (never one guessed
for them); a street the keypad cannot find gets the SMS link, a call-taker or a message."""

from datetime import datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import OutboxMessage
from callcenter.presence import set_status
from ivr.streets import keypad_digits
from scheduling.enums import MessageKind, PresenceStatus, Role
from scheduling.models import Booking, Site
from tests.factories import NOW, make_district, make_staff, make_weekly
from tests.ivr.walks import LANGUAGES, call_of, dial_in

pytestmark = pytest.mark.usefixtures("officer")
K_STREETS = ("Kapelstraat", "Kasteelstraat", "Kattestraat", "Kauwenberg")


@pytest.fixture
def second_district(session, officer):
    """Bever's other wijk, with its own wijkagent (Wednesday 9-12 at the same office)."""
    other = make_staff(session, name="Inspecteur Claes", phone="+32470888888")
    make_district(session, other, name="Bever-Oost", streets=tuple(("1547", s) for s in K_STREETS))
    site = session.scalars(select(Site)).one()
    make_weekly(session, other, weekday=2, starts=time(9), ends=time(12), site=site)
    session.commit()
    return other


def _to_letters(walker) -> None:
    walker.press("2")  # make an appointment
    walker.press("2")  # with the keypad
    walker.press("1547")
    walker.press("3#")


def test_keys_spell_a_name_as_in_a_text_message():
    assert keypad_digits("Plaats") == "752287"
    assert keypad_digits("Rue de l'Église").startswith("783")


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_street_chosen_decides_the_wijkagent_and_is_stored(
    session, phone, said, second_district, language
):
    walker = dial_in(phone, language)
    _to_letters(walker)
    heard = walker.press(f"{keypad_digits('Kasteelstraat')[:4]}#")  # K-A-S-T
    assert heard[0] == said(
        language, "For %(street)s, press %(key)s.", street="Kasteelstraat", key=1
    )
    walker.press("1")
    walker.press("1")  # the first free moment
    walker.press("2")  # no earlier moment by SMS (tests/ivr/test_book_earlier.py)
    assert walker.ended
    booking = session.scalars(select(Booking)).one()
    assert booking.staff_id == second_district.id
    assert (booking.address_street, booking.address_number) == ("Kasteelstraat", "3")


@freeze_time(NOW)
def test_streets_are_read_three_at_a_time(session, phone, said, second_district):
    walker = dial_in(phone, "fr")
    _to_letters(walker)
    heard = walker.press("52#")  # K-A: four streets
    assert heard[:3] == [
        said("fr", "For %(street)s, press %(key)s.", street=name, key=key)
        for key, name in enumerate(K_STREETS[:3], start=1)
    ]
    assert said("fr", "For more streets, press 9.") in heard
    heard = walker.press("9")
    assert heard[0] == said("fr", "For %(street)s, press %(key)s.", street="Kauwenberg", key=1)
    walker.press("1")
    assert call_of(session, walker).state["address"] == ["1547", "Kauwenberg", "3"]


@freeze_time(NOW)
def test_too_many_streets_ask_more_letters(session, phone, said, officer):
    names = tuple(f"Ka{chr(97 + i)}straat" for i in range(10))
    make_district(session, officer, name="Bever-Veel", streets=tuple(("1547", n) for n in names))
    session.commit()
    walker = dial_in(phone, "en")
    _to_letters(walker)
    heard = walker.press("5#")
    assert heard[0] == said("en", "Many streets begin with those letters.")
    assert walker.last.find("Gather").get("action").startswith("/ivr/book/letters")


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_street_found_offers_the_sms_link(session, phone, said, language):
    walker = dial_in(phone, language)
    _to_letters(walker)
    walker.press("999#")
    heard = walker.press("999#")  # twice: the keypad will not find it
    assert said(language, "To get a text message with a link to book online, press 1.") in heard
    assert said(language, "To leave a message so that we call you back, press 3.") in heard
    walker.press("1")
    assert walker.ended
    sms = session.scalars(select(OutboxMessage)).one()
    assert sms.kind is MessageKind.LINK
    assert session.scalars(select(Booking)).all() == []


@freeze_time(NOW)
def test_none_of_these_streets_reaches_a_call_taker_in_their_hours(session, phone, said):
    walker = dial_in(phone, "nl")  # nobody answered when the call came in: the menu
    _to_letters(walker)
    walker.press("752#")
    taker = make_staff(session, roles=(Role.CALL_TAKER,), name="Sarah Maes")
    set_status(session, taker.id, PresenceStatus.AVAILABLE, datetime.fromisoformat(NOW))
    session.commit()
    heard = walker.press("0")  # my street is not among them
    assert said("nl", "To speak to a call-taker, press 0.") in heard
    walker.press("0")
    assert walker.waiting_for == "queue"
    assert call_of(session, walker).topic == "appointment"


@freeze_time(NOW)
def test_none_of_these_streets_leaves_a_message_out_of_hours(session, phone):
    walker = dial_in(phone, "nl")
    _to_letters(walker)
    walker.press("752#")
    walker.press("0")
    walker.press("3")
    assert walker.waiting_for == "message"
