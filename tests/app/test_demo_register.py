"""The demo zone's address register: common street names find their wijkagent, in Dutch and,
in Bever/Biévène, in French, on the web booking pages."""

import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.addresses.best import current_addresses
from app.addresses.importer import import_register
from app.demo import register
from app.demo.seed import seed_demo
from scheduling.addresses import Address, district_for
from scheduling.models import DistrictStreet, RegisterAddress, Street

NOW = datetime(2026, 12, 1, 8, tzinfo=UTC)
BEVER_OFFICER = "Geert Demol"  # GALOP-1009, the wijkagent of Bever


@pytest.fixture
def demo(session, app):
    return seed_demo(session, now=NOW, zone=app.config["BLAUWLIJN"].zone)


def _csrf(client, path="/book"):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_the_generated_register_is_the_same_every_time_and_a_few_thousand_addresses():
    text = register.best_csv()
    assert text == register.best_csv()
    rows = list(current_addresses(io.StringIO(text), register.NIS_CODES))
    assert 2_000 <= len(rows) <= 6_000
    bever = {(r.street.nl, r.street.fr) for r in rows if r.postcode == "1547"}
    assert ("Kerkstraat", "Rue de l'Église") in bever
    assert all(fr for _, fr in bever)  # Bever/Biévène names every street in French too
    assert all(not r.street.fr for r in rows if r.postcode != "1547")


def test_every_district_street_is_linked_and_common_streets_find_their_wijkagent(session, demo):
    assert demo.counts["addresses"] == session.scalar(
        select(func.count()).select_from(RegisterAddress)
    )
    unlinked = session.scalars(select(DistrictStreet).where(DistrictStreet.street_id.is_(None)))
    assert [(s.postcode, s.street) for s in unlinked] == []
    for street in register.common_streets():
        district = district_for(session, Address(street.postcode, street.name_nl, "1"))
        assert district.name == street.section.district, street
    # The same register again (seed-demo imports it once; a zone re-imports it): no change.
    again = import_register(
        session, io.StringIO(register.best_csv()), municipalities=register.NIS_CODES
    )
    assert (str(again.streets), str(again.addresses), again.linked, again.not_found) == (
        "0 added, 0 changed, 0 removed",
        "0 added, 0 changed, 0 removed",
        0,
        [],
    )


def test_a_second_seed_keeps_the_register_and_an_older_zone_gets_it(session, app, demo):
    zone = app.config["BLAUWLIJN"].zone
    streets = session.scalar(select(func.count()).select_from(DistrictStreet))
    seed_demo(session, now=NOW, zone=zone)
    assert session.scalar(select(func.count()).select_from(DistrictStreet)) == streets

    # A zone loaded before the register existed: no register, only zone.py's streets.
    for row in session.scalars(select(DistrictStreet)):
        if row.street_key == "kerkstraat" and row.postcode == "1547":
            session.delete(row)
        row.street_id = None
    session.flush()
    session.execute(RegisterAddress.__table__.delete())
    session.execute(Street.__table__.delete())
    seed_demo(session, now=NOW, zone=zone)
    assert session.scalar(select(func.count()).select_from(DistrictStreet)) == streets
    assert district_for(session, Address("1547", "Rue de l'Église", "1")).officer.name == (
        BEVER_OFFICER
    )


def test_the_web_booking_address_step_finds_kerkstraat_1_in_bever(client, demo):
    for street in ("Kerkstraat", "Rue de l'Église", "rue de l'eglise"):
        token = _csrf(client)
        client.post("/book", data={"csrf_token": token, "service": "wijkagent"})
        answer = client.post(
            "/book/address",
            data={"csrf_token": token, "postcode": "1547", "street": street, "number": "1"},
        )
        assert answer.status_code == 302, street
        assert answer.location.endswith("/book/location")
        assert BEVER_OFFICER in client.get("/book/location").get_data(as_text=True)
    # Who is my wijkagent? on the start page, which suggests the French names too.
    page = client.get(
        "/officer", query_string={"postcode": "1547", "street": "Rue de l'Église", "number": "1"}
    ).get_data(as_text=True)
    assert BEVER_OFFICER in page
    assert "Rue de l&#39;Église" in client.get("/").get_data(as_text=True)
