"""Open311 GeoReport v2, the read side: answers valid against the published schemas
(tests/open311), the same fields in XML, and nothing personal or sensitive in any answer."""

import json
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from freezegun import freeze_time
from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from sqlalchemy import select

from app import ratelimit
from app.open311.answer_cache import TTL_SECONDS, AnswerCache
from app.reports import commands
from app.reports.commands import Place, Reporter, staff
from app.reports.enums import CategoryKind
from app.reports.models import Report
from tests.app.reports.factories import BXL, NOW, make_category, submit
from tests.factories import make_staff

SCHEMAS = Path(__file__).parent.parent / "open311"
_REGISTRY = Registry().with_resources(
    (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT7))
    for path in SCHEMAS.glob("*.json")
)

# What a report holds that no Open311 answer may show.
HOUSE_NUMBER, LANDMARK = "117B", "voor het huis van de bakker"
NAME, PHONE, EMAIL = "An Peeters", "+32470123456", "an.peeters@example.org"
DESCRIPTION = "Jan Janssens dumpt elke week zijn afval naast de glasbol"
NOTE, ADDED, CLOSING = "Intern: buurman verdacht", "Ik zag hem opnieuw", "Beste mevrouw Peeters"
SECRETS = (HOUSE_NUMBER, LANDMARK, NAME, "470123456", EMAIL, DESCRIPTION, NOTE, ADDED, CLOSING)
PLACE = Place(
    street_name="Kerkstraat",
    house_number=HOUSE_NUMBER,
    postcode="1547",
    municipality="Bever",
    landmark=LANDMARK,
    lat=50.712345,
    lon=3.934567,
)
REPORTER = Reporter(name=NAME, phone=PHONE, email=EMAIL)
DUMPING = {"nl": "Sluikstort", "fr": "Dépôt clandestin", "en": "Illegal dumping"}
TRAFFIC = {"nl": "Verkeer", "fr": "Circulation", "en": "Traffic"}
QUESTIONS = [
    {
        "code": "kind",
        "names": {"nl": "Wat voor afval?", "fr": "Quel déchet ?", "en": "What kind of waste?"},
        "type": "choice",
        "required": True,
        "options": [{"code": "bulky", "names": {"nl": "Grofvuil", "fr": "Encombrants"}}],
    },
    {"code": "amount", "names": {"nl": "Hoeveel?", "en": "How much?"}, "type": "text"},
]


def valid(body: bytes, schema: str) -> list | dict:
    data = json.loads(body)
    validator = Draft7Validator(
        json.loads((SCHEMAS / schema).read_text()),
        registry=_REGISTRY,
        format_checker=FormatChecker(),
    )
    errors = [error.message for error in validator.iter_errors(data)]
    assert errors == []
    return data


def xml_rows(body: bytes, root: str, item: str) -> list[dict[str, str]]:
    tree = ET.fromstring(body)  # noqa: S314  (our own answer)
    assert tree.tag == root
    return [{child.tag: child.text or "" for child in row} for row in tree.findall(item)]


def no_secrets(body: bytes) -> None:
    for secret in SECRETS:
        assert secret.encode() not in body, secret
    assert b"50.712345" not in body
    assert b"3.934567" not in body


def spec_error(response, status: int) -> str:
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"
    if response.mimetype == "text/xml":
        [row] = xml_rows(response.data, "errors", "error")
        assert row["code"] == str(status)
        return row["description"]
    [error] = response.get_json()
    assert set(error) == {"code", "description"}
    assert error["code"] == status
    return error["description"]


