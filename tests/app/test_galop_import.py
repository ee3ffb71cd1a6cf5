"""The GALOP link end to end: CSV and JSON files through `flask --app app galop-import`, and
the authenticated push endpoint; all or nothing, idempotent, appointments handled."""

import json
from dataclasses import replace
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select

from app.config import Config
from scheduling.addresses import Address
from scheduling.booking import BookingRequest, Citizen, book
from scheduling.enums import ActorKind, BookingStatus, Channel, EventKind, LocationKind, Role
from scheduling.models import Absence, AuditEntry, Booking, DomainEvent, Staff
from scheduling.trail import Actor
from tests.factories import (
    TEST_SECRET_KEY,
    make_district,
    make_service,
    make_site,
    make_staff,
    make_weekly,
)

BXL = ZoneInfo("Europe/Brussels")
NOW = "2026-12-01T08:00:00Z"  # Tuesday 1 December 2026, 09:00 in Brussels
KEY = "galop-test-key-0123456789abcdef"
PUSH = "/api/v1/galop/absences"


def _at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=BXL).astimezone(UTC)


@pytest.fixture
def frozen():
    with freeze_time(NOW, ignore=["_pytest"]):
        yield


@pytest.fixture
def zone(frozen, session):
    """A wijkagent (GALOP-1001) and stand-in (GALOP-1002), both doing home visits on Wednesday
    afternoon; a citizen's home visit with the wijkagent at 14:00."""
    officer = make_staff(session, personnel_number="GALOP-1001", name="Inspecteur Wouters")
    standin = make_staff(session, personnel_number="GALOP-1002", name="Inspecteur Peeters")
    make_site(session, code="wp-bever", name="Wijkpost Bever")
    make_district(session, officer, standin=standin, streets=(("1547", "Plaats"),))
    make_service(session, code="wijkagent")
    for staff in (officer, standin):
        make_weekly(
            session, staff, weekday=2, starts=time(13), ends=time(17), location=LocationKind.HOME
        )
    visit = book(
        session,
        request=BookingRequest(
            service_code="wijkagent",
            start=_at(14),
            staff_id=officer.id,
            location=LocationKind.HOME,
            citizen=Citizen("Jan Peeters", "+32470123456"),
            address=Address("1547", "Plaats", "3"),
        ),
        actor=Actor.citizen(Channel.WEB),
        now=datetime.fromisoformat(NOW),
        zone=BXL,
    ).booking
    session.commit()  # releases the test's savepoint; the outer transaction still rolls back
    return officer, standin, visit


@pytest.fixture
def run(app, tmp_path):
    """Write files and run the import command on them; returns the click result."""
    runner = app.test_cli_runner()

    def invoke(*files: tuple[str, str], args: tuple[str, ...] = ()):
        paths = []
        for name, text in files:
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        return runner.invoke(args=["galop-import", *args, *paths])

    return invoke


@pytest.fixture
def keyed(app):
    """The app with a GALOP API key configured."""
    original = app.config["BLAUWLIJN"]
    app.config["BLAUWLIJN"] = replace(original, galop_api_key=KEY)
    yield app
    app.config["BLAUWLIJN"] = original


def _visit(session, visit) -> Booking:
    session.expire_all()
    return session.get_one(Booking, visit.id)


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _events(session, booking, kind) -> list[DomainEvent]:
    return list(
        session.scalars(
            select(DomainEvent).where(
                DomainEvent.booking_id == booking.id, DomainEvent.kind == kind
            )
        )
    )


ROSTER_CSV = (
    "\ufeffpersonnel_number;name;roles;email;phone;home_site;active\n"  # Excel: BOM and ;
    "GALOP-1001;Inspecteur Wouters;district_officer;wouters@pz5405.be;0470 11 22 33;wp-bever;\n"
    "GALOP-1010;Inspecteur Maes;district_officer|supervisor;;;wp-bever;yes\n"
)
ABSENCES_CSV = (
    "absence_id,personnel_number,start,end,kind,withdrawn\n"
    "ABS-77,GALOP-1001,2026-12-02 13:00,2026-12-02,sick,\n"
)


# --- the command -----------------------------------------------------------------------


