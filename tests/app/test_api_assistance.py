"""Police assistance through /api/v1/assistance: an office's case software finds the first
moments, books (idempotent), lists, reads, moves and cancels its own bookings; every refusal is
a problem naming the field, and no other office or citizen gets in."""

from datetime import datetime, time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.assistance.models import AssistanceDetails, OfficeApiToken
from app.ratelimit import LIMITS
from scheduling.enums import ActorKind, Channel, LocationKind
from scheduling.models import AssistanceCapacity, AuditEntry, Booking
from tests.api_calls import OFFICE, assistance_body, book_by_api, count_rows, problem
from tests.factories import (
    ADDRESS,
    NOW,
    make_api_officer,
    make_assistance_service,
    make_bailiff,
    make_execution_kind,
    make_staff,
    make_weekly,
)

ROUTE = "/api/v1/assistance/bookings"
MOMENTS = "/api/v1/assistance/moments"
THURSDAY = {**ADDRESS, "from": "2026-12-03", "to": "2026-12-03"}
OTHER_OFFICE = {"Authorization": "Bearer other-office-token"}
ON_SITE = LocationKind.ON_SITE


@pytest.fixture
def officer(session):
    return make_api_officer(session)


@pytest.fixture
def other_office(session, bailiff_service):
    office = make_bailiff(session, name="Huissiers Dupont", token="other-office-token")
    session.commit()
    return office


def _book(client, headers=OFFICE, **kw):
    answer = client.post(ROUTE, json=assistance_body(**kw), headers=headers)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()


@freeze_time(NOW)
def test_an_office_finds_books_lists_moves_and_cancels(client, officer, bailiff_service, session):
    moments = client.get(MOMENTS, query_string=THURSDAY, headers=OFFICE)
    assert moments.status_code == 200, moments.get_json()
    assert moments.get_json()["moments"] == [
        {"start": "2026-12-03T08:00:00+01:00", "end": "2026-12-03T10:00:00+01:00", "officers": 2},
        {"start": "2026-12-03T10:00:00+01:00", "end": "2026-12-03T12:00:00+01:00", "officers": 2},
    ]
    assert "staff" not in moments.get_data(as_text=True)  # no officers' names or ids

    risks = {
        "known_aggression": True,
        "weapons": False,
        "dogs": True,
        "vulnerable_persons": False,
        "interpreter_needed": False,
    }
    created = client.post(
        ROUTE,
        json=assistance_body(risks=risks, notes="Achterdeur via de tuin"),
        headers={**OFFICE, "Idempotency-Key": "DW-2026-0042/1"},
    )
    assert created.status_code == 201, created.get_json()
    booking = created.get_json()
    assert booking == {
        "reference": booking["reference"],
        "status": "confirmed",
        "start": "2026-12-03T08:00:00+01:00",
        "end": "2026-12-03T10:00:00+01:00",
        "officers": 2,
        "address": {"postcode": "1547", "street": "Plaats", "number": "3"},
        "details": {
            "file_reference": "DW-2026-0042",
            "execution_kind": "eviction",
            "risks": risks,
            "notes": "Achterdeur via de tuin",
        },
        "cancel_reason": None,
    }
    reference = booking["reference"]
    assert created.headers["Location"] == f"{ROUTE}/{reference}"
    assert session.get(AssistanceDetails, session.scalar(select(Booking.id))).dogs

    # The case software's retry: the first answer again, nothing booked twice.
    again = client.post(
        ROUTE,
        json=assistance_body(risks=risks, notes="Achterdeur via de tuin"),
        headers={**OFFICE, "Idempotency-Key": "DW-2026-0042/1"},
    )
    assert (again.status_code, again.get_json()) == (201, booking)
    assert count_rows(session, Booking) == 1
    # The moment is taken now: the search no longer offers it.
    left = client.get(MOMENTS, query_string=THURSDAY, headers=OFFICE).get_json()["moments"]
    assert [m["start"] for m in left] == ["2026-12-03T10:00:00+01:00"]

    assert client.get(ROUTE, headers=OFFICE).get_json() == {"bookings": [booking]}
    assert client.get(ROUTE, query_string={"past": "1"}, headers=OFFICE).get_json() == {
        "bookings": []
    }
    assert client.get(f"{ROUTE}/{reference}", headers=OFFICE).get_json() == booking

    moved = client.post(
        f"{ROUTE}/{reference}/move", json={"start": "2026-12-03T10:00:00+01:00"}, headers=OFFICE
    )
    assert moved.status_code == 200, moved.get_json()
    assert (moved.get_json()["start"], moved.get_json()["end"]) == (
        "2026-12-03T10:00:00+01:00",
        "2026-12-03T12:00:00+01:00",
    )
    for _ in range(2):  # idempotent
        cancelled = client.post(
            f"{ROUTE}/{reference}/cancel", json={"reason": "Schuld betaald"}, headers=OFFICE
        )
        assert cancelled.status_code == 200, cancelled.get_json()
        assert cancelled.get_json()["status"] == "cancelled"
        assert cancelled.get_json()["cancel_reason"] == "Schuld betaald"
    assert (
        session.scalars(select(AssistanceCapacity.used).where(AssistanceCapacity.used > 0)).all()
        == []
    )

    # The history says it was this office's case software, and which of its tokens.
    office_id = session.scalar(select(Booking.bailiff_account_id))
    token_id = session.scalar(
        select(OfficeApiToken.id).where(OfficeApiToken.office_id == office_id)
    )
    history = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.channel, e.actor_kind) for e in history] == [
        ("booked", Channel.API, ActorKind.BAILIFF),
        ("moved", Channel.API, ActorKind.BAILIFF),
        ("cancelled", Channel.API, ActorKind.BAILIFF),
    ]
    assert all(e.details["api_token_id"] == token_id for e in history)