@pytest.fixture
def world(session):
    """A public category with questions, a sensitive one, a question of the contact form, and
    reports in each; one public report with every personal detail and its history."""
    dumping = make_category(session, code="dumping", names=DUMPING, questions=QUESTIONS)
    traffic = make_category(session, code="traffic", names=TRAFFIC)
    secret = make_category(session, code="radical", sensitive=True, handled_by="restricted")
    asked = make_category(session, code="asked", kind=CategoryKind.QUESTION)
    make_category(session, code="retired", active=False)
    officer = make_staff(session)
    full = submit(
        session,
        dumping,
        place=PLACE,
        reporter=REPORTER,
        description=DESCRIPTION,
        now=NOW - timedelta(days=2),
    )
    later = NOW - timedelta(days=1)
    commands.add_note(session, full, NOTE, actor=staff(officer.id), now=later)
    commands.add_information(session, full, ADDED, actor=commands.CITIZEN, now=later)
    commands.public_update(session, full, "Eerste update", actor=staff(officer.id), now=later)
    commands.public_update(session, full, "Ophaling gepland", actor=staff(officer.id), now=later)
    closed = submit(session, traffic, place=PLACE, reporter=REPORTER, now=NOW - timedelta(days=3))
    commands.close_with_message(session, closed, CLOSING, actor=staff(officer.id), now=later)
    sensitive = submit(session, secret, place=PLACE, now=NOW - timedelta(days=1))
    withdrawn = submit(session, traffic, place=PLACE, now=NOW - timedelta(days=1))
    commands.withdraw(session, withdrawn, actor=commands.CITIZEN, now=later)
    merged = submit(session, dumping, place=PLACE, now=NOW - timedelta(hours=5))
    commands.merge(session, merged, full, actor=staff(officer.id), now=NOW - timedelta(hours=4))
    old = submit(session, traffic, place=PLACE, now=NOW - timedelta(days=91))
    session.commit()
    return {
        "full": full.number,
        "closed": closed.number,
        "sensitive": sensitive.number,
        "withdrawn": withdrawn.number,
        "merged": merged.number,
        "old": old.number,
        "asked": asked.code,
    }


@freeze_time(NOW)
def test_services_are_the_active_public_categories_in_the_asked_language(client, world):
    response = client.get("/open311/v2/services.json?lang=fr")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response.headers  # cached answers carry no session
    services = valid(response.data, "services.json")
    assert [s["service_code"] for s in services] == ["dumping", "traffic"]
    dumping = services[0]
    assert dumping["service_name"] == "Dépôt clandestin"
    assert (dumping["metadata"], dumping["type"], services[1]["metadata"]) == (
        True,
        "realtime",
        False,
    )
    assert dumping["keywords"] == "Illegal dumping, Sluikstort"  # the other languages
    assert dumping["group"] == "Signalements à la police"
    english = client.get("/open311/v2/services.json", headers={"Accept-Language": "en"})
    assert valid(english.data, "services.json")[0]["service_name"] == "Illegal dumping"
    dutch = valid(client.get("/open311/v2/services.json").data, "services.json")
    assert (dutch[0]["service_name"], dutch[0]["group"]) == (
        "Sluikstort",
        "Meldingen aan de politie",
    )

    xml = client.get("/open311/v2/services.xml?lang=fr")
    assert xml.mimetype == "text/xml"
    rows = xml_rows(xml.data, "services", "service")
    assert [(r["service_code"], r["service_name"], r["metadata"]) for r in rows] == [
        (s["service_code"], s["service_name"], str(s["metadata"]).lower()) for s in services
    ]


@freeze_time(NOW)
def test_a_service_definition_has_the_category_questions(client, world):
    response = client.get("/open311/v2/services/dumping.json?lang=fr")
    definition = valid(response.data, "service-definition.json")
    kind, amount = definition["attributes"]
    assert (kind["code"], kind["datatype"], kind["required"], kind["order"]) == (
        "kind",
        "singlevaluelist",
        True,
        1,
    )
    assert kind["description"] == "Quel déchet ?"
    assert kind["values"] == [{"key": "bulky", "name": "Encombrants"}]
    assert (amount["datatype"], amount["required"], amount["description"]) == (
        "string",
        False,
        "Hoeveel?",  # no French name: the Dutch one
    )
    xml = ET.fromstring(client.get("/open311/v2/services/dumping.xml").data)  # noqa: S314
    assert xml.tag == "service_definition"
    assert xml.findtext("service_code") == "dumping"
    assert [a.findtext("code") for a in xml.iter("attribute")] == ["kind", "amount"]
    assert xml.findtext("attributes/attribute/values/value/key") == "bulky"
    for hidden in ("radical", "asked", "retired", "nothing"):
        assert "service_code" in spec_error(client.get(f"/open311/v2/services/{hidden}.json"), 404)
    spec_error(client.get("/open311/v2/services/radical.xml"), 404)


