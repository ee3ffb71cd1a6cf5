"""The managers' pages over HTTP: who may open and change what, each form's errors next to
their fields with nothing written, the effects and audit entries of each change, and the
absences overview after an absence moved and cancelled appointments."""

import html as html_text
import re
from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from freezegun import freeze_time
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import commands
from scheduling.absences import apply_absence, save_absence
from scheduling.addresses import Address, district_for
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import ActorKind, BookingStatus, Channel, LocationKind, Role, ServedBy
from scheduling.models import (
    AuditEntry,
    Booking,
    District,
    DistrictStreet,
    Staff,
    Street,
)
from scheduling.moments import Closure, Decision, current_plan
from scheduling.trail import Actor
from tests.factories import (
    make_absence,
    make_district,
    make_register_street,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)
from tests.staff_login import csrf_of, sign_in_as

NOW = "2026-12-01T08:00:00Z"  # Tuesday 1 December 2026, 09:00 in Brussels
NOW_UTC = datetime(2026, 12, 1, 8, tzinfo=UTC)
BXL = ZoneInfo("Europe/Brussels")
WEDNESDAY = date(2026, 12, 2)
NOT_PLAIN = "Remove the special characters (control or text direction characters) from this field."
ADMIN = "/staff/admin"
LISTS = ("staff", "districts", "sites", "services", "absences", "galop")
OTHERS = (Role.DISTRICT_OFFICER, Role.CASE_HANDLER, Role.CALL_TAKER, Role.WEAPONS_SERVICE)


def _at(hour: int) -> datetime:
    return datetime.combine(WEDNESDAY, time(hour), tzinfo=BXL).astimezone(UTC)


class Zone:
    """A district with its wijkagent and stand-in (home visits on Wednesday afternoon), a
    site, a service of the wijkagent and a team service."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.site = make_site(session, name="Wijkpost Bever")
        self.officer = make_staff(session, name="Inspecteur Wouters")
        self.standin = make_staff(session, name="Inspecteur Peeters")
        self.spare = make_staff(session, name="Inspecteur Claes")
        self.district = make_district(
            session, self.officer, standin=self.standin, name="Bever-Centrum"
        )
        self.service = make_service(session, code="wijkagent")
        self.gunsmith = make_staff(session, roles=(Role.WEAPONS_SERVICE,), name="Marc Wapens")
        self.weapons = make_service(
            session, code="wapens", served_by=ServedBy.TEAM, team=(self.gunsmith,)
        )
        for staff in (self.officer, self.standin):
            make_weekly(
                session,
                staff,
                weekday=2,
                starts=time(13),
                ends=time(17),
                location=LocationKind.HOME,
            )

    def book(self, hour: int) -> Booking:
        request = BookingRequest(
            service_code="wijkagent",
            start=_at(hour),
            staff_id=self.officer.id,
            location=LocationKind.HOME,
            citizen=Citizen("Jan Peeters", "+32470123456"),
            address=Address("1547", "Plaats", "3"),
        )
        actor = Actor.citizen(Channel.WEB)
        return book(self.session, request=request, actor=actor, now=NOW_UTC, zone=BXL).booking


@pytest.fixture
def zone(session):
    return Zone(session)


def _signed_in(client: FlaskClient, session, *roles: Role) -> Staff:
    """Signed in, reading the pages in English (the texts these tests look for)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return sign_in_as(client, session, *roles)


