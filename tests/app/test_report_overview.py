"""The reports overview (/staff/reports/overview and its CSV): who opens it, what it counts
(sensitive reports only as counts for the whole zone), no access log, no formula injection."""

from datetime import timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.reports import commands
from app.reports.commands import Place
from app.reports.enums import CategoryKind
from app.reports.models import SensitiveAccess
from app.staff.reports.overview import FORMULA_STARTS, safe_cell
from scheduling.enums import Role
from tests.app.reports.factories import NOW, make_category, submit
from tests.staff_login import sign_in_as

PAGES = ("/staff/reports/overview", "/staff/reports/overview.csv")
READERS = (Role.SUPERVISOR, Role.ZONE_CHIEF)
OTHERS = (
    Role.ADMIN,
    Role.CALL_TAKER,
    Role.INTAKE,
    Role.RESTRICTED_TEAM,
    Role.RESTRICTED_LEAD,
    Role.DISTRICT_OFFICER,
)


@pytest.fixture
def frozen():
    with freeze_time(NOW) as clock:
        yield clock


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    answer = client.get(path)
    assert answer.status_code == 302
    assert "/staff/login" in answer.location


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_are_refused(client, session, frozen, role):
    sign_in_as(client, session, role)
    for path in PAGES:
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("role", READERS)
def test_supervisors_and_the_zone_chief_read_it(client, session, frozen, role):
    sign_in_as(client, session, role)
    for path in PAGES:
        assert client.get(path).status_code == 200, path


def test_counts_per_category_municipality_and_week_sensitive_only_as_counts(
    client, session, frozen
):
    dumping = make_category(session, names={"nl": "Sluikstort", "fr": "Dépôt", "en": "Dumping"})
    secret = make_category(
        session, sensitive=True, names={"nl": "Geheim", "fr": "Secret", "en": "Secret"}
    )
    bever = Place(street_name="Plaats", house_number="3", postcode="1547", municipality="Bever")
    hidden = Place(
        street_name="Verborgenstraat", house_number="9", postcode="1570", municipality="Galmaarden"
    )
    submit(session, dumping, place=bever)
    submit(session, dumping, place=bever, now=NOW - timedelta(weeks=1))
    submit(session, dumping, place=bever, now=NOW - timedelta(weeks=13))  # before the period
    submit(session, secret, place=hidden)
    sign_in_as(client, session, Role.SUPERVISOR)

    html = client.get("/staff/reports/overview?lang=en").get_data(as_text=True)

    assert "2026-W49" in html
    assert "2026-W38" in html
    assert "Verborgenstraat" not in html
    assert "Galmaarden" not in html
    assert "Whole zone" in html
    assert "Secret" in html
    assert "Plaats" in html  # the busiest street
    lines = client.get("/staff/reports/overview.csv").get_data(as_text=True).splitlines()
    assert lines[0].startswith("category,category_name,sensitive,municipality,2026-W38,")
    dumping_line = next(line for line in lines if line.startswith(dumping.code))
    assert dumping_line.endswith(",Bever,0,0,0,0,0,0,0,0,0,0,1,1,2")
    secret_line = next(line for line in lines if line.startswith(secret.code))
    assert "(whole zone)" in secret_line
    assert "Galmaarden" not in secret_line


def test_reading_the_overview_writes_no_access_log(client, session, frozen):
    secret = make_category(session, sensitive=True)
    submit(session, secret)
    sign_in_as(client, session, Role.ZONE_CHIEF)
    assert client.get("/staff/reports/overview").status_code == 200
    assert client.get("/staff/reports/overview.csv").status_code == 200
    assert session.scalar(select(func.count()).select_from(SensitiveAccess)) == 0


def test_the_csv_neutralises_formulas(client, session, frozen):
    dumping = make_category(session)
    for municipality in ('=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"):
        submit(
            session,
            dumping,
            place=Place(street_name="Plaats", postcode="1547", municipality=municipality),
        )
    sign_in_as(client, session, Role.SUPERVISOR)
    text = client.get("/staff/reports/overview.csv").get_data(as_text=True)
    for line in text.splitlines()[1:]:
        cells = line.split(",")
        assert not any(cell.lstrip('"').startswith(("=", "+", "-", "@")) for cell in cells), line
    assert "'=HYPERLINK" in text
    assert "'@SUM" in text


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_prefixed(start):
    assert safe_cell(f"{start}cmd") == f"'{start}cmd"
    assert safe_cell("Bever") == "Bever"
    assert safe_cell(3) == 3


def test_answer_times_on_the_page(client, session, frozen):
    question = make_category(session, kind=CategoryKind.QUESTION)
    promise = commands.Promise(
        working_days=5,
        hours=client.application.config["BLAUWLIJN"].answer_hours,
        zone=client.application.config["BLAUWLIJN"].zone,
    )
    asked = commands.submit_question(
        session,
        commands.Submission(category_code=question.code, description="Wanneer?"),
        now=NOW - timedelta(days=1),
        promise=promise,
    ).report
    commands.close_with_message(session, asked, "Morgen.", actor=commands.SYSTEM, now=NOW)
    sign_in_as(client, session, Role.SUPERVISOR)
    html = client.get("/staff/reports/overview?lang=en").get_data(as_text=True)
    assert "100 % (1/1)" in html
