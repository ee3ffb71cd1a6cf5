"""/staff/admin/villages over HTTP: who may read and change it, each field's error next to it
with nothing written, the travel grid saved one way for both unless both are entered, the
sites' village, and the audit entries."""

import html as html_text
import re

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app import ratelimit
from scheduling.enums import Role
from scheduling.models import AuditEntry, Site, Village
from scheduling.travel_times import travel_minutes
from tests.factories import NOW, make_site
from tests.staff_login import csrf_of, sign_in_as
from tests.villages import drive, make_village

PAGE = "/staff/admin/villages"
TRAVEL = f"{PAGE}/travel"


@pytest.fixture(autouse=True)
def _frozen():
    with freeze_time(NOW):
        yield


@pytest.fixture
def villages(session):
    gooik = make_village(session, "Gooik", postcode="1755", lat=50.7946, lon=4.1135)
    leerbeek = make_village(session, "Leerbeek", postcode="1755", lat=50.7734, lon=4.1244)
    drive(session, gooik, leerbeek, 8)
    session.commit()
    return gooik, leerbeek


def _signed_in(client, session, *roles: Role):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return sign_in_as(client, session, *roles)


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf_token": csrf_of(client, PAGE), **data})


def _grid(client) -> dict[str, str]:
    """The travel grid as the page fills it in."""
    page = client.get(PAGE).get_data(as_text=True)
    return dict(re.findall(r'name="(travel-\d+-\d+)"[^>]*value="([^"]*)"', page))


def _cell(a: Village, b: Village) -> str:
    return f"travel-{a.id}-{b.id}"


def _audit(session, action: str) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_supervisor_reads_the_villages_and_grid_but_changes_nothing(client, session, villages):
    gooik, leerbeek = villages
    _signed_in(client, session, Role.SUPERVISOR)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Gooik" in page
    assert "50.7946, 4.1135" in page
    assert 'name="travel-' not in page
    assert "Save the travel times" not in page
    assert f"{PAGE}/{gooik.id}" not in page
    assert client.get(f"{PAGE}/{gooik.id}").status_code == 403
    assert _post(client, TRAVEL, **{_cell(gooik, leerbeek): "9"}).status_code == 403
    assert _post(client, PAGE, name="Oetingen").status_code == 403
    assert travel_minutes(session)[(gooik.id, leerbeek.id)] == 8


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.CALL_TAKER])
def test_others_get_the_403_page(client, session, villages, role):
    _signed_in(client, session, role)
    assert client.get(PAGE).status_code == 403


def test_signed_out_it_asks_to_sign_in(client, villages):
    answer = client.get(PAGE)
    assert answer.status_code == 302
    assert answer.location.startswith("/staff/login")


def test_the_admin_menu_links_it(client, session, villages):
    _signed_in(client, session, Role.ADMIN)
    page = client.get("/staff/admin/sites").get_data(as_text=True)
    assert f'href="{PAGE}"' in page


def test_an_admin_adds_a_village(client, session, villages):
    admin = _signed_in(client, session, Role.ADMIN)
    answer = _post(client, PAGE, name="Oetingen", postcode="1755", lat="50,7562", lon="4.0714")
    assert answer.status_code == 302
    village = session.scalars(select(Village).where(Village.name == "Oetingen")).one()
    assert (village.postcode, village.lat, village.lon) == ("1755", 50.7562, 4.0714)
    (entry,) = _audit(session, "village_added")
    assert entry.actor_id == admin.id


@pytest.mark.parametrize(
    ("field", "fields", "message"),
    [
        ("name", {"name": ""}, "Enter the village's name."),
        ("name", {"name": "gooik"}, "Another village already has this name."),
        ("postcode", {"postcode": "0755"}, "Enter a Belgian postcode of four digits"),
        ("lat", {"lat": "4.1135"}, "Enter a number from 49.4 to 51.6, like 50.7496."),
        ("lon", {"lon": "east"}, "Enter a number from 2.5 to 6.5, like 4.0272."),
        ("name", {"name": "Oet\u202eingen"}, "Remove the special characters"),
    ],
)
def test_a_wrong_field_is_explained_next_to_it_and_nothing_is_added(
    client, session, villages, field, fields, message
):
    _signed_in(client, session, Role.ADMIN)
    data = {"name": "Oetingen", "postcode": "1755", "lat": "50.7562", "lon": "4.0714", **fields}
    answer = _post(client, PAGE, **data)
    assert answer.status_code == 422
    page = html_text.unescape(answer.get_data(as_text=True))
    block = re.search(rf'<p class="error-message" id="{field}-error">(.*?)</p>', page, re.S)
    assert block is not None
    assert message in block.group(1)
    assert f'id="{field}" name="{field}"' in page
    assert session.scalar(select(Village).where(Village.name == "Oetingen")) is None


