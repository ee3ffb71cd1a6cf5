"""The /api/v1 contract: find, book, read, cancel, move — and every bad input as a problem."""

from datetime import UTC, datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from scheduling.enums import LocationKind
from scheduling.models import AuditEntry, Booking
from tests.factories import (
    make_assistance_service,
    make_bailiff,
    make_district,
    make_service,
    make_staff,
    make_weekly,
)

NOW = "2026-12-01T08:00:00Z"  # Tuesday, 09:00 in Brussels
ADDRESS = {"postcode": "1547", "street": "Plaats", "number": "3"}


@pytest.fixture
def officer(session):
    officer = make_staff(session, name="Inspecteur Wouters")
    make_district(session, officer, name="Bever-centrum", streets=(("1547", "Plaats"),))
    make_service(session, code="wijkagent")
    make_weekly(session, officer, weekday=2, starts=time(9), ends=time(12))
    make_weekly(
        session, officer, weekday=2, starts=time(13), ends=time(17), location=LocationKind.HOME
    )
    session.commit()  # releases the test's savepoint; the outer transaction still rolls back
    return officer


def _body(officer, **kw):
    return {
        "service": "wijkagent",
        "start": "2026-12-02T10:00:00+01:00",
        "staff_id": officer.id,
        "location": "office",
        "citizen": {"name": "Jan Peeters", "phone": "0470 12 34 56"},
        "address": ADDRESS,
        **kw,
    }


