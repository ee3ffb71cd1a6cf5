"""Open311 GeoReport v2 POST requests: a partner's system posts a citizen's report with its
own api key; the report is made and routed as one from the web (channel api); every refusal
is the spec's error list naming the field. And the admin page that makes and revokes keys."""

import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app import ratelimit
from app.reports import api_clients
from app.reports.enums import CategoryKind, ReportActor, ReportChannel, ReportEventKind
from app.reports.models import Open311Client, Report
from scheduling.enums import Role
from tests.app.reports.factories import NOW, make_category
from tests.app.test_open311 import QUESTIONS, spec_error, valid
from tests.factories import make_district, make_register_street, make_staff
from tests.staff_login import csrf_of, sign_in_as

PATH = "/open311/v2/requests"
PAGE = "/staff/admin/open311-clients"


@pytest.fixture
def zone(session):
    """A public category with a required choice, a sensitive one, a lost-object one, a
    wijkagent for Kerkstraat in Bever (in the register) and an Open311 client's key."""
    make_category(session, code="dumping", questions=QUESTIONS)
    make_category(session, code="radical", sensitive=True, handled_by="restricted")
    make_category(session, code="lost", kind=CategoryKind.LOST)
    officer = make_staff(session, name="Inspecteur Wouters")
    make_district(session, officer, streets=(("1547", "Kerkstraat"),))
    street = make_register_street(
        session, "Kerkstraat", "Rue de l'Église", number=12, lat=50.7101, lon=3.9402
    )
    client, key = api_clients.create(session, "Gemeente Bever", now=NOW - timedelta(days=3))
    session.flush()
    return {"officer": officer, "street": street, "client": client, "key": key}


def post(http, zone, fmt="json", **fields):
    data = {
        "api_key": zone["key"],
        "service_code": "dumping",
        "attribute[kind]": "bulky",
        "address_string": "Rue de l'Eglise 12, 1547 Bever",
        "description": "Een zetel naast de glasbol",
        **fields,
    }
    return http.post(f"{PATH}.{fmt}", data={k: v for k, v in data.items() if v is not None})


def report(session, number: str) -> Report:
    found = session.scalar(select(Report).where(Report.number == number))
    assert found is not None
    return found


@freeze_time(NOW)
def test_a_post_lands_as_a_report_routed_like_any(client, session, zone):
    answer = post(
        client,
        zone,
        first_name="An",
        last_name="Peeters",
        email="An.Peeters@Example.org",
        phone="0470 12 34 56",
        media_url="http://203.0.113.5/photo.jpg",
    )
    assert answer.status_code == 201, answer.data
    assert answer.headers["Cache-Control"] == "no-store"
    [row] = answer.get_json()
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    assert row["account_id"] is None
    assert "112" in row["service_notice"]
    made = report(session, row["service_request_id"])
    assert made.channel == ReportChannel.API
    assert made.token_hash not in answer.get_data(as_text=True)
    # The register's street (found by its French name), its point; the wijkagent of it.
    assert (made.street_id, made.street_name, made.house_number, made.postcode) == (
        zone["street"].id,
        "Kerkstraat",
        "12",
        "1547",
    )
    assert (made.lat, made.lon) == (50.7101, 3.9402)
    assert made.assigned_staff_id == zone["officer"].id
    assert made.answers == {"kind": "bulky"}
    assert (made.reporter_name, made.reporter_email, made.reporter_phone) == (
        "An Peeters",
        "An.Peeters@example.org",
        "+32470123456",
    )
    [event] = made.events
    assert (event.kind, event.actor_kind) == (ReportEventKind.SUBMITTED, ReportActor.CITIZEN)
    # The new report reads back through GET like any public one.
    listed = client.get(f"{PATH}/{made.number}.json")
    assert valid(listed.data, "requests.json")[0]["address"] == "Kerkstraat, Bever"
    session.refresh(zone["client"])
    assert zone["client"].last_used_at == NOW


@freeze_time(NOW)
def test_a_point_or_a_landmark_and_a_lost_object(client, session, zone):
    by_point = post(client, zone, address_string=None, lat="50.71", long="3.94")
    made = report(session, by_point.get_json()[0]["service_request_id"])
    assert (made.lat, made.lon, made.street_id, made.assigned_staff_id) == (50.71, 3.94, None, None)
    elsewhere = post(client, zone, address_string="Aan de kerk van Gooik")
    made = report(session, elsewhere.get_json()[0]["service_request_id"])
    assert (made.landmark, made.street_id) == ("Aan de kerk van Gooik", None)
    lost = post(client, zone, service_code="lost", **{"attribute[kind]": None})
    assert "attribute[object_type]" in spec_error(lost, 400)
    lost = post(
        client,
        zone,
        service_code="lost",
        **{"attribute[kind]": None, "attribute[object_type]": "Portefeuille"},
    )
    assert report(session, lost.get_json()[0]["service_request_id"]).object_type == "Portefeuille"
    definition = valid(client.get("/open311/v2/services/lost.json").data, "service-definition.json")
    assert [a["code"] for a in definition["attributes"]] == ["object_type"]


@freeze_time(NOW)
def test_the_key_decides(client, session, zone):
    assert "api_key" in spec_error(post(client, zone, api_key=None), 403)
    assert "api_key" in spec_error(post(client, zone, api_key="x" * 43), 403)
    assert "api_key" in spec_error(post(client, zone, api_key="y" * 5000), 403)
    api_clients.revoke(zone["client"], now=NOW - timedelta(hours=1))
    session.flush()
    assert "api_key" in spec_error(post(client, zone), 403)
    assert "api_key" in spec_error(post(client, zone, fmt="xml"), 403)
    assert session.scalar(select(Report.id)) is None


