"""Whole calls walked key by key with the ivr-sim walker, every branch in nl, fr and en."""

from datetime import UTC, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.notify.models import CallbackTask, OutboxMessage
from app.ratelimit import LIMITS
from app.worker import notify_events
from callcenter.presence import keep_alive
from scheduling.enums import BookingStatus, Channel, EventKind, MessageKind
from scheduling.models import AuditEntry, Booking, DomainEvent
from tests.api_calls import book_by_api
from tests.factories import NOW
from tests.ivr.walks import KEYS, LANGUAGES, SAID, call_of, dial_in, hears

pytestmark = pytest.mark.usefixtures("officer")


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_recognised_caller_hears_and_confirms_the_appointment(
    client, officer, session, phone, language
):
    book_by_api(client, officer)
    walker = dial_in(phone, language)
    walker.press("1")
    assert hears(walker, SAID[language])
    walker.press("1")
    assert walker.ended
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "attendance_confirmed")
    ).one()
    assert entry.channel is Channel.PHONE
    call = call_of(session, walker)
    assert call.outcome == "confirmed"
    assert call.ended_at is not None
    assert call.path[-2:] == ["menu:1", "appointment:1"]


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_cancel_by_phone_tells_the_officer(app, client, officer, session, phone, language):
    reference = book_by_api(client, officer)["reference"]
    walker = dial_in(phone, language)
    walker.press("1")
    walker.press("2")
    assert walker.last.find("Gather").get("finishOnKey") == "#"  # the code first
    heard = walker.press(f"{reference}#")
    assert any(SAID[language] in line for line in heard)  # the question names the moment
    walker.press("1")
    assert walker.ended
    session.expire_all()
    assert session.scalars(select(Booking.status)).one() is BookingStatus.CANCELLED
    event = session.scalars(
        select(DomainEvent).where(DomainEvent.kind == EventKind.CANCELLED_BY_CITIZEN)
    ).one()
    assert event.payload["channel"] == "phone"
    notify_events(app)
    notice = session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == MessageKind.CANCELLED_BY_CITIZEN)
    ).one()
    assert notice.recipient == officer.phone


@freeze_time(NOW)
def test_keeping_the_appointment_at_the_cancel_question(client, officer, session, phone):
    reference = book_by_api(client, officer)["reference"]
    walker = dial_in(phone, "nl")
    walker.press("1")
    walker.press("2")
    walker.press(f"{reference}#")
    walker.press("2")
    session.expire_all()
    assert session.scalars(select(Booking.status)).one() is BookingStatus.CONFIRMED


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_move_link_by_sms_opens_the_appointment(client, officer, session, phone, language):
    reference = book_by_api(client, officer, language=language)["reference"]
    walker = phone(caller="+32475000111")  # a code works from any phone
    walker.call()
    walker.press("1")  # Nederlands
    walker.press("1")
    walker.press(f"{reference}#")
    assert hears(walker, "Wijkpost Bever")  # with the code: the whole appointment
    walker.press("3")
    assert walker.ended
    sms = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == MessageKind.LINK)).one()
    assert sms.recipient == "+32470123456"  # to the appointment's own number
    assert sms.language == language  # a known booking's language
    link = "/appointment/" + sms.body.split("/appointment/")[1].split()[0]
    assert link.endswith("/move")
    assert client.get(link).status_code == 200
    page = client.get(link.removesuffix("/move"))
    assert reference in page.get_data(as_text=True)


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_number_keys_the_booking_code(client, officer, session, phone, language):
    reference = book_by_api(client, officer)["reference"]
    walker = dial_in(phone, language, caller="+32475000111")
    walker.press("1")
    assert walker.last.find("Gather").get("finishOnKey") == "#"
    walker.press("123456789#")  # wrong: explained, another try
    assert walker.waiting_for == "keys"
    walker.press(f"{reference}#")
    assert hears(walker, SAID[language])
    assert hears(walker, "Wijkpost Bever")


@freeze_time(NOW)
def test_no_code_twice_goes_back_to_the_menu(client, officer, phone):
    book_by_api(client, officer)
    walker = dial_in(phone, "en", caller="+32475000111")
    walker.press("1")
    walker.silence()
    walker.silence()
    assert walker.last.find("Gather").get("action").startswith("/ivr/menu")
    assert walker.heard[-1][1] == "To hear this again, press 0."


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_make_an_appointment_by_sms_link(session, phone, language):
    walker = dial_in(phone, language)
    walker.press("2")
    walker.press("1")
    assert walker.ended
    sms = session.scalars(select(OutboxMessage)).one()
    assert sms.kind is MessageKind.LINK
    assert f"/book?lang={language}" in sms.body
    assert call_of(session, walker).outcome == "link_sent"