def _problem(response, status, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    if field is not None:
        assert field in [e["field"] for e in body["errors"]]
    return body


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


@freeze_time(NOW)
def test_find_officer_slots_book_read_cancel(client, officer, session):
    found = client.get(
        "/api/v1/officer", query_string={"postcode": "1547", "street": "plaats ", "number": "3A"}
    )
    assert found.get_json()["officer"] == {"id": officer.id, "name": "Inspecteur Wouters"}

    slots = client.get(
        "/api/v1/slots",
        query_string={
            "service": "wijkagent",
            "from": "2026-12-02",
            "to": "2026-12-02",
            "location": "office",
            **ADDRESS,
        },
    ).get_json()["slots"]
    assert slots[0] == {
        "start": "2026-12-02T09:00:00+01:00",
        "end": "2026-12-02T09:30:00+01:00",
        "staff": {"id": officer.id, "name": "Inspecteur Wouters"},
        "location": "office",
    }
    assert len(slots) == 6

    created = client.post("/api/v1/bookings", json=_body(officer))
    assert created.status_code == 201, created.get_json()
    booking = created.get_json()
    assert booking["status"] == "confirmed"
    assert booking["start"] == "2026-12-02T10:00:00+01:00"
    assert booking["reference"].isdigit()
    assert 6 <= len(booking["reference"]) <= 9
    stored = session.scalars(select(Booking)).one()
    assert stored.citizen_phone == "+32470123456"  # any usual form in, E.164 stored

    token = booking["manage_token"]
    assert client.get(f"/api/v1/bookings/{token}").get_json()["reference"] == booking["reference"]
    for _ in range(2):  # idempotent
        cancelled = client.post(f"/api/v1/bookings/{token}/cancel", json={"reason": "Ziek"})
        assert cancelled.status_code == 200
        assert cancelled.get_json()["status"] == "cancelled"
    assert [a.channel.value for a in session.scalars(select(AuditEntry))] == ["api", "api"]


@freeze_time(NOW)
def test_the_topic_is_stored_and_read_back(client, officer, session):
    created = client.post("/api/v1/bookings", json=_body(officer, topic="  Vraag over parkeren "))
    assert created.status_code == 201, created.get_json()
    assert session.scalars(select(Booking.topic)).one() == "Vraag over parkeren"
    token = created.get_json()["manage_token"]
    assert client.get(f"/api/v1/bookings/{token}").get_json()["topic"] == "Vraag over parkeren"


@freeze_time(NOW)
def test_the_email_address_is_stored_normalized(client, officer, session):
    citizen = {"name": "Jan Peeters", "phone": "0470123456", "email": " Jan.Peeters@Example.BE"}
    created = client.post("/api/v1/bookings", json=_body(officer, citizen=citizen))
    assert created.status_code == 201, created.get_json()
    assert session.scalars(select(Booking.citizen_email)).one() == "Jan.Peeters@example.be"


@freeze_time(NOW)
def test_a_taken_moment_is_409_and_writes_nothing(client, officer, session):
    assert client.post("/api/v1/bookings", json=_body(officer)).status_code == 201
    again = client.post(
        "/api/v1/bookings", json=_body(officer, citizen={"name": "An", "phone": "+32 475 00 00 01"})
    )
    _problem(again, 409, "start")
    assert _count(session, Booking) == 1


@freeze_time(NOW)
def test_reschedule_and_its_conflict(client, officer):
    token = client.post("/api/v1/bookings", json=_body(officer)).get_json()["manage_token"]
    client.post("/api/v1/bookings", json=_body(officer, start="2026-12-02T11:00:00+01:00"))
    moved = client.post(
        f"/api/v1/bookings/{token}/reschedule", json={"start": "2026-12-02T09:30:00+01:00"}
    )
    assert moved.status_code == 200
    assert moved.get_json()["start"] == "2026-12-02T09:30:00+01:00"
    taken = client.post(
        f"/api/v1/bookings/{token}/reschedule", json={"start": "2026-12-02T11:00:00+01:00"}
    )
    _problem(taken, 409, "start")
    assert (
        client.get(f"/api/v1/bookings/{token}").get_json()["start"] == "2026-12-02T09:30:00+01:00"
    )


@freeze_time(NOW)
def test_idempotency_key_replays_the_first_answer(client, officer, session):
    headers = {"Idempotency-Key": "order-42"}
    first = client.post("/api/v1/bookings", json=_body(officer), headers=headers)
    second = client.post("/api/v1/bookings", json=_body(officer), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert _count(session, Booking) == 1
    other = client.post(
        "/api/v1/bookings", json=_body(officer, start="2026-12-02T11:00:00+01:00"), headers=headers
    )
    _problem(other, 422, "Idempotency-Key")


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"citizen": {"name": "Jan", "phone": "12"}}, "citizen.phone"),
        ({"citizen": {"name": "", "phone": "0470123456"}}, "citizen.name"),
        ({"citizen": {"name": "Jan\x00", "phone": "0470123456"}}, "citizen.name"),
        ({"citizen": {"name": "Jan \u202eneeteP", "phone": "0470123456"}}, "citizen.name"),
        ({"citizen": {"name": "Jan\u2067", "phone": "0470123456"}}, "citizen.name"),
        (
            {"citizen": {"name": "Jan", "phone": "0470123456", "email": "me@x.be;"}},
            "citizen.email",
        ),
        (
            {"citizen": {"name": "Jan", "phone": "0470123456", "email": "me@x.be,v@example.be"}},
            "citizen.email",
        ),
        ({"topic": "Vraag \u202eover parkeren"}, "topic"),
        ({"topic": "Vraag\x00"}, "topic"),
        (
            {"address": {"postcode": "1547", "street": "Plaats\u202d", "number": "3"}},
            "address.street",
        ),
        ({"service": "unknown"}, "service"),
        ({"start": "2026-12-02T10:00:00"}, "start"),  # no offset
        ({"start": "2026-12-02T10:10:00+01:00"}, "start"),  # not a free moment
        ({"location": "moon"}, "location"),
        ({"staff_id": 0}, "staff_id"),
        ({"staff_id": 2**40}, "staff_id"),
        ({"address": {"postcode": "1000", "street": "Wetstraat", "number": "16"}}, "street"),
        ({"address": {"postcode": "1547", "street": "Plaats", "number": "drie"}}, "number"),
        ({"address": None}, "address"),
        ({"language": "de"}, "language"),
        ({"topic": "x" * 301}, "topic"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_booking_input_is_a_problem_naming_the_field(client, officer, session, change, field):
    response = client.post("/api/v1/bookings", json=_body(officer, **change))
    assert response.status_code in (404, 409, 422)
    _problem(response, response.status_code, field)
    assert _count(session, Booking) == 0


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"service": "wijkagent", "from": "2026-12-09", "to": "2026-12-02", **ADDRESS}, 422, "to"),
        ({"service": "wijkagent", "from": "2026-12-01", "to": "2027-06-01", **ADDRESS}, 422, "to"),
        ({"service": "wijkagent", "from": "2026-12-01", "to": "2026-12-02"}, 422, "address"),
        (
            {"service": "wijkagent", "from": "2026-12-01", "to": "2026-12-02", "postcode": "1547"},
            422,
            "street",
        ),
        ({"service": "nope", "from": "2026-12-01", "to": "2026-12-02"}, 404, "service"),
        ({"service": "wijkagent", "from": "gisteren", "to": "2026-12-02"}, 422, "from"),
        (
            {
                "service": "wijkagent",
                "from": "2026-12-01",
                "to": "2026-12-02",
                "postcode": "9999",
                "street": "Nergens",
                "number": "1",
            },
            404,
            "street",
        ),
    ],
)
def test_bad_slot_queries(client, officer, query, status, field):
    _problem(client.get("/api/v1/slots", query_string=query), status, field)