@freeze_time(NOW)
def test_last_used_is_written_at_most_once_a_minute(client, session, zone):
    assert post(client, zone).status_code == 201
    with freeze_time(NOW + timedelta(seconds=30)):
        assert post(client, zone).status_code == 201
    session.refresh(zone["client"])
    assert zone["client"].last_used_at == NOW
    with freeze_time(NOW + timedelta(seconds=61)):
        assert post(client, zone).status_code == 201
    session.refresh(zone["client"])
    assert zone["client"].last_used_at == NOW + timedelta(seconds=61)


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"service_code": "radical"}, 404, "service_code"),  # sensitive: as unknown as in GET
        ({"service_code": "nothing"}, 404, "service_code"),
        ({"service_code": None}, 404, "service_code"),
        ({"description": None}, 400, "description"),
        ({"description": "x" * 5001}, 400, "description"),
        ({"address_string": None}, 400, "lat"),
        ({"address_string": None, "lat": "50.7"}, 400, "long"),
        ({"address_string": None, "long": "3.9"}, 400, "lat"),
        ({"lat": "north", "long": "3.9"}, 400, "lat"),
        ({"lat": "91", "long": "3.9"}, 400, "lat"),
        ({"lat": "50.7", "long": "nan"}, 400, "long"),
        ({"lat": "50.7", "long": "1e999"}, 400, "long"),
        ({"address_string": "Kerkstraat\u202e 12, 1547 Bever"}, 400, "address_string"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]"),
        ({"attribute[\x01]": "red"}, 400, "attribute"),  # never echoed into the XML
        ({"attribute[kind]": "radioactive"}, 400, "attribute[kind]"),
        ({"attribute[kind]": None}, 400, "attribute[kind]"),  # required
        ({"email": "not an address"}, 400, "email"),
        ({"phone": "12"}, 400, "phone"),
        ({"first_name": "A" * 101}, 400, "first_name"),
    ],
)
def test_bad_input_is_the_spec_error_naming_the_field(client, session, zone, fields, status, field):
    for fmt in ("json", "xml"):
        description = spec_error(post(client, zone, fmt=fmt, **fields), status)
        assert description.startswith(f"{field}:"), description
    assert session.scalar(select(Report.id)) is None


@freeze_time(NOW)
def test_xml_answer_parses(client, session, zone):
    answer = post(client, zone, fmt="xml")
    assert (answer.status_code, answer.mimetype) == (201, "text/xml")
    tree = ET.fromstring(answer.data)  # noqa: S314  (our own answer)
    assert tree.tag == "service_requests"
    number = tree.findtext("request/service_request_id")
    assert number
    assert report(session, number).channel == ReportChannel.API
    assert tree.findtext("request/service_notice")


@freeze_time(NOW)
def test_no_csrf_token_needed_and_the_rate_limit_is_per_client(client, session, zone, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "open311-client", 2)
    assert post(client, zone).status_code == 201  # a plain form post, no session, no token
    assert post(client, zone).status_code == 201
    spec_error(post(client, zone), 429)
    _, other = api_clients.create(session, "Gemeente Gooik", now=NOW)
    assert post(client, {**zone, "key": other}).status_code == 201


@freeze_time(NOW)
def test_nothing_personal_in_the_log(client, session, zone, caplog):
    caplog.set_level("DEBUG")
    post(client, zone, first_name="Annemie", email="annemie@example.org", phone="0470123456")
    post(client, zone, first_name="Annemie", email="broken")
    assert "Annemie" not in caplog.text
    assert "annemie@" not in caplog.text
    assert zone["key"] not in caplog.text


# --- The admin page -------------------------------------------------------------------


@freeze_time(NOW)
def test_the_admin_page_for_each_role(client, session, zone):
    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert "/staff/login" in answer.location
    for role in (Role.SUPERVISOR, Role.INTAKE, Role.ZONE_CHIEF, Role.CALL_TAKER):
        other = client.application.test_client()
        sign_in_as(other, session, role)
        assert other.get(PAGE).status_code == 403, role
        assert (
            other.post(
                PAGE, data={"name": "X", "csrf_token": csrf_of(other, "/staff/")}
            ).status_code
            == 403
        )
    sign_in_as(client, session, Role.ADMIN)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Gemeente Bever" in page
    assert zone["key"] not in page


@freeze_time(NOW)
def test_an_admin_makes_a_key_seen_once_and_revokes_it(client, session, zone):
    sign_in_as(client, session, Role.ADMIN)
    token = csrf_of(client, PAGE)
    empty = client.post(PAGE, data={"csrf_token": token, "name": " "})
    assert "Geef de naam van het systeem" in empty.get_data(as_text=True)  # Dutch by default
    made = client.post(PAGE, data={"csrf_token": token, "name": "Gemeente Gooik"})
    html = made.get_data(as_text=True)
    key = re.search(r"<code>([A-Za-z0-9_-]{43,})</code>", html)
    assert key, html
    new = session.scalar(select(Open311Client).where(Open311Client.name == "Gemeente Gooik"))
    assert new is not None
    assert new.key_hash == api_clients.hash_key(key.group(1))
    assert key.group(1) not in client.get(PAGE).get_data(as_text=True)  # never again
    assert post(client, {**zone, "key": key.group(1)}).status_code == 201

    revoked = client.post(f"{PAGE}/{new.id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 302
    session.refresh(new)
    assert new.revoked_at == NOW
    assert "api_key" in spec_error(post(client, {**zone, "key": key.group(1)}), 403)
    assert post(client, zone).status_code == 201  # the other client posts on
