"""The status page behind the private link: plain words in three languages, the answer and the
news in order, the promised date; adding information and withdrawing while it is open; a
sensitive report's page that names nothing; a wrong link that tells nothing."""

import pytest
from sqlalchemy import select

from app.notify.models import OutboxMessage
from app.reports import commands, status_link, telling
from app.reports.access import RESTRICTED_TEAM
from app.reports.commands import Promise, Reporter, Submission, staff
from app.reports.enums import ContactHow, ReportEventKind, ReportStatus
from scheduling.enums import MessageKind, Role
from scheduling.hours import parse_hours
from tests.app.meldpunt.conftest import form_of
from tests.app.reports.factories import BXL, NOW, make_category
from tests.factories import make_staff

PROMISE = Promise(working_days=5, hours=parse_hours("mon-fri 08:00-17:00"), zone=BXL)
MOBILE = "+32470123456"


def ask(session, question, text="Mag ik mijn fiets laten graveren?", language="en"):
    submission = Submission(
        category_code=question.code,
        description=text,
        language=language,
        reporter=Reporter(name="An Peeters", phone=MOBILE),
    )
    submitted = commands.submit_question(session, submission, now=NOW, promise=PROMISE)
    session.commit()
    return submitted


@pytest.mark.parametrize(
    ("lang", "words", "promised"),
    [
        ("nl", "Nieuw: we hebben het ontvangen", "dinsdag 8 december 2026"),
        ("fr", "Nouveau : nous l'avons reçu", "mardi 8 décembre 2026"),
        ("en", "New: we have received it", "Tuesday 8 December 2026"),
    ],
)
def test_a_new_question_s_page_says_where_it_stands_and_the_promised_date(
    client, session, question, frozen, lang, words, promised
):
    submitted = ask(session, question)
    page = client.get(f"/status/{submitted.status_token}?lang={lang}").get_data(as_text=True)
    assert submitted.report.number in page
    assert words in page.replace("&#39;", "'")
    assert promised in page
    assert "Mag ik mijn fiets laten graveren?" in page


def test_an_answered_question_shows_its_answer_and_queues_the_message(
    client, session, question, frozen, app
):
    submitted = ask(session, question)
    desk = make_staff(session, roles=(Role.INTAKE,))
    commands.public_update(
        session, submitted.report, "We zoeken het uit.", actor=staff(desk.id), now=NOW
    )
    answer = "U kunt uw fiets elke woensdag laten graveren.\nBreng uw identiteitskaart mee."
    event = commands.close_with_message(
        session, submitted.report, answer, actor=staff(desk.id), now=NOW
    )
    with app.app_context():
        telling.after(session, event, config=app.config["BLAUWLIJN"], now=NOW)
    session.commit()

    page = client.get(f"/status/{submitted.status_token}?lang=en").get_data(as_text=True)
    assert "Answered." in page
    shown = "U kunt uw fiets elke woensdag laten graveren.<br>Breng uw identiteitskaart mee."
    assert page.index("We zoeken het uit.") < page.index(shown)  # in order, lines kept
    assert "Add information" not in page  # finished: nothing more to add
    [sms] = session.scalars(select(OutboxMessage)).all()
    assert sms.kind == MessageKind.REPORT_ANSWER
    signed = sms.body.rsplit("/status/", 1)[1].split()[0]
    assert shown in client.get(f"/status/{signed}").get_data(as_text=True)


def test_a_wrong_link_is_a_404_that_tells_nothing(client, session, question):
    submitted = ask(session, question)
    for token in (submitted.status_token[:-2] + "xx", "x" * 27, "x" * 500):
        answer = client.get(f"/status/{token}?lang=en")
        page = answer.get_data(as_text=True)
        assert answer.status_code == 404
        assert "This page does not exist" in page
        assert submitted.report.number not in page


def test_information_is_added_while_it_is_open(client, session, question, frozen):
    submitted = ask(session, question)
    path = f"/status/{submitted.status_token}"
    data = form_of(client, path + "?lang=en")
    empty = client.post(path + "/add", data=data | {"text": ""})
    assert "Write what you want to add." in empty.get_data(as_text=True)
    added = client.post(path + "/add", data=data | {"text": "Het is een elektrische fiets."})
    assert added.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "Het is een elektrische fiets." in page
    assert "Thank you: your information has been added." in page
    kinds = [e.kind for e in submitted.report.events]
    assert kinds[-1] == ReportEventKind.INFORMATION_ADDED