def _page(client: FlaskClient, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return html_text.unescape(answer.get_data(as_text=True))


def _post(client: FlaskClient, path: str, form_path: str | None = None, **data: object):
    token = csrf_of(client, form_path or path)
    return client.post(path, data={"csrf_token": token, **data})


def _error_next_to(html: str, field: str) -> str:
    """The error text in the field's own block (with the field); the summary links to it."""
    blocks = [b for b in html.split('class="field') if f'id="{field}-error"' in b]
    assert len(blocks) == 1, f"no error next to {field!r}"
    assert blocks[0].startswith(" field-error")
    assert f'id="{field}"' in blocks[0]
    assert f'href="#{field}"' in html
    text = re.search(rf'id="{field}-error">(.*?)</p>', blocks[0], re.S).group(1)
    text = re.sub(r'<span class="visually-hidden">.*?</span>', "", text)  # "Error:"
    return html_text.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _audit(session, action: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def _by_staff(entry: AuditEntry, staff: Staff) -> None:
    assert (entry.actor_kind, entry.actor_id, entry.channel) == (
        ActorKind.STAFF,
        staff.id,
        Channel.STAFF,
    )


# --- Who may open what -------------------------------------------------------------------


def _edit_pages(zone: Zone) -> list[str]:
    return [
        f"{ADMIN}/staff/{zone.officer.id}",
        f"{ADMIN}/sites/{zone.site.id}",
        f"{ADMIN}/services/{zone.service.id}",
    ]


@freeze_time(NOW)
def test_an_admin_opens_every_page_and_the_home_page_links_them(client, session, zone):
    _signed_in(client, session, Role.ADMIN)
    home = _page(client, "/staff/")
    for path in ("staff", "absences", "sites", "galop"):
        assert f'href="{ADMIN}/{path}"' in home
    for path in [f"{ADMIN}/{name}" for name in LISTS] + _edit_pages(zone):
        _page(client, path)
    district = _page(client, f"{ADMIN}/districts/{zone.district.id}")
    assert 'id="site"' in district
    assert "Add a street" in district
    assert f'href="{ADMIN}/staff/{zone.officer.id}"' in _page(client, f"{ADMIN}/staff")


@freeze_time(NOW)
def test_a_supervisor_reads_and_sets_officers_but_edits_nothing_else(client, session, zone):
    _signed_in(client, session, Role.SUPERVISOR)
    for name in LISTS:
        _page(client, f"{ADMIN}/{name}")
    assert f'href="{ADMIN}/staff/{zone.officer.id}"' not in _page(client, f"{ADMIN}/staff")
    for path in _edit_pages(zone):
        assert client.get(path).status_code == 403, path
    district = _page(client, f"{ADMIN}/districts/{zone.district.id}")
    assert 'id="standin"' in district
    assert 'id="site"' not in district
    assert "Add a street" not in district
    street = zone.district.streets[0]
    token = csrf_of(client, "/staff/")
    base = f"{ADMIN}/districts/{zone.district.id}/streets"
    refused = [
        client.post(f"{base}/{street.id}/remove", data={"csrf_token": token}),
        client.post(base, data={"csrf_token": token, "postcode": "1547", "street": "Kerkstraat"}),
        client.post(f"{ADMIN}/sites/{zone.site.id}", data={"csrf_token": token, "name": "X"}),
        client.post(f"{ADMIN}/staff/{zone.officer.id}", data={"csrf_token": token}),
    ]
    assert [r.status_code for r in refused] == [403] * 4
    session.expire_all()
    assert len(zone.district.streets) == 1
    assert zone.officer.active
    assert zone.site.name == "Wijkpost Bever"


@pytest.mark.parametrize("role", OTHERS)
@freeze_time(NOW)
def test_other_staff_are_refused(client, session, zone, role):
    _signed_in(client, session, role)
    home = _page(client, "/staff/")
    assert f'href="{ADMIN}/' not in home
    paths = [f"{ADMIN}/{n}" for n in LISTS] + _edit_pages(zone)
    for path in [*paths, f"{ADMIN}/districts/{zone.district.id}"]:
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "No access" in answer.get_data(as_text=True)
    token = csrf_of(client, "/staff/")
    answer = client.post(
        f"{ADMIN}/districts/{zone.district.id}",
        data={"csrf_token": token, "officer": str(zone.standin.id)},
    )
    assert answer.status_code == 403
    assert session.get(District, zone.district.id).officer_id == zone.officer.id


@freeze_time(NOW)
def test_signed_out_goes_to_the_sign_in_page(client, zone):
    for path in [f"{ADMIN}/{n}" for n in LISTS] + _edit_pages(zone):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer.location.startswith("/staff/login")


@freeze_time(NOW)
def test_an_unknown_row_is_not_found(client, session, zone):
    _signed_in(client, session, Role.ADMIN)
    for name in ("staff", "districts", "sites", "services"):
        assert client.get(f"{ADMIN}/{name}/999999").status_code == 404


# --- Staff -------------------------------------------------------------------------------


def _staff_form(staff: Staff, **kw: object) -> dict[str, object]:
    return {
        "roles": [r.value for r in staff.role_set],
        "active": "yes" if staff.active else "",
        "home_site": str(staff.home_site_id or ""),
        "phone": staff.phone or "",
        **kw,
    }


@freeze_time(NOW)
def test_the_staff_list_shows_roles_site_and_activity(client, session, zone):
    _signed_in(client, session, Role.SUPERVISOR)
    make_staff(session, name="Oud Agent", active=False, home_site_id=zone.site.id)
    listed = _page(client, f"{ADMIN}/staff")
    row = re.search(r"Oud Agent.*?</tr>", listed, re.S).group(0)
    assert "Neighbourhood officer" in row
    assert "Wijkpost Bever" in row
    assert "<td>No</td>" in row


@freeze_time(NOW)
def test_an_admin_changes_roles_site_and_phone(client, session, zone):
    admin = _signed_in(client, session, Role.ADMIN)
    path = f"{ADMIN}/staff/{zone.spare.id}"
    form = _staff_form(
        zone.spare,
        roles=["district_officer", "supervisor"],
        home_site=str(zone.site.id),
        phone="02 396 29 71",
    )
    answer = _post(client, path, **form)
    assert answer.status_code == 302
    assert "Saved." in _page(client, answer.location)
    session.expire_all()
    assert zone.spare.role_set == {Role.DISTRICT_OFFICER, Role.SUPERVISOR}
    assert (zone.spare.home_site_id, zone.spare.phone) == (zone.site.id, "+3223962971")
    (entry,) = _audit(session, "staff_updated")
    _by_staff(entry, admin)
    assert entry.details == {
        "staff_id": zone.spare.id,
        "personnel_number": zone.spare.personnel_number,
        "changed": ["home_site_id", "phone", "roles"],  # names, never the values
    }


@freeze_time(NOW)
def test_saving_the_same_values_writes_nothing(client, session, zone):
    _signed_in(client, session, Role.ADMIN)
    path = f"{ADMIN}/staff/{zone.spare.id}"
    answer = _post(client, path, **_staff_form(zone.spare))
    assert "Nothing changed." in _page(client, answer.location)
    assert _audit(session, "staff_updated") == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12", "Enter a phone number like 02 396 29 71."),
        ("home_site", "999999", "Choose a site from the list."),
        ("roles", ["chief"], "Choose roles from the list."),
    ],
)
@freeze_time(NOW)
def test_a_wrong_staff_answer_is_told_next_to_its_field(
    client, session, zone, field, value, message
):
    _signed_in(client, session, Role.ADMIN)
    path = f"{ADMIN}/staff/{zone.spare.id}"
    answer = _post(client, path, **_staff_form(zone.spare, **{field: value}))
    assert answer.status_code == 200
    html = html_text.unescape(answer.get_data(as_text=True))
    assert _error_next_to(html, field) == message
    if field == "phone":
        assert 'value="12"' in html  # what was typed is kept
    session.expire_all()
    assert zone.spare.role_set == {Role.DISTRICT_OFFICER}
    assert zone.spare.phone is None
    assert _audit(session, "staff_updated") == []