@freeze_time(NOW)
def test_no_sms_link_to_a_landline(session, phone):
    walker = dial_in(phone, "nl", caller="+3254313599")
    walker.press("2")
    walker.press("1")
    assert walker.waiting_for == "keys"
    assert session.scalars(select(OutboxMessage)).all() == []


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_book_one_of_the_next_three_moments_with_the_keypad(session, phone, language):
    walker = dial_in(phone, language)
    walker.press("2")
    walker.press("2")
    walker.press("1547")
    walker.press("3#")
    walker.press("752#")  # P-L-A
    heard = walker.press("1")  # Plaats
    moments = {
        "nl": ["om negen uur", "om half tien", "om tien uur"],
        "fr": ["à 9 heures", "à 9 heures et demie", "à 10 heures"],
        "en": ["at nine o'clock", "at half past nine", "at ten o'clock"],
    }[language]
    assert all(any(m in line for line in heard) for m in moments)
    walker.press("2")
    walker.press("2")  # no earlier moment by SMS (tests/ivr/test_book_earlier.py)
    assert walker.ended
    booking = session.scalars(select(Booking)).one()
    assert booking.channel is Channel.PHONE
    assert booking.citizen_phone == "+32470123456"
    assert booking.language == language
    assert booking.start_at.isoformat() == "2026-12-02T08:30:00+00:00"
    assert (booking.address_postcode, booking.address_street, booking.address_number) == (
        "1547",
        "Plaats",
        "3",
    )
    kinds = {m.kind for m in session.scalars(select(OutboxMessage))}
    assert MessageKind.CONFIRMATION in kinds


@freeze_time(NOW)
def test_the_keypad_books_no_more_for_a_number_than_the_web_would(session, phone, monkeypatch):
    monkeypatch.setitem(LIMITS, "booking-phone", 0)  # this number has booked its five already
    walker = dial_in(phone, "en")
    walker.press("2")
    walker.press("2")
    walker.press("1547")
    walker.press("3#")
    walker.press("752#")
    walker.press("1")
    heard = walker.press("2")
    assert any("booked several appointments in the last hour" in line for line in heard)
    assert walker.ended
    assert session.scalars(select(Booking)).all() == []


@freeze_time(NOW)
def test_an_address_outside_the_zone_gets_one_retry(session, phone):
    walker = dial_in(phone, "nl")
    walker.press("2")
    walker.press("2")
    walker.press("9999")
    walker.press("1#")
    assert walker.last.find("Gather").get("action").startswith("/ivr/book/postcode")
    walker.press("12")  # not four digits
    walker.silence()  # the postcode question times out
    assert walker.waiting_for == "keys"
    assert session.scalars(select(Booking)).all() == []


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_leave_a_message(session, phone, language):
    walker = dial_in(phone, language)
    walker.press("3")
    assert walker.waiting_for == "message"
    record = walker.last.find("Record")
    assert record.get("transcribeCallback") == "/ivr/message/transcribed"
    walker.speak("Please call me about my bicycle.")
    assert walker.ended
    task = session.scalars(select(CallbackTask)).one()
    assert task.phone == "+32470123456"
    assert task.recording_url.startswith("https://api.twilio.com/recordings/RE")
    assert task.transcription == "Please call me about my bicycle."
    assert task.call_id == call_of(session, walker).id


@freeze_time(NOW)
def test_a_transcription_is_kept_without_control_or_direction_characters(session, phone):
    walker = dial_in(phone, "nl")
    walker.press("3")
    walker.speak("Bel me\x00 terug \u202eover mijn fiets")
    task = session.scalars(select(CallbackTask)).one()
    assert task.transcription == "Bel me terug over mijn fiets"


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_practical_information(phone, language):
    walker = dial_in(phone, language)
    heard = walker.press("4")
    assert any("112" in line and "101" in line for line in heard)
    assert any("Wijkpost Bever" in line for line in heard)
    assert walker.press("*")[-1] == walker.heard[-1][1]
    assert walker.last.find("Gather").get("action").startswith("/ivr/menu")


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_wrong_key_is_explained_and_the_menu_offered_again(phone, said, language):
    walker = dial_in(phone, language)
    heard = walker.press("6")
    assert heard[0] == said(language, "Sorry, that key is not in the menu.")
    assert heard[-1] == said(language, "To hear this again, press 0.")
    assert walker.press("0")[-1] == said(language, "To hear this again, press 0.")


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", ["#", "9"])  # the hash key ended a question; 9 was French
def test_the_hash_key_and_old_language_keys_are_wrong_keys_not_silence(
    session, phone, said, language, key
):
    walker = dial_in(phone, language)
    heard = walker.press(key)
    assert heard[0] == said(language, "Sorry, that key is not in the menu.")
    assert heard[1] == said(language, "For your appointment, press 1.")  # the menu again
    assert walker.heard[-1] == (language, said(language, "To hear this again, press 0."))
    assert call_of(session, walker).language == language


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_silence_twice_then_message_offer_then_goodbye(session, phone, said, language):
    walker = dial_in(phone, language)
    assert walker.silence()[0] == said(language, "Sorry, we did not hear a choice.")
    assert walker.silence()[0] == said(
        language, "We still did not hear a choice. To leave a message, press 3 now."
    )
    assert walker.silence()[-1] == said(language, "Thank you for calling. Goodbye.")
    assert walker.ended
    assert call_of(session, walker).outcome == "silent"


