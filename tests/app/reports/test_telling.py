"""Telling people (app.reports.telling): the outbox rows each submission and event queues, by
which channel, with which text — and what they never carry."""

import dataclasses
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.config import Config
from app.notify.models import OutboxMessage
from app.reports import commands, status_link, telling, texts
from app.reports.access import RESTRICTED_TEAM
from app.reports.commands import Promise, Reporter, Submission, staff
from app.reports.enums import CategoryKind, ContactHow
from scheduling.enums import MessageKind, NoticeChannel, Role
from scheduling.hours import parse_hours
from scheduling.notices import fits, is_gsm7
from tests.app.reports.factories import BXL, NOW, make_category
from tests.factories import make_district, make_staff

MOBILE, LANDLINE, EMAIL = "+32470123456", "+3254313501", "an.peeters@example.be"
PROMISE = Promise(working_days=5, hours=parse_hours("mon-fri 08:00-17:00"), zone=BXL)
SECRET_SUBJECT = "Mijn buurman bedreigt mij"


@pytest.fixture
def config(app: Flask) -> Config:
    """The app's configuration with e-mail on (SMTP is only named: nothing is sent here)."""
    base: Config = app.config["BLAUWLIJN"]
    return dataclasses.replace(base, smtp_host="127.0.0.1", smtp_from="meldpunt@pz.example")


@pytest.fixture(autouse=True)
def _context(app: Flask):
    with app.app_context():
        yield


def rows(session) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def citizen_rows(session) -> list[OutboxMessage]:
    return [r for r in rows(session) if r.kind != MessageKind.REPORT_STAFF_NOTICE]


def submit(session, category, reporter, **kw):
    submission = Submission(
        category_code=category.code,
        description=kw.pop("description", "Sluikstort naast de glasbol"),
        reporter=reporter,
        **kw,
    )
    if category.kind == CategoryKind.QUESTION:
        return commands.submit_question(session, submission, now=NOW, promise=PROMISE)
    return commands.submit_report(session, submission, now=NOW, zone=BXL)


def test_a_report_is_confirmed_by_sms_and_e_mail_with_its_number_and_status_link(session, config):
    submitted = submit(session, make_category(session), Reporter(phone=MOBILE, email=EMAIL))
    telling.received(session, submitted, config=config, now=NOW)

    sms, mail = citizen_rows(session)
    number = submitted.report.number
    link = f"{config.public_base_url}/status/{submitted.status_token}"
    assert (sms.channel, sms.recipient, sms.kind) == (
        NoticeChannel.SMS,
        MOBILE,
        MessageKind.REPORT_RECEIVED,
    )
    assert sms.idempotency_key == f"report-received:{submitted.report.id}"
    assert number in sms.body
    assert link in sms.body
    assert "Sluikstort" not in sms.body
    assert (mail.channel, mail.recipient) == (NoticeChannel.EMAIL, EMAIL)
    assert mail.idempotency_key == f"email:report-received:{submitted.report.id}"
    assert mail.body == sms.body
    assert number in (mail.subject or "")


def test_a_second_call_queues_nothing_more(session, config):
    submitted = submit(session, make_category(session), Reporter(phone=MOBILE, email=EMAIL))
    telling.received(session, submitted, config=config, now=NOW)
    before = len(rows(session))
    telling.received(session, submitted, config=config, now=NOW + timedelta(seconds=1))
    assert len(rows(session)) == before == 2


def test_a_landline_gets_no_sms(session, config):
    submitted = submit(session, make_category(session), Reporter(phone=LANDLINE))
    telling.received(session, submitted, config=config, now=NOW)
    assert citizen_rows(session) == []


def test_no_e_mail_when_the_zone_sends_none(session, app):
    config = app.config["BLAUWLIJN"]
    assert not config.email_enabled
    submitted = submit(session, make_category(session), Reporter(email=EMAIL))
    telling.received(session, submitted, config=config, now=NOW)
    assert citizen_rows(session) == []


@pytest.mark.parametrize("how", [ContactHow.PHONE, ContactHow.NOT_AT_ALL, None])
def test_a_sensitive_report_is_never_confirmed_by_sms_nor_by_unchosen_e_mail(session, config, how):
    category = make_category(session, sensitive=True, handled_by=RESTRICTED_TEAM)
    reporter = Reporter(phone=MOBILE, email=EMAIL, contact_how=how)
    telling.received(session, submit(session, category, reporter), config=config, now=NOW)
    assert citizen_rows(session) == []