@freeze_time(NOW)
def test_an_admin_cannot_lock_themselves_out(client, session, zone):
    admin = _signed_in(client, session, Role.ADMIN)
    path = f"{ADMIN}/staff/{admin.id}"
    answer = _post(client, path, **_staff_form(admin, roles=["supervisor"], active=""))
    html = html_text.unescape(answer.get_data(as_text=True))
    assert _error_next_to(html, "roles") == "You cannot take away your own administrator role."
    assert _error_next_to(html, "active") == "You cannot deactivate yourself."
    session.expire_all()
    assert admin.active
    assert admin.role_set == {Role.ADMIN}


@freeze_time(NOW)
def test_deactivating_passes_their_appointments_on(client, session, zone):
    admin = _signed_in(client, session, Role.ADMIN)
    booking = zone.book(14)
    path = f"{ADMIN}/staff/{zone.officer.id}"
    answer = _post(client, path, **_staff_form(zone.officer, active=""))
    assert answer.status_code == 302
    assert "1 passed to a colleague and 0 were cancelled" in _page(client, answer.location)
    session.expire_all()
    assert not zone.officer.active
    assert (booking.status, booking.staff_id) == (BookingStatus.CONFIRMED, zone.standin.id)
    (moved,) = _audit(session, "reassigned")
    _by_staff(moved, admin)
    assert moved.details["inactive"] is True
    assert _audit(session, "staff_updated")[0].details["changed"] == ["active"]


# --- Districts ---------------------------------------------------------------------------


def _district_form(zone: Zone, **kw: object) -> dict[str, object]:
    return {
        "officer": str(zone.officer.id),
        "standin": str(zone.standin.id),
        "site": "",
        **kw,
    }


@freeze_time(NOW)
def test_the_district_list_shows_officer_and_stand_in(client, session, zone):
    _signed_in(client, session, Role.SUPERVISOR)
    row = re.search(r"Bever-Centrum.*?</tr>", _page(client, f"{ADMIN}/districts"), re.S).group(0)
    assert "Inspecteur Wouters" in row
    assert "Inspecteur Peeters" in row


@freeze_time(NOW)
def test_a_supervisor_appoints_another_stand_in(client, session, zone):
    supervisor = _signed_in(client, session, Role.SUPERVISOR)
    path = f"{ADMIN}/districts/{zone.district.id}"
    # A supervisor's form has no site: a site sent anyway changes nothing.
    form = _district_form(zone, standin=str(zone.spare.id), site=str(zone.site.id))
    answer = _post(client, path, **form)
    assert answer.status_code == 302
    assert "Saved." in _page(client, answer.location)
    session.expire_all()
    assert (zone.district.standin_id, zone.district.site_id) == (zone.spare.id, None)
    (entry,) = _audit(session, "district_updated")
    _by_staff(entry, supervisor)
    assert entry.details == {
        "district_id": zone.district.id,
        "changed": {"standin_id": [zone.standin.id, zone.spare.id]},
    }


