"""The contact form over HTTP: a question in three languages, the date the zone answers by
(weekends and holidays skipped), the confirmation message, errors next to the fields, the
honeypot, the rate limits and a double click that makes one question."""

import re

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.notify.models import OutboxMessage
from app.reports.models import Report
from scheduling.enums import MessageKind, NoticeChannel
from tests.app.meldpunt.conftest import form_of

MOBILE, LANDLINE = "0470 12 34 56", "054 31 35 01"
pytestmark = pytest.mark.usefixtures("question")


def ask(client, *, lang="en", **fields):
    data = form_of(client, f"/contact?lang={lang}")
    data |= {
        "question": "Mag ik mijn fiets laten graveren?",
        "answer_by": "sms",
        "phone": MOBILE,
        "name": "An Peeters",
        **fields,
    }
    return client.post("/contact", data=data)


def reports(session) -> list[Report]:
    return list(session.scalars(select(Report).order_by(Report.id)))


@pytest.mark.parametrize(
    ("lang", "promised", "heading"),
    [
        ("nl", "dinsdag 8 december 2026", "Uw vraag is verstuurd"),
        ("fr", "mardi 8 décembre 2026", "Votre question a été envoyée"),
        ("en", "Tuesday 8 December 2026", "Your question has been sent"),
    ],
)
def test_a_question_is_confirmed_with_its_number_link_and_promised_date(
    client, session, frozen, lang, promised, heading
):
    sent = ask(client, lang=lang)
    assert sent.status_code == 302
    assert sent.location.endswith("/contact/done")

    page = client.get(sent.location).get_data(as_text=True)
    [report] = reports(session)
    assert heading in page
    assert report.number in page
    assert promised in page
    link = re.search(r'href="(/status/[A-Za-z0-9_-]+)"', page)
    assert link
    assert client.get(link.group(1)).status_code == 200
    assert (report.language, report.reporter_phone) == (lang, "+32470123456")
    [sms] = session.scalars(select(OutboxMessage)).all()
    assert (sms.kind, sms.channel) == (MessageKind.REPORT_RECEIVED, NoticeChannel.SMS)
    assert "08/12" in sms.body


@pytest.mark.parametrize(
    ("asked", "promised"),
    [
        # Thursday 24 December, 10:00: Christmas, a weekend, New Year and a weekend skipped.
        ("2026-12-24T09:00:00Z", "Monday 4 January 2027"),
        # Friday 4 December after the answer hours: counted from Monday 7, as if asked then.
        ("2026-12-04T17:30:00Z", "Monday 14 December 2026"),
    ],
)
def test_the_promised_date_skips_weekends_and_public_holidays(client, session, asked, promised):
    with freeze_time(asked):
        sent = ask(client)
        page = client.get(sent.location).get_data(as_text=True)
    assert promised in page


def test_the_answer_by_e_mail_is_confirmed_by_e_mail(client, session, frozen, with_email):
    sent = ask(client, answer_by="email", email="an.peeters@example.be", phone="")
    assert sent.status_code == 302
    [report] = reports(session)
    assert (report.reporter_email, report.reporter_phone) == ("an.peeters@example.be", None)
    [mail] = session.scalars(select(OutboxMessage)).all()
    assert (mail.channel, mail.recipient) == (NoticeChannel.EMAIL, "an.peeters@example.be")


def test_without_e_mail_in_the_zone_only_sms_is_offered(client, frozen):
    page = client.get("/contact?lang=en").get_data(as_text=True)
    assert 'value="sms"' in page
    assert 'value="email"' not in page
    refused = ask(client, answer_by="email", email="an.peeters@example.be")
    assert refused.status_code == 200
    assert "Choose how you want to hear from us." in refused.get_data(as_text=True)


def test_a_double_click_makes_one_question_and_shows_the_same_confirmation(client, session, frozen):
    data = form_of(client, "/contact?lang=en") | {
        "question": "Waar vind ik het politiekantoor?",
        "answer_by": "sms",
        "phone": MOBILE,
        "name": "An Peeters",
    }
    first = client.post("/contact", data=data)
    second = client.post("/contact", data=data)
    assert first.location == second.location
    [report] = reports(session)
    assert report.number in client.get(second.location).get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"question": ""}, "question", "Write your question."),
        ({"question": "x" * 5001}, "question", "Keep it to 5000 characters (this is 5001)."),
        ({"question": "Hallo \u202ewereld"}, "question", "Remove the special characters"),
        ({"answer_by": ""}, "answer_by", "Choose how you want to hear from us."),
        ({"phone": LANDLINE}, "phone", "This number cannot receive an SMS. Give a mobile number."),
        ({"phone": "12"}, "phone", "Enter a mobile number like 0470 12 34 56."),
        ({"phone": ""}, "phone", "Enter your mobile number."),
        ({"name": ""}, "name", "Enter your name."),
    ],
)
def test_bad_input_is_said_next_to_its_field_and_kept(
    client, session, frozen, fields, field, message
):
    answer = ask(client, **fields)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert f'id="{field}-error"' in page
    assert message in page
    assert reports(session) == []


def test_an_error_is_said_in_the_page_s_language(client, frozen):
    page = ask(client, lang="fr", question="").get_data(as_text=True)
    assert "Écrivez votre question." in page


def test_html_and_emoji_are_shown_back_harmlessly(client, session, frozen):
    text = "<script>alert(1)</script> 🚲 fiets"
    sent = ask(client, question=text)
    [report] = reports(session)
    assert report.description == text
    done = client.get(sent.location).get_data(as_text=True)
    link = re.search(r'href="(/status/[A-Za-z0-9_-]+)"', done)
    assert link
    page = client.get(link.group(1)).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 🚲 fiets" in page
    assert "<script>alert" not in page


def test_the_honeypot_refuses_a_bot(client, session, frozen):
    assert ask(client, website="https://spam.example").status_code == 400
    assert reports(session) == []


def test_questions_to_one_number_are_limited(client, session, frozen):
    for n in range(3):
        assert ask(client, question=f"Vraag {n}").status_code == 302
    assert ask(client, question="Vraag 4").status_code == 429
    assert len(reports(session)) == 3


def test_questions_from_one_address_are_limited(client, session, frozen):
    for n in range(10):
        phone = f"0470 12 34 {n:02d}"
        assert ask(client, question=f"Vraag {n}", phone=phone).status_code == 302
    assert ask(client, question="Nog een", phone="0470 99 99 99").status_code == 429


def test_the_done_page_without_a_question_sent_goes_to_the_form(client):
    assert client.get("/contact/done").location.endswith("/contact")