@freeze_time(NOW)
def test_requests_show_public_fields_only(client, world):
    response = client.get("/open311/v2/requests.json")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    requests = valid(response.data, "requests.json")
    no_secrets(response.data)
    assert [r["service_request_id"] for r in requests] == [world["full"], world["closed"]]
    full, closed = requests
    assert full == {
        "service_request_id": world["full"],
        "status": "open",
        "status_notes": "Ophaling gepland",  # the latest public update, nothing else
        "service_name": "Sluikstort",
        "service_code": "dumping",
        "requested_datetime": (NOW - timedelta(days=2)).astimezone(BXL).isoformat(),
        "updated_datetime": (NOW - timedelta(hours=4)).astimezone(BXL).isoformat(),
        "address": "Kerkstraat, Bever",
        "zipcode": "1547",
        "lat": 50.712,
        "long": 3.935,
    }
    assert (closed["status"], closed["status_notes"]) == ("closed", None)  # not the closing letter
    assert closed["updated_datetime"] == (NOW - timedelta(days=1)).astimezone(BXL).isoformat()

    xml = client.get("/open311/v2/requests.xml")
    no_secrets(xml.data)
    rows = xml_rows(xml.data, "service_requests", "request")
    assert [(r["service_request_id"], r["status"], r["address"], r["lat"]) for r in rows] == [
        (world["full"], "open", "Kerkstraat, Bever", "50.712"),
        (world["closed"], "closed", "Kerkstraat, Bever", "50.712"),
    ]
    assert rows[0]["status_notes"] == "Ophaling gepland"


@freeze_time(NOW)
def test_one_request_and_never_a_hidden_one(client, world):
    response = client.get(f"/open311/v2/requests/{world['full']}.json")
    [one] = valid(response.data, "requests.json")
    assert one["service_request_id"] == world["full"]
    no_secrets(response.data)
    xml = client.get(f"/open311/v2/requests/{world['full']}.xml")
    [row] = xml_rows(xml.data, "service_requests", "request")
    assert (row["service_request_id"], row["zipcode"]) == (world["full"], "1547")
    no_secrets(xml.data)
    for hidden in ("sensitive", "withdrawn", "merged"):
        for fmt in ("json", "xml"):
            answer = client.get(f"/open311/v2/requests/{world[hidden]}.{fmt}")
            assert "service_request_id" in spec_error(answer, 404)
    spec_error(client.get("/open311/v2/requests/M-1999-000001.json"), 404)
    # Asked for by number, hidden ones stay hidden too.
    ids = ",".join(world[k] for k in ("full", "sensitive", "withdrawn", "merged", "old"))
    listed = valid(
        client.get(f"/open311/v2/requests.json?service_request_id={ids}").data, "requests.json"
    )
    assert sorted(r["service_request_id"] for r in listed) == sorted([world["full"], world["old"]])


@freeze_time(NOW)
def test_a_sensitive_category_never_shows(client, world):
    for path in (
        "services.json",
        "services.xml",
        "requests.json",
        "requests.xml",
        "requests.json?service_code=radical",
        f"requests.json?service_request_id={world['sensitive']}",
    ):
        body = client.get(f"/open311/v2/{path}").data
        assert b"radical" not in body, path
        assert world["sensitive"].encode() not in body, path
        assert b"asked" not in body, path  # nor the contact form's questions


@freeze_time(NOW)
def test_filters_and_the_90_day_window(client, world):
    def numbers(query: str) -> list[str]:
        response = client.get(f"/open311/v2/requests.json?{query}")
        return [r["service_request_id"] for r in valid(response.data, "requests.json")]

    assert numbers("service_code=traffic") == [world["closed"]]
    assert numbers("status=open") == [world["full"]]
    assert numbers("status=closed") == [world["closed"]]
    assert numbers("status=open,closed") == [world["full"], world["closed"]]
    day = (NOW - timedelta(days=2, hours=1)).isoformat().replace("+00:00", "Z")
    assert numbers(f"start_date={day}") == [world["full"]]  # 90 days on from it
    # 90 days up to it: the report of 91 days ago is in that window
    assert numbers(f"end_date={day}") == [world["closed"], world["old"]]
    old = (NOW - timedelta(days=92)).strftime("%Y-%m-%dT%H:%M:%S")  # the zone's time
    assert numbers(f"start_date={old}") == [world["closed"], world["old"]]
    assert world["old"] not in numbers("")  # 91 days ago: outside the default window