@freeze_time(NOW)
def test_an_admin_sets_the_site_and_removes_the_stand_in(client, session, zone):
    _signed_in(client, session, Role.ADMIN)
    form = _district_form(zone, standin="", site=str(zone.site.id))
    _post(client, f"{ADMIN}/districts/{zone.district.id}", **form)
    session.expire_all()
    assert (zone.district.standin_id, zone.district.site_id) == (None, zone.site.id)
    assert set(_audit(session, "district_updated")[0].details["changed"]) == {
        "standin_id",
        "site_id",
    }


@freeze_time(NOW)
def test_rules_are_entered_and_shown_in_hours_days_and_weeks(client, session, zone):
    """Staff say "2 days" and "6 weeks", not 2880 minutes: each rule is shown in the largest
    unit that says it exactly, and a number with its unit is stored in minutes (or days)."""
    _signed_in(client, session, Role.ADMIN)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    path = f"{ADMIN}/services/{zone.service.id}"
    form = _service_form(
        duration_minutes="90",
        cancel_cutoff_minutes="2",
        cancel_cutoff_minutes_unit="days",
        horizon_days="6",
        horizon_days_unit="weeks",
        reminder_lead_minutes="24",
        reminder_lead_minutes_unit="hours",
    )
    assert _post(client, path, **form).status_code == 302
    session.expire_all()
    service = zone.service
    assert (service.duration_minutes, service.cancel_cutoff_minutes) == (90, 2 * 24 * 60)
    assert (service.horizon_days, service.reminder_lead_minutes) == (42, 24 * 60)

    row = _row_of(_page(client, f"{ADMIN}/services"), service.code)
    for shown in ("90 minuten", "1 uur", "6 weken", "15 minuten", "2 dagen", "1 dag"):
        assert f"<td>{shown}</td>" in row, row
    edit = _page(client, path)
    assert _chosen(edit, "cancel_cutoff_minutes") == ("2", "days")
    assert _chosen(edit, "horizon_days") == ("6", "weeks")
    assert _chosen(edit, "duration_minutes") == ("90", "minutes")


def _row_of(html: str, code: str) -> str:
    start = html.index(f'<span class="hint">{code}</span>')
    return html[start : html.index("</tr>", start)]


def _chosen(html: str, field: str) -> tuple[str, str]:
    number = re.search(rf'id="{field}" name="{field}" type="text" value="(\d+)"', html)
    unit = re.search(rf'name="{field}_unit">.*?<option value="(\w+)" selected', html, re.S)
    assert number, field
    assert unit, field
    return number.group(1), unit.group(1)


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"standin": "officer"}, "standin", "The stand-in must be someone other than the officer."),
        ({"officer": ""}, "officer", "Choose a neighbourhood officer."),
        ({"officer": "gunsmith"}, "officer", "Choose a neighbourhood officer."),
        ({"site": "999999"}, "site", "Choose a site from the list."),
    ],
)
@freeze_time(NOW)
def test_a_wrong_district_answer_is_told_next_to_its_field(
    client, session, zone, kw, field, message
):
    _signed_in(client, session, Role.ADMIN)
    ids = {"officer": str(zone.officer.id), "gunsmith": str(zone.gunsmith.id)}
    form = _district_form(zone, **{k: ids.get(v, v) for k, v in kw.items()})
    answer = _post(client, f"{ADMIN}/districts/{zone.district.id}", **form)
    assert answer.status_code == 200
    assert _error_next_to(answer.get_data(as_text=True), field) == message
    session.expire_all()
    assert (zone.district.officer_id, zone.district.standin_id) == (
        zone.officer.id,
        zone.standin.id,
    )
    assert _audit(session, "district_updated") == []


def _add_street(client, zone: Zone, **kw: str):
    path = f"{ADMIN}/districts/{zone.district.id}"
    data = {"postcode": "1547", "street": "Kerkstraat", "number_from": "", "number_to": "", **kw}
    return _post(client, f"{path}/streets", form_path=path, **data)


