"""The access table with the bailiff role: what a bailiff office (its users in the portal,
its case software with a token), the staff and citizens may reach, route group by route group.

- An office user signed in to the portal is never served a staff page (the staff sign-in
  instead), nor any citizen booking, and their portal session opens no API route.
- Staff signed in at /staff are not signed in at the portal.
- An office's token books no citizens' service and reads no other office's booking.
- A citizen books assistance through no channel: not the API without a token, not the web
  booking pages with ``service=deurwaarder``.

The portal's pages come from the URL plan of the bailiffs' portal; a page that is not
registered (yet) in this build is skipped, so the table checks whatever is there.
"""

import re
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from werkzeug.routing import Rule

from app.assistance.models import OfficeUser
from scheduling.enums import Role
from scheduling.models import BailiffAccount, Booking
from tests.api_calls import OFFICE, assistance_body, book_by_api, booking_body, count_rows, problem
from tests.factories import NOW, make_api_officer, make_bailiff
from tests.staff_login import sign_in_as

STAFF_LOGIN = "/staff/login"
PORTAL_LOGIN = "/deurwaarder/login"
OTHER_OFFICE = {"Authorization": "Bearer other-office-token"}
# The portal's pages that need a signed-in office user (the bailiffs' portal's URL plan).
PORTAL_PAGES = [
    ("bailiffs.home", "/deurwaarder/"),
    ("bailiffs.request", "/deurwaarder/aanvraag"),
    ("bailiffs.booking", "/deurwaarder/boekingen/{reference}"),
    ("bailiffs.booking_ics", "/deurwaarder/boekingen/{reference}/agenda.ics"),
    ("bailiffs.calendar", "/deurwaarder/agenda"),
    ("bailiffs.users", "/deurwaarder/gebruikers"),
    ("bailiffs.tokens", "/deurwaarder/api-sleutels"),
]
# Staff pages open without signing in: the sign-in itself and the secret calendar feed.
# The today page's service worker script is public like any static file (it holds no data).
STAFF_PUBLIC = {
    "staff.login",
    "staff.code",
    "staff_calendar_feed.ics",
    "staff.today_service_worker",
}


@pytest.fixture
def officer(session):
    return make_api_officer(session)


@pytest.fixture
def bookings(client, session, officer, bailiff_service):
    """A citizen's booking, one of the office's and one of another office: their references."""
    make_bailiff(session, name="Huissiers Dupont", token="other-office-token")
    session.commit()
    with freeze_time(NOW):
        citizen = book_by_api(client, officer)["reference"]
        ours = client.post("/api/v1/assistance/bookings", json=assistance_body(), headers=OFFICE)
        theirs = client.post(
            "/api/v1/assistance/bookings",
            json=assistance_body(start="2026-12-03T10:00:00+01:00"),
            headers=OTHER_OFFICE,
        )
    assert ours.status_code == theirs.status_code == 201
    return {
        "citizen": citizen,
        "ours": ours.get_json()["reference"],
        "theirs": theirs.get_json()["reference"],
    }


def _office_user(session) -> OfficeUser:
    """A user of the ``bailiff_service`` office (the token ``real-token``'s)."""
    office = session.scalars(
        select(BailiffAccount).where(BailiffAccount.demo.is_(False)).order_by(BailiffAccount.id)
    ).first()
    user = OfficeUser(
        office_id=office.id,
        email="griet@deurwaarders.example.be",
        name="Griet Van Damme",
        # Never checked here: the signed-in state is written into the session directly.
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$unused$unused",
        created_at=datetime.fromisoformat(NOW),
    )
    session.add(user)
    session.commit()
    return user


def _portal_session(client: FlaskClient, user: OfficeUser) -> None:
    """Signed in to the portal as ``user`` (app/bailiffs/sessions.py's state)."""
    t = int(datetime.fromisoformat(NOW).timestamp())
    with client.session_transaction() as state:
        state["office"] = {"id": user.id, "v": user.auth_version, "at": t, "seen": t}


def _get_paths(app: Flask, prefix: str, public: set[str]) -> list[str]:
    """Every GET page under ``prefix`` with its numbers filled in (1)."""
    rules: list[Rule] = [
        r
        for r in app.url_map.iter_rules()
        if str(r).startswith(prefix) and "GET" in (r.methods or ()) and r.endpoint not in public
    ]
    return [re.sub(r"<int:\w+>", "1", str(r)) for r in rules]


def _portal_page(app: Flask, endpoint: str, path: str, reference: str) -> str:
    if endpoint not in app.view_functions:
        pytest.skip(f"{endpoint} is not registered in this build")
    return path.format(reference=reference)


# --- An office user in the portal ----------------------------------------------------------


@freeze_time(NOW)
def test_an_office_user_is_never_served_a_staff_page(app, client, session, bookings):
    _portal_session(client, _office_user(session))
    paths = _get_paths(app, "/staff/", STAFF_PUBLIC)
    assert len(paths) > 20  # the whole staff side, not an empty table
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer.location.startswith(STAFF_LOGIN), (path, answer.location)
    for path in _get_paths(app, "/console", set()):
        answer = client.get(path)
        assert answer.status_code in (302, 401, 403), path
        if answer.status_code == 302:
            assert answer.location.startswith(STAFF_LOGIN), (path, answer.location)