@freeze_time(NOW)
def test_the_message_offer_after_silence_records(session, phone):
    walker = dial_in(phone, "nl")
    walker.silence()
    walker.silence()
    walker.press("3")
    assert walker.waiting_for == "message"


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_queue_with_call_back_offer(session, phone, said, call_taker, language):
    walker = phone()
    walker.call()
    walker.press(KEYS[language])
    assert walker.last.find("Gather").get("action").startswith("/ivr/topic")
    heard = walker.press("2")
    assert "[hold music]" in heard
    assert said(language, "You are number %(position)s in line.", position=1) in heard
    walker.keep_waiting()
    heard = walker.keep_waiting()  # 120 s waited: the offer comes
    assert said(language, "To be called back instead, press 1.") in heard
    walker.press("1")
    assert walker.ended
    call = call_of(session, walker)
    assert (call.topic, call.outcome, call.language) == (
        "report_or_question",
        "callback_requested",
        language,
    )
    task = session.scalars(select(CallbackTask)).one()
    assert task.phone == "+32470123456"
    assert "report_or_question" in task.reason
    sms = session.scalars(select(OutboxMessage)).one()  # the caller is told, in their language
    assert (sms.kind, sms.recipient, sms.language) == (
        MessageKind.CALLBACK,
        "+32470123456",
        language,
    )
    assert "112" in sms.body


@freeze_time(NOW)
def test_a_landline_caller_gets_no_call_back_sms(session, phone, call_taker):
    walker = phone(caller="+3225551212")
    walker.call()
    walker.press("1")  # Nederlands
    walker.press("2")
    walker.keep_waiting()
    walker.keep_waiting()
    walker.press("1")
    assert session.scalars(select(CallbackTask.phone)).one() == "+3225551212"
    assert session.scalars(select(OutboxMessage)).all() == []


@freeze_time(NOW)
def test_silence_at_the_topic_choice_still_queues(session, phone, call_taker):
    walker = phone()
    walker.call()
    walker.press("1")  # Nederlands
    walker.silence()
    assert walker.waiting_for == "queue"
    assert call_of(session, walker).topic == "other"


@freeze_time(NOW)
def test_caller_answered_by_a_call_taker(session, phone, call_taker):
    walker = phone()
    walker.call()
    walker.press("1")  # Nederlands
    walker.press("1")
    walker.answered_by_call_taker()
    assert walker.ended
    assert call_of(session, walker).outcome == "answered"


@freeze_time(NOW)
def test_hanging_up_in_the_queue_is_kept_for_follow_up(session, phone, call_taker):
    walker = phone()
    walker.call()
    walker.press("1")  # Nederlands
    walker.press("3")
    walker.hang_up()
    call = call_of(session, walker)
    assert call.outcome == "abandoned"
    assert call.duration_seconds is not None
    assert "hung up while waiting" in session.scalars(select(CallbackTask.reason)).one()


@pytest.mark.parametrize("choice", ["1", "2"])
def test_at_closing_time_a_call_back_or_the_menu(session, phone, said, call_taker, choice):
    with freeze_time("2026-12-01T19:59:00Z") as frozen:  # 20:59 in Brussels
        keep_alive(session, call_taker.id, datetime.now(UTC))  # their console is open
        walker = phone()
        walker.call()
        walker.press("1")  # Nederlands
        walker.press("1")
        frozen.move_to("2026-12-01T20:00:30Z")  # 21:00:30: closed
        heard = walker.keep_waiting()
        assert heard[0] == said("nl", "Our call-takers are closing now.")
        assert walker.last.find("Gather").get("action").startswith("/ivr/queue/closing")
        walker.press(choice)
    if choice == "1":
        assert walker.ended
        assert "closed while they waited" in session.scalars(select(CallbackTask.reason)).one()
    else:
        assert walker.last.find("Gather").get("action").startswith("/ivr/menu")


@pytest.mark.parametrize(
    "day", ["2026-12-25T09:00:00Z", "2026-04-06T09:00:00Z", "2026-12-05T09:00:00Z"]
)
def test_holidays_and_weekends_go_to_the_menu_even_with_call_takers(phone, call_taker, day):
    with freeze_time(day):
        walker = phone()
        walker.call()
        walker.press("1")  # Nederlands
    assert walker.last.find("Gather").get("action").startswith("/ivr/menu")