@freeze_time(NOW)
def test_an_admin_adds_and_removes_a_street(client, session, zone):
    admin = _signed_in(client, session, Role.ADMIN)
    answer = _add_street(client, zone, street="Edingsestwg.", number_from="2", number_to="248")
    assert answer.status_code == 302
    page = _page(client, answer.location)
    assert "Edingsestwg." in page
    assert "2–248" in page
    session.expire_all()
    added = next(s for s in zone.district.streets if s.street == "Edingsestwg.")
    assert (added.street_key, added.number_from, added.number_to) == ("edingsesteenweg", 2, 248)
    (entry,) = _audit(session, "district_street_added")
    _by_staff(entry, admin)
    assert entry.details == {
        "district_id": zone.district.id,
        "postcode": "1547",
        "street": "Edingsestwg.",
        "number_from": 2,
        "number_to": 248,
    }

    path, added_id = f"{ADMIN}/districts/{zone.district.id}", added.id
    answer = _post(client, f"{path}/streets/{added_id}/remove", form_path=path)
    assert answer.status_code == 302
    session.expire_all()
    assert session.get(DistrictStreet, added_id) is None
    assert _audit(session, "district_street_removed")[0].details["street"] == "Edingsestwg."


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"postcode": "15A7"}, "postcode", "Enter a Belgian postcode of four digits, like 1547."),
        ({"postcode": "0547"}, "postcode", "Enter a Belgian postcode of four digits, like 1547."),
        ({"street": ""}, "street", "Enter the street name."),
        ({"street": "--"}, "street", "Enter the street name."),
        (
            {"number_from": "30", "number_to": "10"},
            "number_to",
            "The last house number cannot come before the first.",
        ),
        ({"number_from": "tien"}, "number_from", "Enter a whole number, like 1."),
        ({"number_to": "0"}, "number_to", "Enter a number from 1 to 99999."),
        ({"street": "Kerk\tstraat"}, "street", NOT_PLAIN),
        (
            {"street": "plaats"},
            "street",
            "This street (or these house numbers) is already in this district.",
        ),
        (
            {"street": "Molenstraat", "number_from": "40"},
            "street",
            "This street (or these house numbers) already belongs to the district Wijk Noord.",
        ),
    ],
)
@freeze_time(NOW)
def test_a_wrong_street_is_told_next_to_its_field(client, session, zone, kw, field, message):
    _signed_in(client, session, Role.ADMIN)
    other = make_district(session, zone.spare, name="Wijk Noord", streets=())
    other.streets = [
        DistrictStreet(
            postcode="1547",
            street="Molenstraat",
            street_key="molenstraat",
            number_from=1,
            number_to=99,
        )
    ]
    session.flush()
    answer = _add_street(client, zone, **kw)
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert _error_next_to(html, field) == message
    for name, value in kw.items():
        assert f'value="{value}"' in html, name  # what was typed is kept
    assert len(session.scalars(select(DistrictStreet)).all()) == 2
    assert _audit(session, "district_street_added") == []


@freeze_time(NOW)
def test_a_street_is_split_between_districts_by_house_number(client, session, zone):
    _signed_in(client, session, Role.ADMIN)
    other = make_district(session, zone.spare, name="Wijk Noord", streets=())
    other.streets = [
        DistrictStreet(
            postcode="1547",
            street="Molenstraat",
            street_key="molenstraat",
            number_from=1,
            number_to=99,
        )
    ]
    session.flush()
    assert _add_street(client, zone, street="Molenstraat", number_from="100").status_code == 302
    session.expire_all()
    assert [(s.street, s.number_from, s.number_to) for s in zone.district.streets] == [
        ("Molenstraat", 100, None),
        ("Plaats", None, None),
    ]


def _register_kerkstraat(session) -> Street:
    """Bever's Kerkstraat in the address register: Rue de l'Église in French."""
    street = make_register_street(
        session, "Kerkstraat", "Rue de l'Église", number=1, lat=50.71, lon=3.94
    )
    return street


@freeze_time(NOW)
def test_a_street_added_is_linked_to_the_register_at_once(client, session, zone):
    street = _register_kerkstraat(session)
    _signed_in(client, session, Role.ADMIN)
    assert _add_street(client, zone, street="kerkstraat ").status_code == 302
    session.expire_all()
    added = next(s for s in zone.district.streets if s.street_key == "kerkstraat")
    assert added.street_id == street.id
    # Found at once by its French name, not only after the next register import.
    assert district_for(session, Address("1547", "rue de l'eglise", "1")).id == zone.district.id
    # A street the register does not know stays unlinked, found by its own spelling.
    assert _add_street(client, zone, street="Nieuwstraat").status_code == 302
    session.expire_all()
    new = next(s for s in zone.district.streets if s.street == "Nieuwstraat")
    assert new.street_id is None


@pytest.mark.parametrize("spelling", ["kerkstraat ", "KERKSTRAAT", "Rue de l'Eglise"])
@freeze_time(NOW)
def test_the_same_register_street_in_another_spelling_clashes(client, session, zone, spelling):
    street = _register_kerkstraat(session)
    other = make_district(session, zone.spare, name="Wijk Noord", streets=())
    other.streets = [
        DistrictStreet(
            postcode="1547", street="Kerkstraat", street_key="kerkstraat", street_id=street.id
        )
    ]
    session.flush()
    _signed_in(client, session, Role.ADMIN)
    answer = _add_street(client, zone, street=spelling)
    assert answer.status_code == 200
    message = "This street (or these house numbers) already belongs to the district Wijk Noord."
    assert _error_next_to(answer.get_data(as_text=True), "street") == message
    assert _audit(session, "district_street_added") == []


# --- Sites -------------------------------------------------------------------------------


def _site_form(**kw: str) -> dict[str, str]:
    return {
        "name": "Wijkpost Bever",
        "street": "Plaats",
        "number": "10",
        "postcode": "1547",
        "municipality": "Bever",
        **{f"hours_{day}": "" for day in range(7)},
        "hours_0": "08:00-12:00, 13:00-17:00",
        "hours_2": "9:00 – 12:00",
        "description_nl": "Ingang langs de Plaats.",
        "description_fr": "",
        "description_en": "",
        **kw,
    }