def test_an_admin_edits_a_village(client, session, villages):
    gooik, _ = villages
    _signed_in(client, session, Role.ADMIN)
    path = f"{PAGE}/{gooik.id}"
    form = {"name": "Gooik-centrum", "postcode": "1755", "lat": "50.795", "lon": "4.1135"}
    assert _post(client, path, **form).status_code == 302
    session.expire_all()
    assert (gooik.name, gooik.lat) == ("Gooik-centrum", 50.795)
    assert _audit(session, "village_updated")[0].details["changed"] == ["lat", "name"]
    bad = _post(client, path, **{**form, "lon": "200"})
    assert bad.status_code == 422
    assert 'id="lon-error"' in bad.get_data(as_text=True)
    assert client.get(f"{PAGE}/999999").status_code == 404


def test_changing_one_way_changes_the_way_back(client, session, villages):
    gooik, leerbeek = villages
    _signed_in(client, session, Role.ADMIN)
    grid = _grid(client)
    assert grid[_cell(gooik, leerbeek)] == "8"
    grid[_cell(gooik, leerbeek)] = "12"
    grid[_cell(gooik, gooik)] = "4"
    assert _post(client, TRAVEL, **grid).status_code == 302
    session.expire_all()
    known = travel_minutes(session)
    assert known[(gooik.id, leerbeek.id)] == known[(leerbeek.id, gooik.id)] == 12
    assert known[(gooik.id, gooik.id)] == 4
    assert (leerbeek.id, leerbeek.id) not in known  # left empty
    (entry,) = _audit(session, "village_travel_updated")
    assert entry.details == {"pairs": 3}


def test_entering_both_ways_keeps_each(client, session, villages):
    gooik, leerbeek = villages
    _signed_in(client, session, Role.ADMIN)
    grid = _grid(client) | {_cell(gooik, leerbeek): "10", _cell(leerbeek, gooik): "14"}
    _post(client, TRAVEL, **grid)
    session.expire_all()
    known = travel_minutes(session)
    assert (known[(gooik.id, leerbeek.id)], known[(leerbeek.id, gooik.id)]) == (10, 14)
    # Emptying one way empties the way back too: the longest drive counts again.
    _post(client, TRAVEL, **(_grid(client) | {_cell(gooik, leerbeek): ""}))
    session.expire_all()
    assert travel_minutes(session) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [("241", "Enter a number from 0 to 240."), ("-3", "Enter a whole number"), ("1.5", "whole")],
)
def test_a_wrong_minute_is_explained_in_its_cell_and_nothing_is_saved(
    client, session, villages, value, message
):
    gooik, leerbeek = villages
    _signed_in(client, session, Role.ADMIN)
    grid = _grid(client) | {_cell(gooik, leerbeek): value, _cell(gooik, gooik): "3"}
    answer = _post(client, TRAVEL, **grid)
    assert answer.status_code == 422
    page = html_text.unescape(answer.get_data(as_text=True))
    name = _cell(gooik, leerbeek)
    found = re.search(
        rf'<p class="error-message" id="{name}-error">(.*?)</p>\s*<input id="{name}"', page, re.S
    )
    assert found is not None
    assert message in found.group(1)
    assert f'value="{value}"' in page  # what was typed stays
    session.expire_all()
    assert travel_minutes(session) == {(gooik.id, leerbeek.id): 8, (leerbeek.id, gooik.id): 8}


def test_an_admin_gives_a_site_its_village(client, session, villages):
    gooik, _ = villages
    site = make_site(session, name="Wijkpost Gooik", postcode="1755", municipality="Gooik")
    session.commit()
    _signed_in(client, session, Role.ADMIN)
    path = f"/staff/admin/sites/{site.id}"
    page = client.get(path).get_data(as_text=True)
    assert f'<option value="{gooik.id}">Gooik (1755)</option>' in page
    data = {
        "name": site.name,
        "street": site.street,
        "number": site.number,
        "postcode": site.postcode,
        "municipality": site.municipality,
        "village_id": str(gooik.id),
    }
    assert _post(client, path, **data).status_code == 302
    session.expire_all()
    assert session.get(Site, site.id).village_id == gooik.id
    wrong = _post(client, path, **{**data, "village_id": "999999"})
    assert 'id="village_id-error"' in wrong.get_data(as_text=True)


def test_saves_are_limited_per_admin(client, session, villages, monkeypatch):
    gooik, leerbeek = villages
    monkeypatch.setitem(ratelimit.LIMITS, "admin-staff", 1)
    _signed_in(client, session, Role.ADMIN)
    assert _post(client, TRAVEL, **{_cell(gooik, leerbeek): "9"}).status_code == 302
    assert _post(client, TRAVEL, **{_cell(gooik, leerbeek): "10"}).status_code == 429
    session.expire_all()
    assert travel_minutes(session)[(gooik.id, leerbeek.id)] == 9