def test_csv_files_import_staff_and_absences_and_the_visit_passes_to_the_stand_in(
    run, session, zone
):
    officer, standin, visit = zone

    result = run(("roster.csv", ROSTER_CSV), ("absences.csv", ABSENCES_CSV))

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        "staff: 1 created, 1 updated, 0 unchanged",
        "absences: 1 new, 0 changed, 0 withdrawn, 0 unchanged",
        "appointments: 1 moved to a colleague, 0 cancelled",
    ]
    assert visit.reference in lines[3]
    assert "Inspecteur Wouters -> Inspecteur Peeters" in lines[3]

    maes = session.scalars(select(Staff).where(Staff.personnel_number == "GALOP-1010")).one()
    assert maes.role_set == {Role.DISTRICT_OFFICER}  # supervisor: only on the admin page
    assert lines[-2:] == [
        "not taken from GALOP (supervisor and admin are set on the admin page):",
        "  GALOP-1010: not made supervisor",
    ]
    assert (maes.email, maes.phone, maes.active, maes.home_site.code) == (
        None,
        None,
        True,
        "wp-bever",
    )
    session.refresh(officer)
    assert (officer.phone, officer.email) == ("+32470112233", "wouters@pz5405.be")

    absence = session.scalars(select(Absence).where(Absence.external_id == "ABS-77")).one()
    # Local 13:00 is 12:00 UTC in winter; an end date is inclusive: up to midnight after it.
    assert (absence.staff_id, absence.starts_at, absence.ends_at, absence.kind) == (
        officer.id,
        _at(13),
        _at(0, day=3),
        "sick",
    )
    moved = _visit(session, visit)
    assert (moved.staff_id, moved.status) == (standin.id, BookingStatus.CONFIRMED)
    [event] = _events(session, moved, EventKind.OFFICER_CHANGED)
    assert event.payload["staff_name"] == "Inspecteur Peeters"

    trail = session.scalars(
        select(AuditEntry).where(AuditEntry.channel == Channel.GALOP).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in trail] == [
        "staff_updated",
        "staff_created",
        "staff_change_refused",
        "absence_created",
        "reassigned",
    ]
    assert {e.actor_kind for e in trail} == {ActorKind.SYSTEM}
    assert trail[0].details["changed"] == ["email", "phone", "home_site"]


def _json_file(**absence: object) -> str:
    record = {
        "absence_id": "ABS-78",
        "personnel_number": "GALOP-1001",
        "start": "2026-12-02T08:00:00+01:00",
        "end": "2026-12-02T18:00:00+01:00",
        "kind": "training",
        **absence,
    }
    return json.dumps({"absences": [record]})


def test_the_same_json_file_imported_twice_has_one_effect(run, session, zone):
    _, standin, visit = zone

    first = run(("galop.json", _json_file()))
    again = run(("galop.json", _json_file()))

    assert first.exit_code == again.exit_code == 0, first.output + again.output
    assert "absences: 1 new" in first.output
    assert again.output.splitlines() == [
        "staff: 0 created, 0 updated, 0 unchanged",
        "absences: 0 new, 0 changed, 0 withdrawn, 1 unchanged",
        "appointments: 0 moved to a colleague, 0 cancelled",
    ]
    assert _visit(session, visit).staff_id == standin.id
    assert len(_events(session, visit, EventKind.OFFICER_CHANGED)) == 1
    assert _count(session, Absence) == 1


def test_a_shortened_then_withdrawn_absence_updates_its_row_and_moved_visits_stay(
    run, session, zone
):
    _, standin, visit = zone
    assert run(("a.json", _json_file())).exit_code == 0

    shorter = run(("b.json", _json_file(end="2026-12-02T15:00:00+01:00")))
    assert "absences: 0 new, 1 changed" in shorter.output
    absence = session.scalars(select(Absence).where(Absence.external_id == "ABS-78")).one()
    assert absence.ends_at == _at(15)

    withdrawn = run(
        ("c.json", json.dumps({"absences": [{"absence_id": "ABS-78", "withdrawn": True}]}))
    )
    assert "absences: 0 new, 0 changed, 1 withdrawn, 0 unchanged" in withdrawn.output
    session.expire_all()
    assert _count(session, Absence) == 0
    assert _visit(session, visit).staff_id == standin.id  # the stand-in keeps the visit
    assert len(_events(session, visit, EventKind.OFFICER_CHANGED)) == 1
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.booking_id.is_(None)).order_by(AuditEntry.id)
    ).all()
    assert actions == ["absence_created", "absence_changed", "absence_withdrawn"]