@freeze_time(NOW)
def test_paging(client, world):
    def numbers(query: str) -> list[str]:
        response = client.get(f"/open311/v2/requests.json?{query}")
        return [r["service_request_id"] for r in valid(response.data, "requests.json")]

    assert numbers("page_size=1") == [world["full"]]
    assert numbers("page_size=1&page=2") == [world["closed"]]
    assert numbers("page_size=1&page=3") == []
    assert numbers("page_size=200") == [world["full"], world["closed"]]


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start_date=yesterday", "start_date"),
        ("end_date=2026-13-01", "end_date"),
        ("start_date=9999-12-31T23:59:59", "start_date"),  # 90 days on: beyond datetime
        ("end_date=0001-01-01", "end_date"),
        ("start_date=2026-12-01T00:00:00%2B25:00", "start_date"),
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "end_date"),
        ("start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z", "end_date"),
        ("status=pending", "status"),
        ("page_size=201", "page_size"),
        ("page_size=0", "page_size"),
        ("page=-1", "page"),
        ("page=1e3", "page"),
        ("lang=de", "lang"),
        (f"service_request_id={','.join(['M-1'] * 201)}", "service_request_id"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, world, query, field):
    assert spec_error(client.get(f"/open311/v2/requests.json?{query}"), 400).startswith(field)
    assert spec_error(client.get(f"/open311/v2/requests.xml?{query}"), 400).startswith(field)


@freeze_time(NOW)
def test_unknown_formats_paths_and_methods(client, world):
    assert "format" in spec_error(client.get("/open311/v2/services.csv"), 404)
    assert "format" in spec_error(client.get(f"/open311/v2/requests/{world['full']}.html"), 404)
    spec_error(client.get("/open311/v2/nothing.json"), 404)
    spec_error(client.get("/open311/v2/nothing.xml"), 404)
    refused = client.delete("/open311/v2/requests.json")
    spec_error(refused, 405)
    assert {"GET", "POST"} <= set(refused.headers["Allow"].split(", "))
    spec_error(client.post("/open311/v2/services.json"), 405)


@freeze_time(NOW)
def test_the_rate_limit_per_address(client, world, monkeypatch):
    monkeypatch.setitem(ratelimit.LIMITS, "open311-ip", 3)
    one = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(3):
        assert client.get("/open311/v2/services.json", environ_base=one).status_code == 200
    spec_error(client.get("/open311/v2/services.json", environ_base=one), 429)
    spec_error(client.get("/open311/v2/requests.xml", environ_base=one), 429)
    other = {"REMOTE_ADDR": "203.0.113.10"}
    assert client.get("/open311/v2/services.json", environ_base=other).status_code == 200


@freeze_time(NOW)
def test_a_repeated_list_is_served_from_the_worker_without_the_database(
    app, client, session, world, monkeypatch
):
    """Seconds later the same list is the same bytes, uncounted; another query, another
    language or the cache's time run out: asked afresh."""
    app.extensions["open311_cache"] = AnswerCache()
    monkeypatch.setitem(ratelimit.LIMITS, "open311-ip", 2)
    first = client.get("/open311/v2/requests.json")
    assert len(first.get_json()) == 2
    commands.withdraw(
        session, report_by_number(session, world["full"]), actor=commands.CITIZEN, now=NOW
    )
    session.flush()
    for _ in range(5):  # not counted: the limit of 2 is never reached
        again = client.get("/open311/v2/requests.json")
        assert again.data == first.data
        assert again.headers["Cache-Control"] == "public, max-age=60"
    french = client.get("/open311/v2/requests.json", headers={"Accept-Language": "fr"})
    assert len(french.get_json()) == 1  # asked afresh: the withdrawn one is gone
    spec_error(client.get("/open311/v2/requests.xml"), 429)  # the third counted request
    with freeze_time(NOW + timedelta(seconds=TTL_SECONDS + 1)):
        monkeypatch.setitem(ratelimit.LIMITS, "open311-ip", 10)
        assert len(client.get("/open311/v2/requests.json").get_json()) == 1


def report_by_number(session, number: str) -> Report:
    return session.scalars(select(Report).where(Report.number == number)).one()
