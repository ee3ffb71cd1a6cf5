"""Issue 15's walk on the demo zone, as the README tells a newcomer to do it with `make run`:
a French illegal-dumping report with a photo, an anonymous Dutch report of a sensitive
phenomenon and a question through the contact form; then, as staff, the dumping report is
with the wijkagent of its street, the sensitive one only with the restricted team (and its
opening is in the access log), and the question is answered so that the citizen's status
page shows the answer."""

import re
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select

from app.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
from app.reports.models import Report, SensitiveAccess
from scheduling.models import Staff
from tests.app.meldpunt.conftest import form_of
from tests.app.meldpunt.report.walk import csrf, jpeg, post
from tests.staff_login import post_code, post_login

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)  # Tuesday 10:00 in Brussels
PLAATS_1 = {"postcode": "1547", "street": "Plaats", "number": "1"}  # the README's address


def _staff(app: Flask, number: str) -> FlaskClient:
    """A demo staff member signed in with the documented demo login."""
    client = app.test_client()
    answer = post_login(client, number, DEMO_PASSWORD)
    if answer.location.endswith("/staff/login/code"):
        answer = post_code(client, pyotp.TOTP(DEMO_TOTP_SECRET).now())
    assert answer.status_code == 302
    assert "/login" not in answer.location, answer.location
    return client


def _report_dumping_in_french(app: Flask) -> str:
    citizen = app.test_client()
    citizen.get("/melden?lang=fr")
    token = csrf(citizen)
    flow = "/melden/illegal_dumping"
    assert post(citizen, f"{flow}/where", token, **PLAATS_1).status_code == 302
    assert post(citizen, f"{flow}/when", token, when="now").status_code == 302
    assert (
        post(citizen, f"{flow}/what", token, description="Des sacs de déchets").status_code == 302
    )
    photo = {"csrf_token": token, "action": "add", "photos": (BytesIO(jpeg()), "sacs.jpg")}
    assert citizen.post(f"{flow}/photos", data=photo).status_code == 302
    assert post(citizen, f"{flow}/photos", token, action="continue").status_code == 302
    who = {"name": "Marie Dubois", "email": "marie@example.be", "website": ""}
    assert post(citizen, f"{flow}/who", token, **who).status_code == 302
    assert post(citizen, f"{flow}/check", token).location == "/melden/done"
    done = citizen.get("/melden/done").get_data(as_text=True)
    return re.search(r"M-2026-\d{6}", done).group(0)


def _report_discrimination_anonymously_in_dutch(app: Flask) -> str:
    citizen = app.test_client()
    citizen.get("/melden?lang=nl")
    token = csrf(citizen, "/melden/discreet")
    steps = [
        ("/melden/discreet", {"category": "discrimination"}),
        ("/melden/discreet/where", {}),
        ("/melden/discreet/when", {"when": "recurring", "recurring": "Elke week"}),
        ("/melden/discreet/what", {"description": "Scheldwoorden aan de bushalte"}),
        ("/melden/discreet/photos", {"action": "continue"}),
        ("/melden/discreet/who", {"contact_how": "not_at_all", "website": ""}),
    ]
    for path, data in steps:
        assert post(citizen, path, token, **data).status_code == 302, path
    assert post(citizen, "/melden/discreet/check", token).location == "/melden/done"
    done = citizen.get("/melden/done").get_data(as_text=True)
    assert "discrimin" not in done.lower()
    return re.search(r"M-2026-\d{6}", done).group(0)


def _ask_a_question(app: Flask) -> tuple[str, FlaskClient, str]:
    citizen = app.test_client()
    data = form_of(citizen, "/contact?lang=nl")
    data |= {
        "question": "Mag ik mijn fiets laten graveren?",
        "answer_by": "sms",
        "phone": "0470 12 34 56",
        "name": "An Peeters",
    }
    sent = citizen.post("/contact", data=data)
    assert sent.status_code == 302, sent.get_data(as_text=True)[-1500:]
    done = citizen.get(sent.location).get_data(as_text=True)
    status_path = re.search(r"https?://[^/\"]+(/status/[A-Za-z0-9_-]+)", done).group(1)
    return re.search(r"V-2026-\d{6}", done).group(0), citizen, status_path


def test_the_newcomers_walk_through_the_reporting_point(app, session, monkeypatch):
    monkeypatch.setitem(app.config, "BLAUWLIJN", replace(app.config["BLAUWLIJN"], demo_mode=True))
    with freeze_time(NOW) as clock:
        seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)
        dumping = _report_dumping_in_french(app)
        sensitive = _report_discrimination_anonymously_in_dutch(app)
        question, citizen, status_path = _ask_a_question(app)

        def case(number: str) -> Report:
            return session.scalars(select(Report).where(Report.number == number)).one()

        # The dumping report is with the wijkagent of Plaats 1, Bever, with its photo.
        wijkagent = _staff(app, "GALOP-1009")
        mine = wijkagent.get("/staff/reports").get_data(as_text=True)
        assert dumping in mine
        assert sensitive not in mine
        page = wijkagent.get(f"/staff/reports/{case(dumping).id}").get_data(as_text=True)
        assert "Des sacs de déchets" in page
        assert f"/staff/reports/{case(dumping).id}/photos/" in page
        assert wijkagent.get(f"/staff/reports/{case(sensitive).id}").status_code == 403

        # The intake desk sees only that a sensitive report arrived; the lead reads it, and
        # that opening is in the access log.
        desk = _staff(app, "GALOP-6001")
        queue = desk.get("/staff/reports").get_data(as_text=True)
        assert sensitive in queue
        assert "Scheldwoorden" not in queue
        assert desk.get(f"/staff/reports/{case(sensitive).id}").status_code == 403
        clock.tick(31)  # a TOTP code is taken once: the next second-factor sign-in a step on
        lead = _staff(app, "GALOP-6102")
        opened = lead.get(f"/staff/reports/{case(sensitive).id}").get_data(as_text=True)
        assert "Scheldwoorden aan de bushalte" in opened
        log = session.scalars(select(SensitiveAccess)).all()
        assert [(row.report_id, row.staff_id) for row in log] == [
            (
                case(sensitive).id,
                session.scalars(
                    select(Staff.id).where(Staff.personnel_number == "GALOP-6102")
                ).one(),
            )
        ]
        assert sensitive in lead.get("/staff/reports/access-log").get_data(as_text=True)

        # The desk answers the question; the citizen's status page shows the answer.
        page = f"/staff/reports/{case(question).id}"
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', desk.get(page).get_data(as_text=True)
        ).group(1)
        answered = desk.post(
            f"{page}/close",
            data={"csrf_token": token, "message": "Ja, op de infoavond van 10 december."},
        )
        assert answered.status_code == 302, answered.get_data(as_text=True)[-1500:]
        status = citizen.get(status_path).get_data(as_text=True)
        assert "Ja, op de infoavond van 10 december." in status