@freeze_time(NOW)
def test_the_token_is_marked_used(client, officer, bailiff_service, session):
    client.get("/api/v1/assistance/kinds", headers=OFFICE)
    used = session.scalars(select(OfficeApiToken.last_used_at)).all()
    assert datetime.fromisoformat(NOW) in used


@freeze_time(NOW)
def test_the_kinds_of_execution(client, officer, bailiff_service):
    kinds = client.get("/api/v1/assistance/kinds", headers=OFFICE).get_json()
    assert kinds == {
        "kinds": [
            {
                "code": "eviction",
                "names": {"nl": "Uithuiszetting", "fr": "Expulsion", "en": "Eviction"},
            }
        ]
    }


@freeze_time(NOW)
def test_officers_and_duration_default_to_the_services(client, officer, bailiff_service):
    body = assistance_body()
    del body["officers"], body["duration_minutes"]
    created = client.post(ROUTE, json=body, headers=OFFICE)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["officers"] == 2
    assert created.get_json()["end"] == "2026-12-03T10:00:00+01:00"


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"file_reference": ""}, "file_reference"),
        ({"file_reference": "x" * 61}, "file_reference"),
        ({"file_reference": "DW\u202e42"}, "file_reference"),
        ({"execution_kind": "bribery"}, "execution_kind"),
        ({"execution_kind": "Eviction!"}, "execution_kind"),
        ({"officers": 5}, "officers"),  # the service sends at most 4
        ({"officers": 0}, "officers"),
        ({"officers": "two"}, "officers"),
        ({"duration_minutes": 490}, "duration_minutes"),  # at most 480
        ({"duration_minutes": 100}, "duration_minutes"),  # not whole quarter hours
        ({"risks": {"known_aggression": False}}, "risks.dogs"),
        ({"risks": None}, "risks"),
        ({"notes": "x" * 2001}, "notes"),
        ({"notes": "Hond\x00"}, "notes"),
        ({"address": {"postcode": "1000", "street": "Wetstraat", "number": "16"}}, "street"),
        ({"address": {"postcode": "1547", "street": "Plaats"}}, "address.number"),
        ({"start": "2026-12-03T08:00:00"}, "start"),  # no offset
        ({"start": "2026-12-03T08:15:00+01:00"}, "start"),  # not one of the moments
        ({"start": "2026-12-03T08:00:00+01:00", "officers": 3}, "start"),  # only two serve
        ({"start": "9999-12-31T23:00:00+00:00"}, "start"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_requests_are_a_problem_naming_the_field(
    client, officer, bailiff_service, session, change, field
):
    response = client.post(ROUTE, json=assistance_body(**change), headers=OFFICE)
    assert response.status_code in (404, 409, 422), response.get_data(as_text=True)
    problem(response, response.status_code, field)
    assert count_rows(session, Booking) == count_rows(session, AssistanceDetails) == 0


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({**THURSDAY, "from": "2026-11-30"}, "from"),  # the window starts in the past
        ({**THURSDAY, "to": "2026-12-02"}, "to"),  # ends before it starts
        ({**THURSDAY, "to": "2027-06-01"}, "to"),  # more than 92 days
        ({**THURSDAY, "from": "morgen"}, "from"),
        ({**THURSDAY, "officers": 5}, "officers"),
        ({**THURSDAY, "duration_minutes": 20}, "duration_minutes"),
        ({k: v for k, v in THURSDAY.items() if k != "street"}, "street"),
        ({**THURSDAY, "postcode": "9999", "street": "Nergens"}, "street"),
    ],
)
def test_bad_searches_are_a_problem_naming_the_field(
    client, officer, bailiff_service, query, field
):
    response = client.get(MOMENTS, query_string=query, headers=OFFICE)
    assert response.status_code in (404, 422), response.get_data(as_text=True)
    problem(response, response.status_code, field)


