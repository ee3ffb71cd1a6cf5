"""The citizen pages over HTTP: the question flow, errors next to fields, manage link, .ics."""

import json
import re
from datetime import UTC, datetime, time

import icalendar
import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app import create_app
from app.config import Config
from scheduling.enums import BookingStatus, LocationKind, Role, ServedBy
from scheduling.models import Booking
from tests.app.web_walk import booking_csrf, walk_to_check
from tests.factories import (
    TEST_SECRET_KEY,
    make_district,
    make_invitation,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)

NOW = "2026-12-01T08:00:00Z"  # Tuesday 09:00 in Brussels


@pytest.fixture
def zone(session):
    site = make_site(session, name="Wijkpost Bever", street="Plaats", number="10")
    officer = make_staff(session, name="Inspecteur Wouters")
    make_district(session, officer, streets=(("1547", "Plaats"),))
    make_service(
        session,
        code="wijkagent",
        what_to_bring={"nl": "Je identiteitskaart.", "fr": "Votre carte d'identité."},
    )
    make_weekly(session, officer, weekday=2, starts=time(9), ends=time(12), site=site)
    make_weekly(
        session, officer, weekday=2, starts=time(13), ends=time(17), location=LocationKind.HOME
    )
    session.commit()
    return officer


@freeze_time(NOW)
def test_what_it_is_about_reaches_the_booking_and_a_long_text_is_sent_back(client, zone, session):
    token, _slot = walk_to_check(client, topic="Burenruzie over de haag")
    assert "Burenruzie over de haag" in client.get("/book/check").get_data(as_text=True)
    done = client.post("/book/check", data={"csrf_token": token})
    assert done.status_code == 302
    assert session.scalars(select(Booking.topic)).one() == "Burenruzie over de haag"
    assert "Burenruzie over de haag" in client.get(done.location).get_data(as_text=True)

    walk_to_check(client)
    too_long = client.post(
        "/book/details",
        data={
            "csrf_token": token,
            "name": "Jan Peeters",
            "phone": "0470 12 34 56",
            "topic": "x" * 301,
            "website": "",
        },
    )
    page = too_long.get_data(as_text=True)
    assert too_long.status_code == 200
    assert 'id="topic-error"' in page
    assert "x" * 301 in page  # what was typed is kept


@freeze_time(NOW)
def test_cancelling_asks_first_then_says_so_once_and_offers_to_book_again(client, zone, session):
    client.get("/?lang=nl")
    token, _slot = walk_to_check(client)
    manage = client.post("/book/check", data={"csrf_token": token}).location.split("?")[0]
    page = client.get(manage).get_data(as_text=True)
    assert f'href="{manage}/cancel"' in page  # a link to the question, not a cancelling button

    asked = client.get(manage + "/cancel").get_data(as_text=True)
    assert "Je afspraak annuleren?" in asked
    assert "Ja, annuleer de afspraak" in asked
    assert f'href="{manage}">Nee, behouden</a>' in asked
    assert session.scalars(select(Booking.status)).one() is BookingStatus.CONFIRMED

    done = client.post(manage + "/cancel", data={"csrf_token": token, "reason": ""})
    assert done.location == manage
    assert session.scalars(select(Booking.status)).one() is BookingStatus.CANCELLED
    page = client.get(manage).get_data(as_text=True)
    assert page.count('class="notice') == 1
    assert "Deze afspraak is geannuleerd." in page
    assert 'href="/book?service=wijkagent">Een nieuwe afspraak maken</a>' in page
    # Asked again later (a bookmark, the back button): the page, not a second question.
    assert client.get(manage + "/cancel").location == manage


@freeze_time(NOW)
def test_a_home_visit_page_says_what_to_have_ready_not_what_to_bring(client, zone):
    client.get("/?lang=nl")
    token, _slot = walk_to_check(client, location="home")
    done = client.post("/book/check", data={"csrf_token": token})
    page = client.get(done.location).get_data(as_text=True)
    assert "Leg dit klaar" in page
    assert "Je identiteitskaart." in page
    assert "Wat breng je mee" not in page