def test_a_sensitive_report_chosen_by_e_mail_never_names_its_subject(session, config):
    category = make_category(
        session,
        sensitive=True,
        handled_by=RESTRICTED_TEAM,
        names={"nl": "Radicalisering", "fr": "Radicalisation", "en": "Radicalisation"},
    )
    reporter = Reporter(phone=MOBILE, email=EMAIL, contact_how=ContactHow.EMAIL)
    submitted = submit(session, category, reporter, description=SECRET_SUBJECT, language="en")
    telling.received(session, submitted, config=config, now=NOW)

    [mail] = citizen_rows(session)
    assert mail.channel == NoticeChannel.EMAIL
    assert mail.body.startswith("Your message to the police has been received.")
    assert submitted.report.number in mail.body
    for secret in ("Radicali", SECRET_SUBJECT, category.code):
        assert secret not in mail.body
        assert secret not in (mail.subject or "")


def test_a_question_s_confirmation_states_the_promised_day(session, config):
    question = make_category(session, kind=CategoryKind.QUESTION)
    submitted = submit(session, question, Reporter(name="An", phone=MOBILE), language="nl")
    telling.received(session, submitted, config=config, now=NOW)
    [sms] = citizen_rows(session)
    # Asked Tuesday 1 December at 10:00: five working days from that day, Tuesday 8th.
    assert "dinsdag 08/12" in sms.body
    assert submitted.report.number.startswith("V-")


def test_the_confirmation_speaks_the_report_s_language(session, config):
    submitted = submit(session, make_category(session), Reporter(phone=MOBILE), language="fr")
    telling.received(session, submitted, config=config, now=NOW)
    [sms] = citizen_rows(session)
    assert sms.language == "fr"
    assert sms.body.startswith("Police Pajottenland : nous avons bien recu")  # GSM-7: no ç


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize(
    "template",
    [
        texts.RECEIVED,
        texts.RECEIVED_QUESTION,
        texts.RECEIVED_SENSITIVE,
        texts.UPDATE,
        texts.UPDATE_SENSITIVE,
        texts.ANSWERED,
        texts.CLOSED,
        texts.CLOSED_SENSITIVE,
        texts.STAFF_NOTICE,
    ],
)
def test_every_text_fits_two_sms_segments(template, language):
    longest = {
        "zone": "Pajottenland",
        "number": "M-2026-000123",
        "day": "woensdag 30/12",
        "link": "https://afspraak.politie-pajottenland.be/status/" + "x" * 32,
    }
    body = texts.compose(template, language, **longest)
    assert fits(body)
    assert is_gsm7(body)
    assert longest["link"] in body


def staff_rows(session) -> list[OutboxMessage]:
    return [r for r in rows(session) if r.kind == MessageKind.REPORT_STAFF_NOTICE]


def test_the_wijkagent_is_told_a_case_is_theirs_without_its_content(session, config):
    officer = make_staff(session, email="wijk@pz.example")
    make_district(session, officer)
    submitted = commands.submit_report(
        session,
        Submission(
            category_code=make_category(session).code,
            description=SECRET_SUBJECT,
            place=commands.Place(street_name="Plaats", house_number="3", postcode="1547"),
            reporter=Reporter(name="An Peeters", phone=MOBILE),
        ),
        now=NOW,
        zone=BXL,
    )
    telling.received(session, submitted, config=config, now=NOW)
    [notice] = staff_rows(session)
    assert (notice.channel, notice.recipient) == (NoticeChannel.EMAIL, "wijk@pz.example")
    assert f"{config.public_base_url}/staff/reports/{submitted.report.id}" in notice.body
    for secret in (SECRET_SUBJECT, "Plaats", "An Peeters", submitted.status_token):
        assert secret not in notice.body
        assert secret not in (notice.subject or "")


def test_a_team_s_active_members_are_told(session, config):
    member = make_staff(session, roles=(Role.RESTRICTED_TEAM,), email="team@pz.example")
    lead = make_staff(session, roles=(Role.RESTRICTED_LEAD,), email="lead@pz.example")
    make_staff(session, roles=(Role.RESTRICTED_TEAM,), email="gone@pz.example", active=False)
    make_staff(session, roles=(Role.SUPERVISOR,), email="chef@pz.example")
    category = make_category(session, sensitive=True, handled_by=RESTRICTED_TEAM)
    submitted = submit(session, category, Reporter())
    telling.received(session, submitted, config=config, now=NOW)
    told = sorted(r.recipient for r in staff_rows(session))
    assert told == sorted([member.email, lead.email])
    assert all("Radicali" not in r.body for r in staff_rows(session))


