"""The language question comes first and short: a French or English caller hears their
language within seconds, a caller whose language is known hears it first, and the keys
1/2/3 are nl/fr/en whatever language is playing."""

import pytest
from freezegun import freeze_time

from tests.api_calls import book_by_api
from tests.factories import NOW
from tests.ivr.walks import KEYS, LANGUAGES, call_of, seconds_before

MOST_SECONDS = 8  # of other languages before a caller hears their own


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_caller_hears_their_language_within_seconds(session, phone, said, language):
    walker = phone(caller="+32475000111")  # no appointment: the language is not known
    walker.call()
    assert seconds_before(walker, language) < MOST_SECONDS
    heard = walker.press(KEYS[language])
    emergency = "In an emergency, hang up and call 112. For urgent police help, call 101."
    assert heard[1] == said(language, emergency)  # the greeting, in the caller's language
    assert {spoken for spoken, _ in walker.heard[-len(heard) :]} == {language}
    assert call_of(session, walker).language == language


@freeze_time(NOW)
def test_the_offers_are_short(phone):
    walker = phone(caller="+32475000111")
    walker.call()
    assert seconds_before(walker, "fr") <= 2
    assert seconds_before(walker, "en") <= 5


@freeze_time(NOW)
@pytest.mark.parametrize("known", ["fr", "en"])
def test_a_known_language_is_offered_first_and_the_keys_stay(client, officer, phone, known):
    book_by_api(client, officer, language=known)  # the caller's appointment, booked in it
    walker = phone()
    walker.call()
    assert seconds_before(walker, known) == 0
    walker.press(KEYS["nl"])  # the same key for Dutch, whatever played first
    assert walker.heard[-1][0] == "nl"


@freeze_time(NOW)
def test_silence_at_the_language_question_goes_on_in_the_known_language(client, officer, phone):
    book_by_api(client, officer, language="fr")
    walker = phone()
    walker.call()
    walker.silence()
    assert walker.waiting_for == "keys"
    assert walker.last.find("Gather").get("action").startswith("/ivr/menu")
    assert walker.heard[-1][0] == "fr"


@freeze_time(NOW)
def test_a_wrong_key_at_the_language_question_asks_it_again(phone):
    walker = phone(caller="+32475000111")
    walker.call()
    heard = walker.press("7")
    assert heard == [
        "Voor Nederlands, druk 1.",
        "Pour le français, appuyez sur 2.",
        "For English, press 3.",
    ]
    assert walker.last.find("Gather").get("action").startswith("/ivr/language")
