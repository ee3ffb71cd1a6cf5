"""The /api/v1 contract: find, book, read, cancel, move — and every bad input as a problem."""

import re
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from scheduling.models import AuditEntry, Booking
from tests.api_calls import OFFICE, booking_body, count_rows, problem
from tests.factories import ADDRESS, NOW, make_api_officer


@pytest.fixture
def officer(session):
    return make_api_officer(session)


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

    created = client.post("/api/v1/bookings", json=booking_body(officer))
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
    created = client.post(
        "/api/v1/bookings", json=booking_body(officer, topic="  Vraag over parkeren ")
    )
    assert created.status_code == 201, created.get_json()
    assert session.scalars(select(Booking.topic)).one() == "Vraag over parkeren"
    token = created.get_json()["manage_token"]
    assert client.get(f"/api/v1/bookings/{token}").get_json()["topic"] == "Vraag over parkeren"


@freeze_time(NOW)
def test_the_email_address_is_stored_normalized(client, officer, session):
    citizen = {"name": "Jan Peeters", "phone": "0470123456", "email": " Jan.Peeters@Example.BE"}
    created = client.post("/api/v1/bookings", json=booking_body(officer, citizen=citizen))
    assert created.status_code == 201, created.get_json()
    assert session.scalars(select(Booking.citizen_email)).one() == "Jan.Peeters@example.be"


@freeze_time(NOW)
def test_a_taken_moment_is_409_and_writes_nothing(client, officer, session):
    assert client.post("/api/v1/bookings", json=booking_body(officer)).status_code == 201
    again = client.post(
        "/api/v1/bookings",
        json=booking_body(officer, citizen={"name": "An", "phone": "+32 475 00 00 01"}),
    )
    problem(again, 409, "start")
    assert count_rows(session, Booking) == 1


@freeze_time(NOW)
def test_reschedule_and_its_conflict(client, officer):
    token = client.post("/api/v1/bookings", json=booking_body(officer)).get_json()["manage_token"]
    client.post("/api/v1/bookings", json=booking_body(officer, start="2026-12-02T11:00:00+01:00"))
    moved = client.post(
        f"/api/v1/bookings/{token}/reschedule", json={"start": "2026-12-02T09:30:00+01:00"}
    )
    assert moved.status_code == 200
    assert moved.get_json()["start"] == "2026-12-02T09:30:00+01:00"
    taken = client.post(
        f"/api/v1/bookings/{token}/reschedule", json={"start": "2026-12-02T11:00:00+01:00"}
    )
    problem(taken, 409, "start")
    assert (
        client.get(f"/api/v1/bookings/{token}").get_json()["start"] == "2026-12-02T09:30:00+01:00"
    )


@freeze_time(NOW)
def test_idempotency_key_replays_the_first_answer(client, officer, session):
    headers = {"Idempotency-Key": "order-42"}
    first = client.post("/api/v1/bookings", json=booking_body(officer), headers=headers)
    second = client.post("/api/v1/bookings", json=booking_body(officer), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert count_rows(session, Booking) == 1
    other = client.post(
        "/api/v1/bookings",
        json=booking_body(officer, start="2026-12-02T11:00:00+01:00"),
        headers=headers,
    )
    problem(other, 422, "Idempotency-Key")


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
    response = client.post("/api/v1/bookings", json=booking_body(officer, **change))
    assert response.status_code in (404, 409, 422)
    problem(response, response.status_code, field)
    assert count_rows(session, Booking) == 0


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
    problem(client.get("/api/v1/slots", query_string=query), status, field)


def test_unknown_or_malformed_token_is_404(client, officer):
    problem(client.get("/api/v1/bookings/short"), 404, "manage_token")
    problem(client.get("/api/v1/bookings/" + "A" * 32), 404, "manage_token")
    problem(client.post("/api/v1/bookings/" + "A" * 32 + "/cancel"), 404, "manage_token")


def test_non_json_body_is_415_and_unknown_path_is_a_problem(client, officer):
    response = client.post("/api/v1/bookings", data="start=now", content_type="text/plain")
    problem(response, 415)
    problem(client.get("/api/v1/nothing-here"), 404)
    problem(client.delete("/api/v1/services"), 405)


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
        re.sub(r"<(\w+)>", r"{\1}", str(rule))
        for rule in app.url_map.iter_rules()
        if str(rule).startswith("/api/v1/") and not str(rule).endswith("openapi.json")
    }
    assert routes == documented


@freeze_time(NOW)
def test_bookings_are_stored_in_utc(client, officer, session):
    client.post("/api/v1/bookings", json=booking_body(officer))
    stored = session.scalars(select(Booking)).one()
    assert stored.start_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@freeze_time(NOW)
def test_bailiff_tokens_are_sent_to_the_assistance_route(client, officer, bailiff_service, session):
    """The citizens' route takes no file, kind or risk answers: an office's token books
    assistance at /assistance/bookings, and never a citizens' service."""
    citizen = booking_body(officer, service="deurwaarder", location="on_site")
    problem(client.post("/api/v1/bookings", json=citizen), 403, "service")
    wrong = client.post("/api/v1/bookings", json=citizen, headers={"Authorization": "Bearer nope"})
    problem(wrong, 401)
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    demo = client.post(
        "/api/v1/bookings", json=citizen, headers={"Authorization": "Bearer demo-token"}
    )
    problem(demo, 401)  # demo logins only in demo mode
    assistance = problem(
        client.post("/api/v1/bookings", json=citizen, headers=OFFICE), 422, "service"
    )
    assert assistance["type"].endswith("/use_assistance_endpoint")
    assert "/api/v1/assistance/bookings" in assistance["detail"]
    wijkagent = problem(
        client.post("/api/v1/bookings", json=booking_body(officer), headers=OFFICE), 403, "service"
    )
    assert "manage_token" not in wijkagent
    assert count_rows(session, Booking) == 0