def test_when_nobody_can_take_the_visit_it_is_cancelled_and_the_citizen_told(run, session, zone):
    _, _, visit = zone
    both = {
        "absences": [
            {
                "absence_id": f"ABS-{n}",
                "personnel_number": number,
                "start": "2026-12-02",
                "end": "2026-12-02",
            }
            for n, number in ((1, "GALOP-1001"), (2, "GALOP-1002"))
        ]
    }
    result = run(("both.json", json.dumps(both)))
    assert result.exit_code == 0, result.output
    assert "appointments: 0 moved to a colleague, 1 cancelled" in result.output
    assert "Inspecteur Wouters: cancelled, the citizen is told" in result.output
    cancelled = _visit(session, visit)
    assert cancelled.status is BookingStatus.CANCELLED
    [event] = _events(session, cancelled, EventKind.CANCELLED_BY_STAFF)
    assert event.payload["reason"]
    assert event.payload["external_id"] == "ABS-1"


def test_a_staff_member_marked_inactive_keeps_no_appointment(run, session, zone):
    _, standin, visit = zone
    roster = "personnel_number,name,active\nGALOP-1001,Inspecteur Wouters,false\n"
    result = run(("roster.csv", roster))
    assert result.exit_code == 0, result.output
    assert "staff: 0 created, 1 updated, 0 unchanged" in result.output
    assert _visit(session, visit).staff_id == standin.id


def test_a_bad_row_rejects_the_whole_import_naming_every_row_and_field(run, session, zone):
    officer, _, visit = zone
    staff_before = _count(session, Staff)
    roster = ROSTER_CSV.replace("0470 11 22 33", "12")
    absences = (
        "absence_id,personnel_number,start,end\n"
        "ABS-1,GALOP-1001,2026-12-02T08:00,2026-12-02T18:00\n"
        "ABS-2,GALOP-9999,2026-12-02T08:00,2026-12-02T18:00\n"
        "ABS-3,GALOP-1001,2026-12-02T08:00,2026-12-01T18:00\n"
        "ABS-1,GALOP-1001,2026-12-03T08:00,2026-12-03T18:00\n"
    )

    result = run(("roster.csv", roster), ("absences.csv", absences))

    assert result.exit_code == 1
    assert "import rejected, nothing was changed (4 error(s))" in result.output
    assert "roster.csv, line 2: phone: not a valid phone number" in result.output
    assert "absences.csv, line 3: personnel_number: no staff member has this number" in (
        result.output
    )
    assert "absences.csv, line 4: end: the end must come after the start" in (result.output)
    assert "absences.csv, line 5: absence_id: repeats absences.csv, line 2" in result.output
    assert _count(session, Staff) == staff_before
    assert _count(session, Absence) == 0
    session.refresh(officer)
    assert officer.phone is None
    assert _visit(session, visit).staff_id == officer.id


def test_a_json_file_names_the_record_and_field(run, zone):
    result = run(("galop.json", _json_file(start="next tuesday", kind="x" * 41)))
    assert result.exit_code == 1
    assert "galop.json, absences.0: start: not a date or time" in result.output
    assert "galop.json, absences.0: kind: String should have at most 40 characters" in (
        result.output
    )


def test_a_dry_run_reports_and_saves_nothing(run, session, zone):
    officer, _, visit = zone
    result = run(("galop.json", _json_file()), args=("--dry-run",))
    assert result.exit_code == 0, result.output
    assert "appointments: 1 moved to a colleague" in result.output
    assert result.output.splitlines()[-1] == "dry run: nothing was saved"
    assert _count(session, Absence) == 0
    assert _visit(session, visit).staff_id == officer.id


# --- supervisor and admin: the admin page's alone ------------------------------------------


def _roles(session, number: str) -> set[Role]:
    session.expire_all()
    return session.scalars(select(Staff).where(Staff.personnel_number == number)).one().role_set


def _refusals(session) -> dict[str, list[str]]:
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "staff_change_refused")
    ).all()
    return {e.details["personnel_number"]: e.details["refused"] for e in entries}


