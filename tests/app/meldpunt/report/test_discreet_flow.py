"""/melden/discreet: the sensitive phenomena's calm entry and questions — a neutral title and
address on every page, quick exit and help lines on every page, anonymous possible, contact
only in the way the reporter chooses; the report goes to the restricted team alone."""

import re
from dataclasses import replace

import pytest
from flask import Flask
from freezegun import freeze_time
from sqlalchemy import select

from app.demo.report_categories import CATEGORIES
from app.reports.access import RESTRICTED_TEAM
from app.reports.enums import ContactHow
from app.reports.models import Report, ReportCategory
from tests.app.meldpunt.report.walk import csrf, post

NOW = "2026-12-01T09:00:00Z"
SUBJECTS = [
    name
    for spec in CATEGORIES
    if spec.get("sensitive")
    for name in (spec["code"], *spec["names"].values())
]
TITLES = {"nl": "Melden aan de politie", "fr": "Signaler à la police", "en": "Report to the police"}


@pytest.fixture
def exit_to(app: Flask):
    """The zone's quick-exit address, as a zone would set it."""
    config = app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = replace(config, quick_exit_url="https://www.example.org/weather")
    yield "https://www.example.org/weather"
    app.config["BLAUWLIJN"] = config


def assert_discreet(html: str, lang: str, exit_url: str) -> None:
    """A page of the discreet flow: its title names no subject, quick exit and the help
    lines are on it."""
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert TITLES[lang] in title
    for subject in SUBJECTS:
        assert subject.lower() not in title.lower()
    assert f'href="{exit_url}"' in html
    assert "data-quick-exit" in html
    assert 'href="tel:1712"' in html  # the zone's help lines (config.help_lines)


@freeze_time(NOW)
@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_an_anonymous_sensitive_report_reaches_the_restricted_team_alone(
    client, zone, session, exit_to, lang
):
    client.get(f"/melden?lang={lang}")
    token = csrf(client, "/melden/discreet")
    entry = client.get("/melden/discreet").get_data(as_text=True)
    assert_discreet(entry, lang, exit_to)
    assert "Sluikstort" not in entry  # only the sensitive categories
    pages = [
        post(client, "/melden/discreet", token, category="discrimination"),
        post(client, "/melden/discreet/where", token),  # no one place: allowed here
        post(client, "/melden/discreet/when", token, when="recurring", recurring="Elke week"),
        post(client, "/melden/discreet/what", token, description="Scheldwoorden aan de bushalte"),
        post(client, "/melden/discreet/photos", token, action="continue"),
        post(client, "/melden/discreet/who", token, contact_how="not_at_all", website=""),
    ]
    assert [p.status_code for p in pages] == [302] * 6
    assert [p.location for p in pages] == [
        f"/melden/discreet/{step}" for step in ("where", "when", "what", "photos", "who", "check")
    ]
    for step in ("where", "when", "what", "photos", "who", "check"):
        assert_discreet(
            client.get(f"/melden/discreet/{step}").get_data(as_text=True), lang, exit_to
        )
    assert post(client, "/melden/discreet/check", token).location == "/melden/done"
    done = client.get("/melden/done").get_data(as_text=True)
    assert_discreet(done, lang, exit_to)
    for subject in SUBJECTS:  # the confirmation names no subject either
        assert subject.lower() not in done.lower()

    [report] = session.scalars(select(Report)).all()
    assert report.number in done
    assert report.category.code == "discrimination"
    assert (report.assigned_team, report.assigned_staff_id) == (RESTRICTED_TEAM, None)
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == (None,) * 3
    assert report.contact_how == ContactHow.NOT_AT_ALL
    assert report.recurring == "Elke week"
    assert report.language == lang


@freeze_time(NOW)
def test_the_reporter_chooses_how_and_when_they_may_be_contacted_never_by_sms(
    client, zone, session
):
    client.get("/melden?lang=nl")
    token = csrf(client, "/melden/discreet")
    post(client, "/melden/discreet", token, category="transgressive_behaviour")
    post(client, "/melden/discreet/where", token, landmark="Op het werk")
    post(client, "/melden/discreet/when", token, when="now")
    post(client, "/melden/discreet/what", token, description="Ongewenste aanrakingen")
    post(client, "/melden/discreet/photos", token, action="continue")
    who = client.get("/melden/discreet/who").get_data(as_text=True)
    assert "nooit een sms" in who
    unchosen = post(client, "/melden/discreet/who", token, website="").get_data(as_text=True)
    assert 'id="contact_how-error"' in unchosen
    no_phone = post(client, "/melden/discreet/who", token, contact_how="phone", website="")
    assert 'id="phone-error"' in no_phone.get_data(as_text=True)
    no_time = post(
        client, "/melden/discreet/who", token, contact_how="phone", phone="0470112233", website=""
    )
    assert 'id="contact_when-error"' in no_time.get_data(as_text=True)  # only when they say
    no_mail = post(client, "/melden/discreet/who", token, contact_how="email", website="")
    assert 'id="email-error"' in no_mail.get_data(as_text=True)
    chosen = post(
        client,
        "/melden/discreet/who",
        token,
        contact_how="phone",
        phone="0470 11 22 33",
        contact_when="Weekdagen na 18:00",
        email="niet@gebruikt.be",  # typed, then phone chosen: not kept
        website="",
    )
    assert chosen.location == "/melden/discreet/check"
    post(client, "/melden/discreet/check", token)
    [report] = session.scalars(select(Report)).all()
    assert (report.contact_how, report.reporter_phone, report.contact_when) == (
        ContactHow.PHONE,
        "+32470112233",
        "Weekdagen na 18:00",
    )
    assert report.reporter_email is None
    assert report.assigned_team == RESTRICTED_TEAM


@freeze_time(NOW)
def test_the_discreet_pages_send_back_to_the_entry_without_a_sensitive_draft(client, zone):
    client.get("/melden?lang=en")
    token = csrf(client, "/melden/discreet")
    assert client.get("/melden/discreet/what").location == "/melden/discreet"
    post(client, "/melden/illegal_dumping/where", token, landmark="Achter de kerk")
    assert client.get("/melden/discreet/where").location == "/melden/discreet"
    unknown = post(client, "/melden/discreet", token, category="illegal_dumping")
    assert 'id="category-error"' in unknown.get_data(as_text=True)


@freeze_time(NOW)
def test_a_sensitive_category_without_anonymous_reports_asks_a_name_and_a_way(
    client, zone, session
):
    session.scalars(
        select(ReportCategory).where(ReportCategory.code == "extremism")
    ).one().anonymous_allowed = False
    session.commit()
    client.get("/melden?lang=en")
    token = csrf(client, "/melden/discreet")
    post(client, "/melden/discreet", token, category="extremism")
    post(client, "/melden/discreet/where", token)
    post(client, "/melden/discreet/when", token, when="now")
    post(client, "/melden/discreet/what", token, description="Recruiting at the youth club")
    post(client, "/melden/discreet/photos", token, action="continue")
    refused = post(client, "/melden/discreet/who", token, contact_how="not_at_all", website="")
    page = refused.get_data(as_text=True)
    assert 'id="name-error"' in page
    assert 'id="contact_how-error"' in page
    chosen = post(
        client,
        "/melden/discreet/who",
        token,
        contact_how="email",
        email="witness@example.be",
        name="A. Witness",
        website="",
    )
    assert chosen.location == "/melden/discreet/check"
    assert post(client, "/melden/discreet/check", token).location == "/melden/done"
    [report] = session.scalars(select(Report)).all()
    assert (report.reporter_name, report.reporter_email) == ("A. Witness", "witness@example.be")