@freeze_time(NOW)
def test_an_admin_sets_a_sites_hours_per_weekday_and_its_descriptions(client, session, zone):
    admin = _signed_in(client, session, Role.ADMIN)
    answer = _post(
        client,
        f"{ADMIN}/sites/{zone.site.id}",
        **_site_form(description_fr="Entrée par la place.\r\nParking derrière."),
    )
    assert answer.status_code == 302
    assert "Mon 08:00–12:00, 13:00–17:00; Wed 09:00–12:00" in _page(client, answer.location)
    session.expire_all()
    assert zone.site.hours == (
        (0, time(8), time(12)),
        (0, time(13), time(17)),
        (2, time(9), time(12)),
    )
    assert zone.site.description == {
        "nl": "Ingang langs de Plaats.",
        "fr": "Entrée par la place.\r\nParking derrière.",
    }
    (entry,) = _audit(session, "site_updated")
    _by_staff(entry, admin)
    assert entry.details["changed"] == ["hours", "description"]
    # The form shows what is stored, as it will be read again: saving it changes nothing.
    html = _page(client, f"{ADMIN}/sites/{zone.site.id}")
    assert 'value="08:00-12:00, 13:00-17:00"' in html
    assert 'value="09:00-12:00"' in html
    assert "Parking derrière." in html
    again = _post(
        client,
        f"{ADMIN}/sites/{zone.site.id}",
        **_site_form(
            hours_2="09:00-12:00", description_fr="Entrée par la place.\r\nParking derrière."
        ),
    )
    assert "Nothing changed." in _page(client, again.location)


@freeze_time(NOW)
def test_emptying_every_day_makes_an_office_by_appointment_only(client, session, zone):
    zone.site.hours = ((0, time(8), time(12)),)
    session.flush()
    _signed_in(client, session, Role.ADMIN)
    answer = _post(client, f"{ADMIN}/sites/{zone.site.id}", **_site_form(hours_0="", hours_2=""))
    assert answer.status_code == 302
    assert "By appointment only" in _page(client, answer.location)
    session.expire_all()
    assert zone.site.hours == ()


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the site's name."),
        ({"postcode": "154"}, "postcode", "Enter a Belgian postcode of four digits, like 1547."),
        ({"name": "Wijkpost\u202e Bever"}, "name", NOT_PLAIN),
        ({"municipality": "Bever\x00"}, "municipality", NOT_PLAIN),
        ({"number": "10\n12"}, "number", NOT_PLAIN),  # a line break: only in a textarea
        (
            {"hours_1": "mornings"},
            "hours_1",
            "Enter hours like 08:00-12:00, or 08:00-12:00, 13:00-17:00.",
        ),
        (
            {"hours_1": "08:00-25:00"},
            "hours_1",
            "Enter hours like 08:00-12:00, or 08:00-12:00, 13:00-17:00.",
        ),
        (
            {"hours_4": "12:00-08:00"},
            "hours_4",
            "12:00-08:00: the closing time must come after the opening time.",
        ),
        (
            {"hours_0": "08:00-12:00, 11:30-17:00"},
            "hours_0",
            "11:30-17:00 overlaps another range on this day.",
        ),
        ({"hours_6": "08:00-12:00\u2066"}, "hours_6", NOT_PLAIN),
        ({"hours_5": "08:00-09:00, " * 20}, "hours_5", "Keep this to 100 characters."),
        ({"description_en": "x" * 1001}, "description_en", "Keep this to 1000 characters."),
        ({"description_fr": "Entrée\u2066 place"}, "description_fr", NOT_PLAIN),
    ],
)
@freeze_time(NOW)
def test_a_wrong_site_answer_is_told_next_to_its_field(client, session, zone, kw, field, message):
    _signed_in(client, session, Role.ADMIN)
    answer = _post(client, f"{ADMIN}/sites/{zone.site.id}", **_site_form(street="Markt", **kw))
    assert answer.status_code == 200
    html = html_text.unescape(answer.get_data(as_text=True))
    assert _error_next_to(html, field) == message
    assert 'value="Markt"' in html
    session.expire_all()
    assert zone.site.street == "Plaats"
    assert zone.site.hours == ()
    assert _audit(session, "site_updated") == []


# --- Services ----------------------------------------------------------------------------


def _service_form(**kw: object) -> dict[str, object]:
    return {
        "duration_minutes": "30",
        "duration_minutes_unit": "minutes",
        "min_notice_minutes": "1",
        "min_notice_minutes_unit": "hours",
        "horizon_days": "60",
        "horizon_days_unit": "days",
        "travel_minutes": "15",
        "travel_minutes_unit": "minutes",
        "cancel_cutoff_minutes": "2",
        "cancel_cutoff_minutes_unit": "hours",
        "reminder_lead_minutes": "1",
        "reminder_lead_minutes_unit": "days",
        "bring_nl": "",
        "bring_fr": "",
        "bring_en": "",
        **kw,
    }