def test_a_case_for_nobody_tells_the_intake_desk(session, config):
    desk = make_staff(session, roles=(Role.INTAKE,), email="onthaal@pz.example")
    submitted = submit(session, make_category(session), Reporter(), place=commands.Place())
    telling.received(session, submitted, config=config, now=NOW)
    assert [r.recipient for r in staff_rows(session)] == [desk.email]


def test_a_public_update_tells_there_is_news_with_a_link_that_opens_the_report(session, config):
    submitted = submit(session, make_category(session), Reporter(phone=MOBILE))
    report = submitted.report
    desk = make_staff(session, roles=(Role.INTAKE,))
    event = commands.public_update(
        session, report, "De ploeg ruimt op vrijdag op.", actor=staff(desk.id), now=NOW
    )
    telling.after(session, event, config=config, now=NOW)
    telling.after(session, event, config=config, now=NOW)

    [sms] = citizen_rows(session)
    assert (sms.kind, sms.idempotency_key) == (
        MessageKind.REPORT_UPDATE,
        f"report-update:{event.id}",
    )
    assert report.number in sms.body
    assert "vrijdag" not in sms.body
    token = sms.body.rsplit("/status/", 1)[1].split()[0]
    assert status_link.opened(session, token, secret=config.secret_key) is report
    tampered = token[:10] + ("B" if token[10] == "A" else "A") + token[11:]
    assert status_link.opened(session, tampered, secret=config.secret_key) is None


def test_a_question_s_answer_comes_by_e_mail_with_its_text_and_by_sms_without(session, config):
    question = make_category(session, kind=CategoryKind.QUESTION)
    submitted = submit(session, question, Reporter(name="An", phone=MOBILE, email=EMAIL))
    desk = make_staff(session, roles=(Role.INTAKE,))
    answer = "U kunt uw fiets laten graveren op het politiekantoor."
    event = commands.close_with_message(
        session, submitted.report, answer, actor=staff(desk.id), now=NOW
    )
    telling.after(session, event, config=config, now=NOW)

    sms, mail = citizen_rows(session)
    assert {sms.kind, mail.kind} == {MessageKind.REPORT_ANSWER}
    assert sms.idempotency_key == f"report-answer:{event.id}"
    assert mail.idempotency_key == f"email:report-answer:{event.id}"
    assert answer not in sms.body
    assert "/status/" in sms.body
    assert answer in mail.body


def test_a_sensitive_report_s_closing_message_stays_on_the_status_page(session, config):
    category = make_category(session, sensitive=True, handled_by=RESTRICTED_TEAM)
    reporter = Reporter(phone=MOBILE, email=EMAIL, contact_how=ContactHow.EMAIL)
    submitted = submit(session, category, reporter)
    lead = make_staff(session, roles=(Role.RESTRICTED_LEAD,))
    event = commands.close_with_message(
        session, submitted.report, SECRET_SUBJECT, actor=staff(lead.id), now=NOW
    )
    telling.after(session, event, config=config, now=NOW)
    [mail] = citizen_rows(session)
    assert mail.channel == NoticeChannel.EMAIL
    assert SECRET_SUBJECT not in mail.body


def test_a_triage_to_someone_new_tells_them_and_nothing_else_does(session, config):
    submitted = submit(session, make_category(session), Reporter(), place=commands.Place())
    report = submitted.report
    desk = make_staff(session, roles=(Role.INTAKE,), email="onthaal@pz.example")
    officer = make_staff(session, email="agent@pz.example")
    to_officer = commands.triage(
        session, report, actor=staff(desk.id), now=NOW, staff_id=officer.id
    )
    telling.after(session, to_officer, config=config, now=NOW)
    assert [r.recipient for r in staff_rows(session)] == [officer.email]

    note = commands.add_note(session, report, "Buurt kent dit.", actor=staff(desk.id), now=NOW)
    back = commands.triage(session, report, actor=staff(desk.id), now=NOW)  # to the queue
    added = commands.add_information(session, report, "Nog meer", actor=commands.CITIZEN, now=NOW)
    for event in (note, back, added):
        telling.after(session, event, config=config, now=NOW)
    assert len(rows(session)) == 1


def test_no_one_is_told_of_their_own_assignment(session, config):
    submitted = submit(session, make_category(session), Reporter(), place=commands.Place())
    desk = make_staff(session, roles=(Role.INTAKE,), email="onthaal@pz.example")
    event = commands.triage(
        session, submitted.report, actor=staff(desk.id), now=NOW, staff_id=desk.id
    )
    telling.after(session, event, config=config, now=NOW)
    assert staff_rows(session) == []