@freeze_time(NOW)
def test_the_place_question_names_the_office_and_the_check_page_reads_as_people_write(client, zone):
    client.get("/?lang=nl")
    token = booking_csrf(client)
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    client.post(
        "/book/address",
        data={"csrf_token": token, "postcode": "1547", "street": "plaats", "number": "3"},
    )
    place = client.get("/book/location").get_data(as_text=True)
    assert "Wijkpost Bever, Plaats 10, 1547 Bever" in place  # which office, with its address

    walk_to_check(client)
    check = client.get("/book/check").get_data(as_text=True)
    assert "<dd>0470 12 34 56</dd>" in check  # as typed, not +32470123456
    assert "+32470123456" not in check
    assert "<dd><bdi>Plaats 3, 1547 Bever</bdi></dd>" in check  # the zone's spelling


@freeze_time(NOW)
def test_a_landline_is_taken_as_a_number_to_call_saying_no_sms_will_come(client, zone, session):
    client.get("/?lang=nl")
    token, _slot = walk_to_check(client)
    details = client.get("/book/details").get_data(as_text=True)
    assert "Geen gsm? Geef een vast nummer" in details
    assert "helpen Inspecteur Wouters zich voor te bereiden" in details  # the one chosen
    client.post(
        "/book/details",
        data={"csrf_token": token, "name": "Jan Peeters", "phone": "054 31 35 01", "website": ""},
    )
    check = client.get("/book/check").get_data(as_text=True)
    assert "<dt>Telefoonnummer</dt><dd>054 31 35 01</dd>" in check
    assert "054 31 35 01 is geen gsm-nummer: er komt geen sms" in check
    assert client.post("/book/check", data={"csrf_token": token}).status_code == 302
    assert session.scalars(select(Booking.citizen_phone)).one() == "+3254313501"


@freeze_time(NOW)
def test_a_mobile_number_gets_no_landline_notice(client, zone):
    client.get("/?lang=nl")
    walk_to_check(client)
    check = client.get("/book/check").get_data(as_text=True)
    assert "<dt>Gsm-nummer</dt><dd>0470 12 34 56</dd>" in check
    assert "geen gsm-nummer" not in check