def test_a_push_never_makes_anyone_supervisor_or_admin(keyed, client, session, zone):
    body = {
        "staff": [
            {
                "personnel_number": "GALOP-1001",
                "name": "Inspecteur Wouters",
                "roles": ["district_officer", "admin"],
            },
            {"personnel_number": "GALOP-1020", "name": "Nieuw", "roles": ["supervisor", "admin"]},
        ]
    }
    answer = _push(client, body)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert _roles(session, "GALOP-1001") == {Role.DISTRICT_OFFICER}
    assert _roles(session, "GALOP-1020") == set()  # created, as nobody in particular
    assert _refusals(session) == {
        "GALOP-1001": ["grant:admin"],
        "GALOP-1020": ["grant:admin", "grant:supervisor"],
    }


def test_an_import_never_takes_supervisor_or_admin_away(run, session, zone):
    make_staff(
        session,
        personnel_number="GALOP-5001",
        name="Ann Vandenbroucke",
        roles=(Role.SUPERVISOR, Role.DISTRICT_OFFICER),
    )
    make_staff(session, personnel_number="GALOP-5002", name="Beheerder", roles=(Role.ADMIN,))
    roster = (
        "personnel_number,name,roles\n"
        "GALOP-5001,Ann Vandenbroucke,district_officer|case_handler\n"
        "GALOP-5002,Beheerder,\n"
    )
    result = run(("roster.csv", roster))
    assert result.exit_code == 0, result.output
    # The other roles are GALOP's to set; supervisor and admin stay as the admin page left them.
    assert _roles(session, "GALOP-5001") == {
        Role.SUPERVISOR,
        Role.DISTRICT_OFFICER,
        Role.CASE_HANDLER,
    }
    assert _roles(session, "GALOP-5002") == {Role.ADMIN}
    assert "staff: 0 created, 1 updated, 1 unchanged" in result.output
    assert "  GALOP-5001: keeps supervisor" in result.output
    assert "  GALOP-5002: keeps admin" in result.output
    assert _refusals(session) == {
        "GALOP-5001": ["revoke:supervisor"],
        "GALOP-5002": ["revoke:admin"],
    }


def test_an_import_switches_no_supervisor_or_admin_back_on(run, session, zone):
    make_staff(session, personnel_number="GALOP-5003", roles=(Role.SUPERVISOR,), active=False)
    make_staff(session, personnel_number="GALOP-1030", active=False)  # an officer: GALOP's call
    roster = "personnel_number,name,active\nGALOP-5003,Oud,true\nGALOP-1030,Terug,true\n"
    result = run(("roster.csv", roster))
    assert result.exit_code == 0, result.output
    session.expire_all()
    active = dict(session.execute(select(Staff.personnel_number, Staff.active)).tuples().all())
    assert (active["GALOP-5003"], active["GALOP-1030"]) == (False, True)
    assert "  GALOP-5003: stays inactive" in result.output
    assert _refusals(session) == {"GALOP-5003": ["activate"]}


def test_an_import_switches_off_a_supervisor_who_left_but_not_the_last_admin(run, session, zone):
    make_staff(session, personnel_number="GALOP-5001", roles=(Role.SUPERVISOR,))
    make_staff(session, personnel_number="GALOP-5002", roles=(Role.ADMIN,))
    make_staff(session, personnel_number="GALOP-5004", roles=(Role.ADMIN,))
    roster = (
        "personnel_number,name,active\n"
        "GALOP-5001,Weg,false\nGALOP-5002,Weg,false\nGALOP-5004,Weg,false\n"
    )
    result = run(("roster.csv", roster))
    assert result.exit_code == 0, result.output
    session.expire_all()
    active = dict(session.execute(select(Staff.personnel_number, Staff.active)).tuples().all())
    assert (active["GALOP-5001"], active["GALOP-5002"], active["GALOP-5004"]) == (
        False,
        False,
        True,
    )
    assert "  GALOP-5004: stays active (the last admin)" in result.output
    assert _refusals(session) == {"GALOP-5004": ["deactivate"]}


# --- the push endpoint -----------------------------------------------------------------


def _push(client, body, key: str | None = KEY):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.post(PUSH, json=body, headers=headers)


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()


@pytest.mark.parametrize("key", [None, "wrong-key-0123456789abcdefgh", KEY[:-1]])
def test_push_without_the_right_key_is_a_401_and_changes_nothing(keyed, client, session, zone, key):
    response = _push(client, json.loads(_json_file()), key=key)
    _problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert _count(session, Absence) == 0