ROUTES = [
    ("GET", "/api/v1/assistance/kinds", None),
    ("GET", MOMENTS + "?postcode=1547&street=Plaats&number=3&from=2026-12-03&to=2026-12-03", None),
    ("GET", ROUTE, None),
    ("POST", ROUTE, assistance_body()),
    ("GET", f"{ROUTE}/{{reference}}", None),
    ("POST", f"{ROUTE}/{{reference}}/cancel", {}),
    ("POST", f"{ROUTE}/{{reference}}/move", {"start": "2026-12-03T10:00:00+01:00"}),
]


@freeze_time(NOW)
@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_only_an_office_with_a_valid_token_gets_in(
    client, officer, bailiff_service, session, method, path, body
):
    reference = _book(client)["reference"]
    revoked = make_bailiff(session, token="revoked-token")
    for token in session.scalars(
        select(OfficeApiToken).where(OfficeApiToken.office_id == revoked.id)
    ):
        token.revoked_at = datetime.fromisoformat(NOW)
    session.commit()
    url = path.format(reference=reference)

    def call(headers):
        return client.open(url, method=method, json=body, headers=headers)

    citizen = problem(call({}), 403, "Authorization")  # a citizen: no token at all
    assert citizen["type"].endswith("/bailiff_token_required")
    for token in ("nope", "demo-token", "revoked-token"):
        refused = call({"Authorization": f"Bearer {token}"})
        problem(refused, 401)
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    problem(call({"Authorization": "Basic real-token"}), 401)
    assert count_rows(session, Booking) == 1


@freeze_time(NOW)
@pytest.mark.parametrize(("method", "path", "body"), ROUTES[4:])
def test_another_offices_booking_is_as_unknown_as_a_missing_one(
    client, officer, bailiff_service, other_office, session, method, path, body
):
    reference = _book(client)["reference"]
    theirs = client.open(
        path.format(reference=reference), method=method, json=body, headers=OTHER_OFFICE
    )
    missing = client.open(
        path.format(reference="999999999"), method=method, json=body, headers=OTHER_OFFICE
    )
    assert problem(theirs, 404, "reference") == problem(missing, 404, "reference")
    assert reference not in theirs.get_data(as_text=True)
    assert client.get(ROUTE, headers=OTHER_OFFICE).get_json() == {"bookings": []}
    mine = client.get(f"{ROUTE}/{reference}", headers=OFFICE).get_json()
    assert (mine["status"], mine["start"]) == ("confirmed", "2026-12-03T08:00:00+01:00")


@freeze_time(NOW)
def test_the_list_holds_no_citizens_booking(client, officer, bailiff_service, session):
    citizen = book_by_api(client, officer)  # Wednesday 10:00, the citizens' service
    mine = _book(client)
    listed = client.get(ROUTE, headers=OFFICE).get_json()["bookings"]
    assert [b["reference"] for b in listed] == [mine["reference"]]
    problem(client.get(f"{ROUTE}/{citizen['reference']}", headers=OFFICE), 404, "reference")