@freeze_time(NOW)
def test_a_too_long_name_says_how_long_it_may_be_in_the_pages_language(client, zone):
    client.get("/?lang=nl")
    token, _slot = walk_to_check(client)
    name = "Van den Broeck-" + "e" * 186  # 201 characters
    answer = client.post(
        "/book/details",
        data={"csrf_token": token, "name": name, "phone": "0470 12 34 56", "website": ""},
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert 'id="name-error"' in page
    assert "Hou het bij 200 tekens (dit zijn er 201)." in page
    assert name in page  # what was typed is kept


@freeze_time(NOW)
def test_book_in_dutch_from_start_to_confirmation_and_ics(client, zone, session):
    client.get("/?lang=nl")
    token, slot = walk_to_check(client)
    check = client.get("/book/check").get_data(as_text=True)
    assert "Wijkpost Bever" in check
    assert "Inspecteur Wouters" in check

    done = client.post("/book/check", data={"csrf_token": token})
    assert done.status_code == 302
    manage_path = done.location.split("?")[0]
    page = client.get(done.location).get_data(as_text=True)
    reference = session.scalars(select(Booking.reference)).one()
    assert reference in page
    assert "Je identiteitskaart." in page

    ics = client.get(manage_path + "/calendar.ics")
    assert ics.mimetype == "text/calendar"
    [event] = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    assert event["DTSTART"].dt == datetime.fromisoformat(slot.split("|")[0])
    assert event["DTSTART"].dt.isoformat() == "2026-12-02T08:00:00+00:00"  # 09:00 in Brussels
    assert int(event["SEQUENCE"]) == 0
    first_uid = str(event["UID"])

    move_page = client.get(manage_path + "/move").get_data(as_text=True)
    later = re.findall(r'name="slot" class="slot" value="([^"]+)"', move_page)[1].replace(
        "&#43;", "+"
    )
    moved = client.post(manage_path + "/move", data={"csrf_token": token, "slot": later})
    assert moved.status_code == 302
    [event] = icalendar.Calendar.from_ical(client.get(manage_path + "/calendar.ics").data).walk(
        "VEVENT"
    )
    assert str(event["UID"]) == first_uid
    assert int(event["SEQUENCE"]) == 1

    client.post(manage_path + "/cancel", data={"csrf_token": token, "reason": "Ziek"})
    assert session.scalars(select(Booking.status)).one() is BookingStatus.CANCELLED
    [event] = icalendar.Calendar.from_ical(client.get(manage_path + "/calendar.ics").data).walk(
        "VEVENT"
    )
    assert str(event["STATUS"]) == "CANCELLED"


@freeze_time(NOW)
def test_a_moment_taken_meanwhile_sends_back_to_the_moments_keeping_the_details(client, zone, app):
    token, _slot = walk_to_check(client)
    other = app.test_client()
    other_token, _ = walk_to_check(other)
    assert other.post("/book/check", data={"csrf_token": other_token}).status_code == 302

    response = client.post("/book/check", data={"csrf_token": token})
    assert response.location.endswith("/book/moment")
    page = client.get(response.location).get_data(as_text=True)
    assert 'role="alert"' in page
    another = re.findall(r'name="slot" class="slot" value="([^"]+)"', page)[0].replace("&#43;", "+")
    chosen = client.post("/book/moment", data={"csrf_token": token, "slot": another})
    assert chosen.location.endswith("/book/check")  # name and number were kept
    check = client.get("/book/check").get_data(as_text=True)
    assert "Jan Peeters" in check
    assert "0470 12 34 56" in check


@freeze_time(NOW)
def test_errors_stand_next_to_their_field_and_keep_what_was_typed(client, zone):
    token = booking_csrf(client)
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    page = client.post(
        "/book/address?lang=fr",
        data={"csrf_token": token, "postcode": "1547", "street": "Rue Inconnue", "number": "3"},
    ).get_data(as_text=True)
    assert 'id="street-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="Rue Inconnue"' in page

    client.post(
        "/book/address",
        data={"csrf_token": token, "postcode": "1547", "street": "Plaats", "number": "3"},
    )
    client.post("/book/location", data={"csrf_token": token, "location": "office"})
    slot = re.findall(
        r'name="slot" class="slot" value="([^"]+)"',
        client.get("/book/moment").get_data(as_text=True),
    )[0].replace("&#43;", "+")
    client.post("/book/moment", data={"csrf_token": token, "slot": slot})
    page = client.post(
        "/book/details",
        data={"csrf_token": token, "name": "Jan", "phone": "12345", "email": "nope", "website": ""},
    ).get_data(as_text=True)
    assert 'id="phone-error"' in page
    assert 'id="email-error"' in page
    assert 'value="12345"' in page
    assert 'value="Jan"' in page


@freeze_time(NOW)
def test_skipping_a_question_leads_back_to_it(client, zone):
    assert client.get("/book/check").location.endswith("/book")
    token = booking_csrf(client)
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    assert client.get("/book/moment").location.endswith("/book/address")


def test_forms_need_the_csrf_token(client, zone):
    assert client.post("/book", data={"service": "wijkagent"}).status_code == 400


@freeze_time(NOW)
def test_a_filled_honeypot_is_refused(client, zone, session):
    token, _ = walk_to_check(client)
    response = client.post(
        "/book/details",
        data={"csrf_token": token, "name": "Bot", "phone": "0470123456", "website": "http://spam"},
    )
    assert response.status_code == 400


@freeze_time(NOW)
def test_bookings_per_phone_number_are_limited_per_hour(client, zone, session):
    for attempt in range(6):
        token, _ = walk_to_check(client)  # the first free moment each time
        status = client.post("/book/check", data={"csrf_token": token}).status_code
        assert status == (302 if attempt < 5 else 429)
    assert session.scalar(select(func.count()).select_from(Booking)) == 5


def test_security_headers_on_pages(client, zone):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    cookie = response.headers.get("Set-Cookie", "")
    client.get("/book")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


@freeze_time(NOW)
def test_no_page_or_answer_with_personal_data_is_kept_by_a_browser_or_proxy(client, zone):
    token, _slot = walk_to_check(client)
    answers = {
        path: client.get(path)
        for path in (
            "/book",
            "/book/address",
            "/book/location",
            "/book/moment",
            "/book/details",
            "/book/check",
            "/officer?postcode=1547&street=Plaats&number=3",
            "/invitation?code=NOSUCHCODE",
        )
    }
    done = client.post("/book/check", data={"csrf_token": token})
    manage = done.location.split("?")[0]
    answers["POST /book/check"] = done
    for path in (manage, manage + "?new=1", manage + "/move", manage + "/calendar.ics"):
        answers[path] = client.get(path)
    created = client.post(
        "/api/v1/bookings",
        json={
            "service": "wijkagent",
            "start": "2026-12-02T11:00:00+01:00",
            "staff_id": zone.id,
            "location": "office",
            "citizen": {"name": "An Claes", "phone": "0475 00 00 01"},
            "address": {"postcode": "1547", "street": "Plaats", "number": "5"},
        },
    )
    assert created.status_code == 201
    answers["POST /api/v1/bookings"] = created
    api_token = created.get_json()["manage_token"]
    answers["GET /api/v1/bookings/<token>"] = client.get(f"/api/v1/bookings/{api_token}")
    answers["cancel"] = client.post(f"/api/v1/bookings/{api_token}/cancel", json={})
    answers["unknown link"] = client.get("/appointment/" + "x" * 32)
    kept = {path: a.headers.get("Cache-Control") for path, a in answers.items()}
    assert kept == dict.fromkeys(answers, "no-store")
    with client.get("/static/css/site.css") as style:  # the one thing that may be kept
        assert "no-store" not in style.headers.get("Cache-Control", "")


def _session_cookie(app, client) -> str:
    """What the browser holds: the session cookie, decoded (it is signed, not encrypted)."""
    cookie = client.get_cookie("session")
    if cookie is None:
        return ""
    return json.dumps(app.session_interface.get_signing_serializer(app).loads(cookie.value))


@freeze_time(NOW)
def test_the_session_cookie_holds_no_personal_data_or_token_at_any_step(app, client, zone, session):
    handler = make_staff(session, name="Inspecteur Claes", roles=(Role.CASE_HANDLER,))
    dossier = make_service(
        session, code="dossier", served_by=ServedBy.INVITED_STAFF, locations=["office"]
    )
    make_invitation(
        session,
        handler,
        dossier,
        valid_from=datetime(2026, 11, 30, tzinfo=UTC),
        valid_until=datetime(2026, 12, 10, tzinfo=UTC),
        code="INV-7Q2K",
    )
    session.commit()
    cookies = []

    def step(response):
        cookies.append(_session_cookie(app, client))
        return response

    token = booking_csrf(client)
    step(client.post("/book", data={"csrf_token": token, "service": "wijkagent"}))
    address = {"postcode": "1547", "street": "Plaats", "number": "3"}
    step(client.post("/book/address", data={"csrf_token": token, **address}))
    step(client.post("/book/location", data={"csrf_token": token, "location": "office"}))
    page = step(client.get("/book/moment")).get_data(as_text=True)
    slot = re.findall(r'name="slot" class="slot" value="([^"]+)"', page)[0].replace("&#43;", "+")
    step(client.post("/book/moment", data={"csrf_token": token, "slot": slot}))
    details = {
        "name": "Jan Peeters",
        "phone": "0470 12 34 56",
        "email": "jan.peeters@example.be",
        "topic": "Burenruzie over de haag",
        "website": "",
    }
    step(client.post("/book/details", data={"csrf_token": token, **details}))
    check = step(client.get("/book/check")).get_data(as_text=True)
    assert "Jan Peeters" in check  # the answers are kept: on the server
    assert "jan.peeters@example.be" in check
    done = step(client.post("/book/check", data={"csrf_token": token}))
    assert done.status_code == 302
    manage_token = done.location.split("?")[0].rsplit("/", 1)[1]
    step(client.get(done.location))
    assert step(client.get("/invitation?code=INV-7Q2K")).location.endswith("/book/moment")
    assert step(client.get("/book/moment")).status_code == 200  # the code is kept: on the server

    booked = session.scalars(select(Booking)).one()
    assert (booked.citizen_name, booked.citizen_email) == ("Jan Peeters", "jan.peeters@example.be")
    personal = (
        "Jan Peeters",
        "Peeters",
        "0470",
        "470123456",
        "jan.peeters@example.be",
        "Plaats",
        "Burenruzie",
        "INV-7Q2K",
        manage_token,
    )
    assert [[p for p in personal if p in cookie] for cookie in cookies] == [[]] * len(cookies)


def test_a_draft_expires_two_hours_after_the_last_answer(client, zone, session):
    with freeze_time(NOW):
        walk_to_check(client)
        assert client.get("/book/check").status_code == 200
    with freeze_time("2026-12-01T09:00:00Z"):
        client.get("/?lang=nl")  # the session (cookie) goes on; the answers are not touched
    with freeze_time("2026-12-01T10:00:01Z"):  # two hours and a second after the last answer
        assert client.get("/book/check").location.endswith("/book")
        assert client.get("/book/details").location.endswith("/book")


def test_an_unknown_manage_link_is_404(client, zone):
    assert client.get("/appointment/" + "x" * 32).status_code == 404


@freeze_time(NOW)
def test_inside_the_cut_off_the_page_explains_and_gives_the_blue_number(client, zone):
    token, _ = walk_to_check(client)  # Wednesday 09:00
    manage = client.post("/book/check", data={"csrf_token": token}).location.split("?")[0]
    with freeze_time("2026-12-02T07:30:00Z"):  # 08:30, half an hour before
        page = client.get(manage).get_data(as_text=True)
        assert "054 31 35 01" in page
        assert "/cancel" not in page
        assert client.get(manage + "/move").status_code == 302


@freeze_time(NOW)
@pytest.mark.parametrize(
    "pressed",
    [
        "",
        "gisteren|1",
        "9999-12-31T23:59:59-14:00|1",
        "2026-12-02T09:00:00|1",
        "2026-12-02T09:00:00+01:00|x",
    ],
)
def test_a_forged_moment_is_asked_again_not_a_crash(client, zone, pressed):
    token, _ = walk_to_check(client)
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    client.post(
        "/book/address",
        data={"csrf_token": token, "postcode": "1547", "street": "Plaats", "number": "3"},
    )
    client.post("/book/location", data={"csrf_token": token, "location": "office"})
    response = client.post("/book/moment", data={"csrf_token": token, "slot": pressed})
    assert response.status_code == 200
    assert 'role="alert"' in response.get_data(as_text=True)


@pytest.mark.usefixtures("postgres_only")
def test_hsts_when_the_public_address_is_https(tmp_path, database_url):
    config = Config.from_env(
        tmp_path,
        env={
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET_KEY,
            "PUBLIC_BASE_URL": "https://afspraak.politie.example",
        },
    )
    app = create_app(config)
    response = app.test_client().get("/accessibility")
    app.extensions["db_engine"].dispose()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@freeze_time(NOW)
def test_switching_language_keeps_the_page_and_its_query(client, zone):
    page = client.get("/officer?postcode=1547&street=Plaats&number=3").get_data(as_text=True)
    assert 'href="/officer?postcode=1547&amp;street=Plaats&amp;number=3&amp;lang=fr"' in page
    french = client.get("/officer?postcode=1547&street=Plaats&number=3&lang=fr")
    assert '<html lang="fr">' in french.get_data(as_text=True)
    assert "Inspecteur Wouters" in french.get_data(as_text=True)


@freeze_time(NOW)
def test_back_from_the_moments_leads_to_the_last_question_asked(client, zone):
    walk_to_check(client)
    page = client.get("/book/moment").get_data(as_text=True)
    assert 'class="back-link" href="/book/location"' in page


@freeze_time(NOW)
def test_booking_from_the_officer_answer_keeps_the_address(client, zone):
    page = client.get("/officer?postcode=1547&street=plaats&number=3").get_data(as_text=True)
    link = re.search(r'href="(/book\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert client.get(link).location.endswith("/book/location")
    assert client.get(
        "/book?service=wijkagent&postcode=9999&street=Nergens&number=1"
    ).location.endswith("/book/address")


def _details(client, token, **fields):
    data = {"name": "Jan Peeters", "phone": "0470 12 34 56", "email": "", "topic": ""}
    return client.post("/book/details", data={"csrf_token": token, "website": "", **data, **fields})


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("name", "Jan \u202eneeteP"),  # the phone number beside it would read reversed
        ("name", "Jan\u2066 Peeters"),
        ("name", "Jan\x7fPeeters"),
        ("topic", "Burenruzie\x00"),  # NUL: PostgreSQL refuses it at the confirm step
        ("topic", "Burenruzie \u202bover de haag"),
        ("email", "me@x.be, victim1@example.be, victim2@example.be"),  # one copy to three
        ("email", "me@x.be;"),
        ("email", "Jan <me@x.be>"),
    ],
)
def test_details_refuse_control_direction_characters_and_address_lists(client, zone, field, typed):
    token, _slot = walk_to_check(client)
    page = _details(client, token, **{field: typed}).get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert "This is not valid." not in page  # it says what is wrong
    assert typed not in client.get("/book/check").get_data(as_text=True)  # not taken