def test_push_is_closed_while_the_zone_has_no_key(app, client, session, zone):
    assert app.config["BLAUWLIJN"].galop_api_key is None
    _problem(_push(client, json.loads(_json_file()), key="None"), 401)
    _problem(_push(client, json.loads(_json_file()), key=""), 401)


def test_push_imports_once_and_answers_what_changed(keyed, client, session, zone):
    _, standin, visit = zone
    body = json.loads(_json_file())

    first = _push(client, body)
    again = _push(client, body)

    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json() == {
        "staff": {"created": 0, "updated": 0, "unchanged": 0},
        "absences": {"new": 1, "changed": 0, "withdrawn": 0, "unchanged": 0},
        "appointments": {"reassigned": 1, "cancelled": 0},
    }
    assert again.get_json()["absences"] == {"new": 0, "changed": 0, "withdrawn": 0, "unchanged": 1}
    assert again.get_json()["appointments"] == {"reassigned": 0, "cancelled": 0}
    assert _visit(session, visit).staff_id == standin.id
    assert len(_events(session, visit, EventKind.OFFICER_CHANGED)) == 1


def test_push_with_bad_rows_is_a_422_naming_each_field_and_changes_nothing(
    keyed, client, session, zone
):
    officer, _, visit = zone
    body = {
        "staff": [{"personnel_number": "GALOP-1003", "name": "Nieuw", "home_site": "nope"}],
        "absences": [
            {"absence_id": "A-1", "personnel_number": "GALOP-1001", "start": "2026-13-02"},
            {
                "absence_id": "A-2",
                "personnel_number": "GALOP-4040",
                "start": "2026-12-02",
                "end": "2026-12-02",
            },
            {
                "absence_id": "A-3",
                "personnel_number": "GALOP-1001",
                "start": "2026-12-02",
                "end": "2026-12-02",
            },
        ],
    }
    problem = _problem(_push(client, body), 422)
    fields = [e["field"] for e in problem["errors"]]
    assert fields == [
        "absences.0.start",
        "absences.0.end",
        "staff.0.home_site",
        "absences.1.personnel_number",
    ]
    assert _count(session, Absence) == 0
    assert _count(session, Staff) == 2
    assert _visit(session, visit).staff_id == officer.id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([], "body"),
        ({"absences": {}}, "absences"),
        ({"absences": [1]}, "absences.0"),
        ({"holidays": []}, "holidays"),
        ({"absences": [{"absence_id": "A\x00"}]}, "absences.0.absence_id"),
        (
            {
                "absences": [
                    {
                        "absence_id": "A",
                        "personnel_number": "GALOP-1001",
                        "start": "9999-12-31",
                        "end": "9999-12-31",
                    }
                ]
            },
            "absences.0.start",
        ),
        (
            {"staff": [{"personnel_number": "GALOP-1003", "name": "Nieuw \u202eeuN"}]},
            "staff.0.name",
        ),
        (
            {
                "staff": [
                    {
                        "personnel_number": "GALOP-1003",
                        "name": "Nieuw",
                        "email": "nieuw@pz5405.be,victim@example.be",
                    }
                ]
            },
            "staff.0.email",
        ),
        (
            {
                "staff": [
                    {
                        "personnel_number": "GALOP-1003",
                        "name": "Nieuw",
                        "email": "nieuw@pz5405.be;",
                    }
                ]
            },
            "staff.0.email",
        ),
    ],
    ids=[
        "array",
        "not-a-list",
        "not-an-object",
        "unknown-key",
        "nul",
        "year-9999",
        "bidi-name",
        "email-list",
        "email-header",
    ],
)
def test_push_with_a_bad_shape_is_a_422_naming_it(keyed, client, zone, body, field):
    problem = _problem(_push(client, body), 422)
    assert field in [e["field"] for e in problem["errors"]]


def test_push_wants_json(keyed, client, zone):
    response = client.post(PUSH, data="absence_id=1", headers={"Authorization": f"Bearer {KEY}"})
    _problem(response, 415)


def test_the_key_comes_from_the_environment_and_must_be_long(tmp_path):
    env = {"SECRET_KEY": TEST_SECRET_KEY, "GALOP_API_KEY": KEY}
    config = Config.from_env(tmp_path, env=env)
    assert config.galop_api_key == KEY
    assert KEY not in repr(config)
    assert Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY}).galop_api_key is None
    with pytest.raises(ValueError, match="GALOP_API_KEY"):
        Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, "GALOP_API_KEY": "short"})