@freeze_time(NOW)
@pytest.mark.parametrize(("endpoint", "path"), PORTAL_PAGES[2:4])
def test_an_office_user_is_never_served_a_citizens_booking(
    app, client, session, bookings, endpoint, path
):
    _portal_session(client, _office_user(session))
    page = _portal_page(app, endpoint, path, bookings["citizen"])
    assert client.get(page).status_code == 404
    theirs = _portal_page(app, endpoint, path, bookings["theirs"])
    assert client.get(theirs).status_code == 404


@freeze_time(NOW)
def test_a_portal_session_opens_no_api_route(client, session, bookings):
    _portal_session(client, _office_user(session))
    problem(client.get("/api/v1/assistance/bookings"), 403, "Authorization")
    problem(client.get(f"/api/v1/assistance/bookings/{bookings['ours']}"), 403, "Authorization")
    problem(
        client.post(
            "/api/v1/assistance/bookings", json=assistance_body(start="2026-12-10T08:00:00+01:00")
        ),
        403,
        "Authorization",
    )


# --- Staff at the portal ----------------------------------------------------------------


@freeze_time(NOW)
@pytest.mark.parametrize(("endpoint", "path"), PORTAL_PAGES)
def test_staff_signed_in_are_not_signed_in_at_the_portal(
    app, client, session, bookings, endpoint, path
):
    page = _portal_page(app, endpoint, path, bookings["ours"])
    sign_in_as(client, session, Role.SUPERVISOR)
    answer = client.get(page)
    assert answer.status_code == 302, page
    assert answer.location.startswith(PORTAL_LOGIN), answer.location


@freeze_time(NOW)
@pytest.mark.parametrize(("endpoint", "path"), PORTAL_PAGES)
def test_citizens_are_not_signed_in_at_the_portal(app, client, bookings, endpoint, path):
    page = _portal_page(app, endpoint, path, bookings["ours"])
    answer = client.get(page)
    assert answer.status_code == 302, page
    assert answer.location.startswith(PORTAL_LOGIN), answer.location


@freeze_time(NOW)
def test_staff_signed_in_get_no_office_api_route(client, session, bookings):
    sign_in_as(client, session, Role.SUPERVISOR)
    problem(client.get("/api/v1/assistance/bookings"), 403, "Authorization")
    problem(client.get("/api/v1/assistance/kinds"), 403, "Authorization")


# --- An office's token ------------------------------------------------------------------


@freeze_time(NOW)
def test_an_offices_token_books_no_citizens_service(client, session, officer, bookings):
    before = count_rows(session, Booking)
    refused = client.post(
        "/api/v1/bookings",
        json=booking_body(officer, start="2026-12-02T11:00:00+01:00"),
        headers=OFFICE,
    )
    problem(refused, 403, "service")
    assert count_rows(session, Booking) == before


@freeze_time(NOW)
def test_an_offices_token_reads_no_other_booking(client, bookings):
    for reference in (bookings["theirs"], bookings["citizen"]):
        for path in ("", "/cancel", "/move"):
            method = "GET" if not path else "POST"
            body = {"start": "2026-12-10T08:00:00+01:00"} if path == "/move" else None
            answer = client.open(
                f"/api/v1/assistance/bookings/{reference}{path}",
                method=method,
                json=body,
                headers=OFFICE,
            )
            problem(answer, 404, "reference")
    listed = client.get("/api/v1/assistance/bookings", headers=OFFICE).get_json()["bookings"]
    assert [b["reference"] for b in listed] == [bookings["ours"]]


# --- A citizen and police assistance -------------------------------------------------------


@freeze_time(NOW)
def test_a_citizen_books_no_assistance_through_the_api(client, session, officer, bailiff_service):
    problem(
        client.post("/api/v1/assistance/bookings", json=assistance_body()), 403, "Authorization"
    )
    as_citizen = booking_body(
        officer, service="deurwaarder", location="on_site", start="2026-12-03T08:00:00+01:00"
    )
    problem(client.post("/api/v1/bookings", json=as_citizen), 403, "service")
    assert count_rows(session, Booking) == 0


@freeze_time(NOW)
def test_a_citizen_books_no_assistance_on_the_web(client, session, officer, bailiff_service):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    start = client.get("/book", query_string={"service": "deurwaarder"})
    assert start.status_code == 302
    assert start.location.endswith("/book")  # the link's service is dropped
    page = client.get("/book").get_data(as_text=True)
    assert 'value="deurwaarder"' not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    chosen = client.post("/book", data={"csrf_token": token, "service": "deurwaarder"})
    assert chosen.status_code == 200
    assert "Choose what you want to book." in chosen.get_data(as_text=True)
    for step in ("/book/address", "/book/moment", "/book/check"):
        answer = client.get(step)
        assert answer.status_code == 302, step  # no draft for assistance: back to the start
    assert count_rows(session, Booking) == 0