def test_withdrawing_asks_first_then_closes_it(client, session, question, frozen):
    submitted = ask(session, question)
    path = f"/status/{submitted.status_token}"
    confirm = client.get(path + "/withdraw?lang=en").get_data(as_text=True)
    assert "Withdraw your question?" in confirm
    assert submitted.report.status == ReportStatus.NEW  # asking changed nothing
    data = form_of(client, path + "/withdraw")
    assert client.post(path + "/withdraw", data=data).status_code == 302
    session.refresh(submitted.report)
    assert submitted.report.status == ReportStatus.WITHDRAWN
    page = client.get(path).get_data(as_text=True)
    assert "Withdrawn: you withdrew it." in page
    assert "Withdraw it" not in page.replace("Withdrawn", "")
    late = client.post(path + "/add", data=data | {"text": "Toch nog iets"})
    assert late.status_code == 302
    assert [e.kind for e in submitted.report.events][-1] == ReportEventKind.WITHDRAWN


def test_a_merged_report_names_the_case_it_joined(client, session, frozen):
    category = make_category(session)
    one, two = (
        commands.submit_report(
            session,
            Submission(category_code=category.code, description="Lawaai"),
            now=NOW,
            zone=BXL,
        )
        for _ in range(2)
    )
    desk = make_staff(session, roles=(Role.INTAKE,))
    commands.merge(session, two.report, one.report, actor=staff(desk.id), now=NOW)
    session.commit()
    page = client.get(f"/status/{two.status_token}?lang=en").get_data(as_text=True)
    assert f"Handled together with report {one.report.number}" in page


def test_a_sensitive_report_s_page_names_nothing_and_has_the_quick_exit(
    client, session, frozen, app
):
    category = make_category(
        session,
        sensitive=True,
        handled_by=RESTRICTED_TEAM,
        names={"nl": "Radicalisering", "fr": "Radicalisation", "en": "Radicalisation"},
    )
    submitted = commands.submit_report(
        session,
        Submission(
            category_code=category.code,
            description="Mijn neef bezoekt extremistische sites",
            reporter=Reporter(email="x@example.be", contact_how=ContactHow.EMAIL),
        ),
        now=NOW,
        zone=BXL,
    )
    session.commit()
    path = f"/status/{submitted.status_token}"
    added = client.post(
        path + "/add", data=form_of(client, path) | {"text": "Hij heet Jan, woont in Bever"}
    )
    assert added.status_code == 302
    page = client.get(path + "?lang=en").get_data(as_text=True)
    title = page.split("<title>")[1].split("</title>")[0]
    assert "Your message to the police" in title
    for secret in ("Radicali", "extremist", "Hij heet Jan"):
        assert secret not in page
    assert app.config["BLAUWLIJN"].quick_exit_url in page
    assert 'rel="noreferrer"' in page
    withdraw = client.get(path + "/withdraw").get_data(as_text=True)
    assert app.config["BLAUWLIJN"].quick_exit_url in withdraw


def test_the_signed_link_of_a_later_message_opens_the_same_page(client, session, question, app):
    submitted = ask(session, question)
    signed = status_link.issue(submitted.report, secret=app.config["BLAUWLIJN"].secret_key)
    assert submitted.report.number in client.get(f"/status/{signed}").get_data(as_text=True)
    other = status_link.issue(submitted.report, secret="another zone's key")
    assert client.get(f"/status/{other}").status_code == 404


def test_additions_per_link_are_limited(client, session, question, frozen):
    submitted = ask(session, question)
    path = f"/status/{submitted.status_token}"
    data = form_of(client, path)
    for n in range(10):
        assert (
            client.post(path + "/add", data=data | {"text": f"Aanvulling {n}"}).status_code == 302
        )
    assert client.post(path + "/add", data=data | {"text": "Nog een"}).status_code == 429