@freeze_time(NOW)
def test_an_admin_changes_a_services_rules(client, session, zone):
    admin = _signed_in(client, session, Role.ADMIN)
    form = _service_form(duration_minutes="45", bring_nl="Je identiteitskaart", bring_en="Your ID")
    answer = _post(client, f"{ADMIN}/services/{zone.service.id}", **form)
    assert answer.status_code == 302
    assert "45 minutes" in _page(client, answer.location)
    session.expire_all()
    assert zone.service.duration_minutes == 45
    assert zone.service.what_to_bring == {"nl": "Je identiteitskaart", "en": "Your ID"}
    (entry,) = _audit(session, "service_updated")
    _by_staff(entry, admin)
    assert entry.details["changed"] == {
        "duration_minutes": [30, 45],
        "what_to_bring": [{}, {"nl": "Je identiteitskaart", "en": "Your ID"}],
    }


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"duration_minutes": "0"}, "duration_minutes", "Enter from 5 minutes to 8 hours."),
        ({"duration_minutes": ""}, "duration_minutes", "Enter a number."),
        ({"travel_minutes": "-5"}, "travel_minutes", "Enter a whole number, like 1."),
        ({"horizon_days": "1000"}, "horizon_days", "Enter from 1 day to 365 days."),
        ({"horizon_days": "9" * 40}, "horizon_days", "Enter from 1 day to 365 days."),
        (
            {"horizon_days": "60", "horizon_days_unit": "weeks"},
            "horizon_days",
            "Enter from 1 day to 365 days.",
        ),
        (
            {"cancel_cutoff_minutes_unit": "weeks"},
            "cancel_cutoff_minutes",
            "Choose a unit from the list.",
        ),
        ({"reminder_lead_minutes": "0"}, "reminder_lead_minutes", "Enter from 1 hour to 7 days."),
        (
            {"cancel_cutoff_minutes": "1e3"},
            "cancel_cutoff_minutes",
            "Enter a whole number, like 1.",
        ),
        (
            {"min_notice_minutes": "2", "min_notice_minutes_unit": "days", "horizon_days": "2"},
            "min_notice_minutes",
            "The minimum notice must be shorter than the time citizens can book ahead.",
        ),
        ({"bring_fr": "x" * 501}, "bring_fr", "Keep this to 500 characters."),
    ],
)
@freeze_time(NOW)
def test_a_wrong_rule_is_told_next_to_its_field(client, session, zone, kw, field, message):
    _signed_in(client, session, Role.ADMIN)
    form = _service_form(**{"travel_minutes": "20", "bring_nl": "Je paspoort", **kw})
    answer = _post(client, f"{ADMIN}/services/{zone.service.id}", **form)
    assert answer.status_code == 200
    html = html_text.unescape(answer.get_data(as_text=True))
    assert _error_next_to(html, field) == message
    assert ">Je paspoort</textarea>" in html  # what was typed is kept
    session.expire_all()
    assert (zone.service.travel_minutes, zone.service.what_to_bring) == (15, {})
    assert _audit(session, "service_updated") == []


@freeze_time(NOW)
def test_an_admin_sets_the_team_of_a_team_service(client, session, zone):
    _signed_in(client, session, Role.ADMIN)
    colleague = make_staff(session, roles=(Role.WEAPONS_SERVICE,), name="Ingrid Wauters")
    path = f"{ADMIN}/services/{zone.weapons.id}"
    assert 'name="team"' in _page(client, path)
    assert 'name="team"' not in _page(client, f"{ADMIN}/services/{zone.service.id}")

    answer = _post(client, path, **_service_form(team=[]))
    message = "Staff members this service needs at once: 1. Choose at least as many."
    assert _error_next_to(answer.get_data(as_text=True), "team") == message

    answer = _post(client, path, **_service_form(team=[str(zone.gunsmith.id), str(colleague.id)]))
    assert answer.status_code == 302
    session.expire_all()
    assert [s.name for s in zone.weapons.team] == ["Ingrid Wauters", "Marc Wapens"]
    (entry,) = _audit(session, "service_updated")
    assert entry.details["changed"]["team"] == [
        [zone.gunsmith.id],
        [colleague.id, zone.gunsmith.id],
    ]


# --- Absences and GALOP imports ----------------------------------------------------------


def _absent_on_wednesday(session, zone: Zone) -> None:
    """The officer away all Wednesday afternoon (from GALOP); the stand-in away from 15:00:
    the 14:00 visit passes to the stand-in, the 15:00 one is cancelled."""
    zone.book(14), zone.book(15)
    make_absence(session, zone.standin, starts_at=_at(15), ends_at=_at(17), kind="training")
    galop = Actor.system(Channel.GALOP)
    absence, _ = save_absence(
        session,
        external_id="ABS-2026-0412",
        staff_id=zone.officer.id,
        starts_at=_at(13),
        ends_at=_at(17),
        kind="leave",
        actor=galop,
        now=NOW_UTC,
    )
    apply_absence(session, absence=absence, actor=galop, now=NOW_UTC, zone=BXL)