def test_unknown_or_malformed_token_is_404(client, officer):
    _problem(client.get("/api/v1/bookings/short"), 404, "manage_token")
    _problem(client.get("/api/v1/bookings/" + "A" * 32), 404, "manage_token")
    _problem(client.post("/api/v1/bookings/" + "A" * 32 + "/cancel"), 404, "manage_token")


def test_non_json_body_is_415_and_unknown_path_is_a_problem(client, officer):
    response = client.post("/api/v1/bookings", data="start=now", content_type="text/plain")
    _problem(response, 415)
    _problem(client.get("/api/v1/nothing-here"), 404)
    _problem(client.delete("/api/v1/services"), 405)


def test_services_and_districts_lists(client, officer):
    services = client.get("/api/v1/services", headers={"Accept-Language": "fr"}).get_json()
    assert services == [
        {
            "code": "wijkagent",
            "name": "Rendez-vous",
            "duration_minutes": 30,
            "locations": ["office", "home"],
            "audience": "citizen",
            "requires_invitation": False,
            "served_by": "district_officer",
        }
    ]
    [district] = client.get("/api/v1/districts").get_json()
    assert district["officer"]["id"] == officer.id
    assert district["streets"] == [{"postcode": "1547", "street": "Plaats"}]


def test_openapi_document_lists_every_route(client, app):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    documented = {f"/api/v1{path}" for path in doc["paths"]}
    routes = {
        str(rule).replace("<token>", "{token}")
        for rule in app.url_map.iter_rules()
        if str(rule).startswith("/api/v1/") and not str(rule).endswith("openapi.json")
    }
    assert routes == documented


@freeze_time(NOW)
def test_bookings_are_stored_in_utc(client, officer, session):
    client.post("/api/v1/bookings", json=_body(officer))
    stored = session.scalars(select(Booking)).one()
    assert stored.start_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def bailiff_service(session, officer):
    second = make_staff(session, name="Inspecteur Twee")
    for person in (officer, second):
        make_weekly(
            session, person, weekday=3, starts=time(8), ends=time(12), location=LocationKind.ON_SITE
        )
    make_assistance_service(session, team=(officer, second))
    make_bailiff(session, token="real-token")
    make_bailiff(session, token="demo-token", demo=True)
    session.commit()


def _assistance(officer):
    return _body(
        officer, service="deurwaarder", location="on_site", start="2026-12-03T08:00:00+01:00"
    )


@freeze_time(NOW)
def test_bailiff_assistance_needs_a_bailiff_token(client, officer, bailiff_service, app):
    _problem(client.post("/api/v1/bookings", json=_assistance(officer)), 403, "service")
    wrong = client.post(
        "/api/v1/bookings", json=_assistance(officer), headers={"Authorization": "Bearer nope"}
    )
    _problem(wrong, 401)
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    demo = client.post(
        "/api/v1/bookings",
        json=_assistance(officer),
        headers={"Authorization": "Bearer demo-token"},
    )
    _problem(demo, 401)  # demo logins only in demo mode
    ok = client.post(
        "/api/v1/bookings",
        json=_assistance(officer),
        headers={"Authorization": "Bearer real-token"},
    )
    assert ok.status_code == 201, ok.get_json()