def test_past_bookings_are_listed_apart_latest_first(client, officer, bailiff_service):
    with freeze_time(NOW):
        first = _book(client)["reference"]
        second = _book(client, start="2026-12-03T10:00:00+01:00")["reference"]
    with freeze_time("2026-12-04T08:00:00Z"):
        assert client.get(ROUTE, headers=OFFICE).get_json() == {"bookings": []}
        past = client.get(ROUTE, query_string={"past": "1"}, headers=OFFICE).get_json()
        assert [b["reference"] for b in past["bookings"]] == [second, first]
        limited = client.get(ROUTE, query_string={"past": "1", "limit": "1"}, headers=OFFICE)
        assert [b["reference"] for b in limited.get_json()["bookings"]] == [second]
        problem(client.get(ROUTE, query_string={"limit": "0"}, headers=OFFICE), 422, "limit")


@pytest.mark.parametrize(
    ("path", "body"),
    [("cancel", {"reason": "Te laat"}), ("move", {"start": "2026-12-03T10:00:00+01:00"})],
)
def test_inside_the_cut_off_the_answer_says_whom_to_call(
    client, officer, bailiff_service, session, app, path, body
):
    with freeze_time(NOW):
        reference = _book(client)["reference"]
    with freeze_time("2026-12-03T06:30:00Z"):  # 07:30 in Brussels: 30 minutes before
        answer = client.post(f"{ROUTE}/{reference}/{path}", json=body, headers=OFFICE)
    refused = problem(answer, 409, "start")
    blue_number = app.config["BLAUWLIJN"].twilio_from_number
    assert refused["phone"] == blue_number
    assert blue_number in refused["detail"]
    assert refused["type"].endswith("/call_the_zone")
    booking = session.scalars(select(Booking)).one()
    session.refresh(booking)
    assert (booking.status.value, booking.start_at.hour) == ("confirmed", 7)


@freeze_time(NOW)
def test_reads_and_changes_are_rate_limited_per_office(
    client, officer, bailiff_service, other_office, monkeypatch
):
    monkeypatch.setitem(LIMITS, "assistance-office", 3)
    for _ in range(3):
        assert client.get(ROUTE, headers=OFFICE).status_code == 200
    problem(client.get(ROUTE, headers=OFFICE), 429)
    problem(client.post(ROUTE, json=assistance_body(), headers=OFFICE), 429)
    assert client.get(ROUTE, headers=OTHER_OFFICE).status_code == 200  # counted per office

    monkeypatch.setitem(LIMITS, "assistance-office", 100)
    monkeypatch.setitem(LIMITS, "booking-bailiff", 1)
    _book(client, headers=OTHER_OFFICE)
    second = client.post(
        ROUTE, json=assistance_body(start="2026-12-03T10:00:00+01:00"), headers=OTHER_OFFICE
    )
    problem(second, 429)


@freeze_time(NOW)
def test_a_move_to_a_moment_the_first_officer_cannot_make_goes_to_the_free_team(client, session):
    """The search offers 10:00 (two others are free then); the move must not refuse it
    because the officer who led the booking at 08:00 has gone home by 10:00."""
    leaves_at_ten, *others = (make_api_officer(session), make_staff(session), make_staff(session))
    make_weekly(session, leaves_at_ten, weekday=3, starts=time(8), ends=time(10), location=ON_SITE)
    for person in others:
        make_weekly(session, person, weekday=3, starts=time(8), ends=time(12), location=ON_SITE)
    make_assistance_service(session, team=(leaves_at_ten, *others))
    make_bailiff(session, token="real-token")
    make_execution_kind(session)
    session.commit()
    booking = _book(client)
    offered = client.get(MOMENTS, query_string=THURSDAY, headers=OFFICE).get_json()["moments"]
    assert [m["start"] for m in offered] == ["2026-12-03T10:00:00+01:00"]

    moved = client.post(
        f"{ROUTE}/{booking['reference']}/move", json={"start": offered[0]["start"]}, headers=OFFICE
    )
    assert moved.status_code == 200, moved.get_json()
    stored = session.scalars(select(Booking)).one()
    session.refresh(stored)
    assert stored.staff_id in {p.id for p in others}
    assert stored.officers == 2