@freeze_time(NOW)
def test_the_field_error_is_in_the_citizens_language(client, zone):
    token, _slot = walk_to_check(client)
    client.get("/book/details?lang=fr")
    french = _details(client, token, name="Jan \u202eneeteP").get_data(as_text=True)
    client.get("/book/details?lang=nl")
    dutch = _details(client, token, name="Jan \u202eneeteP").get_data(as_text=True)
    error = re.compile(r'id="name-error">.*?</span>\s*([^<]+)</p>', re.S)
    assert error.search(french).group(1).strip() != error.search(dutch).group(1).strip()


@freeze_time(NOW)
def test_the_email_address_is_stored_normalized_and_a_topic_may_have_lines(client, zone, session):
    token, _slot = walk_to_check(client)
    answer = _details(
        client, token, email=" Jan.Peeters@Example.BE ", topic="Burenruzie\r\nover de haag"
    )
    assert answer.status_code == 302
    assert client.post("/book/check", data={"csrf_token": token}).status_code == 302
    booking = session.scalars(select(Booking)).one()
    assert booking.citizen_email == "Jan.Peeters@example.be"
    assert booking.topic == "Burenruzie\r\nover de haag"


@freeze_time(NOW)
def test_the_address_questions_refuse_direction_characters(client, zone):
    token = booking_csrf(client)
    client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
    page = client.post(
        "/book/address",
        data={"csrf_token": token, "postcode": "1547", "street": "Plaats\u202e", "number": "3"},
    ).get_data(as_text=True)
    assert 'id="street-error"' in page
    officer = client.get("/officer?postcode=1547&street=Plaats&number=3\u2067").get_data(
        as_text=True
    )
    assert 'id="number-error"' in officer