@freeze_time(NOW)
def test_the_absences_overview_shows_what_became_of_the_appointments(client, session, zone):
    _absent_on_wednesday(session, zone)
    _signed_in(client, session, Role.SUPERVISOR)
    page = _page(client, f"{ADMIN}/absences")
    row = re.search(r"Inspecteur Wouters</th>.*?</tr>", page, re.S).group(0)
    assert "Leave" in row
    assert "GALOP ABS-2026-0412" in row
    visit = r"Neighbourhood officer – home visit \(\d{9}\)"  # the kind as staff say it
    assert re.search(rf"14:00, {visit}:\s*<span[^>]*>moved to Inspecteur Peeters", row)
    assert re.search(rf"15:00, {visit}:\s*<span[^>]*>cancelled", row)
    standin = re.search(r"Inspecteur Peeters</th>.*?</tr>", page, re.S).group(0)
    assert "Training" in standin
    assert "Entered in Blauwlijn" in standin

    only_standin = _page(client, f"{ADMIN}/absences?staff={zone.standin.id}")
    assert "Inspecteur Wouters</th>" not in only_standin
    assert "Inspecteur Peeters</th>" in only_standin
    later = _page(client, f"{ADMIN}/absences?from=2026-12-03&until=2026-12-31")
    assert "No absences in this period." in later


@freeze_time(NOW)
def test_an_officers_own_closure_shows_its_appointments_like_a_galop_absence(client, session, zone):
    """The officer closes Wednesday afternoon on their moments page: the 14:00 visit passes to
    the stand-in, the 15:00 one is cancelled, the 16:00 one (the stand-in is away then) moves
    to the officer's next free moment; the absences overview lists all three under the
    closure, as it does for an absence from GALOP."""
    visits = [zone.book(hour) for hour in (14, 15, 16)]
    make_absence(session, zone.standin, starts_at=_at(16), ends_at=_at(17), kind="training")
    me = Actor.staff(zone.officer.id)
    stored = current_plan(
        session, staff_id=zone.officer.id, from_day=NOW_UTC.date(), now=NOW_UTC, zone=BXL
    )
    plan = replace(stored, closures=(Closure(WEDNESDAY, time(13), time(17)),))
    decisions = dict(
        zip([b.id for b in visits], (Decision.MOVE, Decision.CANCEL, Decision.MOVE), strict=True)
    )
    commands.moments_changed(session, plan, decisions=decisions, actor=me, now=NOW_UTC, zone=BXL)
    session.flush()

    _signed_in(client, session, Role.SUPERVISOR)
    page = _page(client, f"{ADMIN}/absences?staff={zone.officer.id}")
    row = re.search(r"Inspecteur Wouters</th>.*?</tr>", page, re.S).group(0)
    assert "Closed by the staff member" in row
    visit = r"Neighbourhood officer – home visit \(\d{9}\)"
    assert re.search(rf"14:00, {visit}:\s*<span[^>]*>moved to Inspecteur Peeters", row)
    assert re.search(rf"15:00, {visit}:\s*<span[^>]*>cancelled", row)
    assert re.search(rf"16:00, {visit}:\s*<span[^>]*>moved to Wednesday 9 December 13:00", row)
    assert row.count("<li>") == 3


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=morgen", "from", "Enter a date like 31/12/2026."),
        ("from=9999-12-31&until=9999-12-31", "from", "Enter a date like 31/12/2026."),
        (
            "from=2026-12-10&until=2026-12-01",
            "until",
            "The last day cannot come before the first day.",
        ),
        ("from=2026-01-01&until=2027-12-31", "until", "Keep the period to at most 366 days."),
        ("staff=999999", "staff", "Choose a staff member from the list."),
    ],
)
@freeze_time(NOW)
def test_a_wrong_filter_is_told_next_to_its_field(client, session, zone, query, field, message):
    _signed_in(client, session, Role.ADMIN)
    page = _page(client, f"{ADMIN}/absences?{query}")
    assert _error_next_to(page, field) == message


@freeze_time(NOW)
def test_the_galop_page_lists_each_import_with_what_it_changed(client, session, zone):
    _absent_on_wednesday(session, zone)
    _signed_in(client, session, Role.ADMIN)
    page = _page(client, f"{ADMIN}/galop")
    (row,) = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", page, re.S)
    assert "Tuesday 1 December 2026 09:00" in row
    assert "1 new, 0 changed, 0 withdrawn" in row
    assert "1 moved to a colleague, 1 cancelled" in row


@freeze_time(NOW)
def test_the_pages_default_to_dutch(client, session, zone):
    sign_in_as(client, session, Role.ADMIN)
    assert '<html lang="nl">' in _page(client, f"{ADMIN}/services")
