"""Builders of domain objects for tests: keyword defaults, override what the test is about."""

import secrets
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import count
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.assistance.models import ExecutionKind, OfficeApiToken
from app.staff.credentials import hash_password
from app.staff.models import StaffCredential
from scheduling import capacity as capacity_rule
from scheduling.addresses import street_key
from scheduling.booking import BookingRequest, Citizen, book, hash_token
from scheduling.enums import Audience, Channel, LocationKind, Role, ServedBy
from scheduling.models import (
    Absence,
    AssistanceCapacityRule,
    Availability,
    BailiffAccount,
    Booking,
    District,
    DistrictStreet,
    Invitation,
    RegisterAddress,
    Service,
    Site,
    Staff,
    StaffRole,
    Street,
)
from scheduling.trail import Actor

_seq = count(1)

TEST_PASSWORD = "correct horse battery"
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# SECRET_KEY for every app a test builds: as random as production needs (app.config refuses
# a weak one), new each run.
TEST_SECRET_KEY = secrets.token_hex(32)

# The moment the booking tests freeze: a Tuesday, 09:00 in Brussels, the day before the
# Wednesday hours of their officer (the ``officer`` fixture in tests/conftest.py, and
# make_api_officer) on whose district ADDRESS lies.
NOW = "2026-12-01T08:00:00Z"
ZONE = ZoneInfo("Europe/Brussels")
ADDRESS = {"postcode": "1547", "street": "Plaats", "number": "3"}


def make_site(session: Session, **kw: object) -> Site:
    n = next(_seq)
    site = Site(
        **{
            "code": f"site-{n}",
            "name": f"Wijkpost {n}",
            "street": "Plaats",
            "number": "10",
            "postcode": "1547",
            "municipality": "Bever",
            **kw,
        }
    )
    session.add(site)
    session.flush()
    return site


def make_staff(
    session: Session, *, roles: tuple[Role, ...] = (Role.DISTRICT_OFFICER,), **kw: object
) -> Staff:
    n = next(_seq)
    staff = Staff(**{"personnel_number": f"T-{n}", "name": f"Agent {n}", **kw})
    staff.roles = [StaffRole(role=r) for r in roles]
    session.add(staff)
    session.flush()
    return staff


def make_service(session: Session, *, team: tuple[Staff, ...] = (), **kw: object) -> Service:
    n = next(_seq)
    service = Service(
        **{
            "code": f"svc-{n}",
            "name_nl": "Afspraak",
            "name_fr": "Rendez-vous",
            "name_en": "Appointment",
            "duration_minutes": 30,
            "locations": ["office", "home"],
            "audience": Audience.CITIZEN,
            "served_by": ServedBy.DISTRICT_OFFICER,
            "min_notice_minutes": 60,
            "horizon_days": 60,
            "travel_minutes": 15,
            "cancel_cutoff_minutes": 120,
            **kw,
        }
    )
    service.team = list(team)
    session.add(service)
    session.flush()
    return service


def make_weekly(
    session: Session,
    staff: Staff,
    *,
    weekday: int,
    starts: time,
    ends: time,
    location: LocationKind = LocationKind.OFFICE,
    site: Site | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Availability:
    window = Availability(
        staff_id=staff.id,
        weekday=weekday,
        starts=starts,
        ends=ends,
        location=location,
        site_id=site.id if site else None,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    session.add(window)
    session.flush()
    return window


def make_one_off(
    session: Session,
    staff: Staff,
    *,
    on: date,
    starts: time,
    ends: time,
    location: LocationKind = LocationKind.OFFICE,
) -> Availability:
    window = Availability(
        staff_id=staff.id, on_date=on, starts=starts, ends=ends, location=location
    )
    session.add(window)
    session.flush()
    return window


def make_absence(
    session: Session, staff: Staff, *, starts_at: datetime, ends_at: datetime, **kw: object
) -> Absence:
    absence = Absence(staff_id=staff.id, starts_at=starts_at, ends_at=ends_at, **kw)
    session.add(absence)
    session.flush()
    return absence


def make_district(
    session: Session,
    officer: Staff,
    *,
    streets: tuple[tuple[str, str], ...] = (("1547", "Plaats"),),
    standin: Staff | None = None,
    **kw: object,
) -> District:
    n = next(_seq)
    district = District(
        **{"name": f"Wijk {n}", "municipality": "Bever", "sector": "Galmaarden/Herne/Bever", **kw},
        officer_id=officer.id,
        standin_id=standin.id if standin else None,
    )
    district.streets = [
        DistrictStreet(postcode=pc, street=st, street_key=street_key(st)) for pc, st in streets
    ]
    session.add(district)
    session.flush()
    return district


def make_bailiff(session: Session, *, token: str = "bailiff-token", **kw: object) -> BailiffAccount:
    """A bailiff office with one API token."""
    account = BailiffAccount(
        **{
            "name": "Deurwaarders NV",
            "phone": "+3225550000",
            "email": "kantoor@deurwaarders.example.be",
            **kw,
        }
    )
    session.add(account)
    session.flush()
    session.add(
        OfficeApiToken(
            office_id=account.id,
            name="Dossiersoftware",
            token_hash=hash_token(token),
            created_at=datetime.fromisoformat(NOW),
        )
    )
    session.flush()
    return account


def make_execution_kind(session: Session, code: str = "eviction", **kw: object) -> ExecutionKind:
    """A kind of execution bailiffs may ask assistance for (the zone's data)."""
    kind = ExecutionKind(
        **{
            "code": code,
            "name_nl": "Uithuiszetting",
            "name_fr": "Expulsion",
            "name_en": "Eviction",
            **kw,
        }
    )
    session.add(kind)
    session.flush()
    return kind


def make_capacity(
    session: Session,
    *,
    officers: int,
    weekdays: Iterable[int] = range(7),
    starts: time = time(0),
    ends: time = time(23, 59),
    first_day: date | None = None,
    days: int = 200,
) -> None:
    """The zone's capacity rule for bailiff assistance (by default: ``officers`` at any time),
    counted out from ``first_day`` (NOW's day before) for ``days``."""
    session.add_all(
        AssistanceCapacityRule(weekday=d, starts=starts, ends=ends, officers=officers)
        for d in weekdays
    )
    session.flush()
    first = first_day or datetime.fromisoformat(NOW).astimezone(ZONE).date() - timedelta(days=1)
    capacity_rule.sync(session, first_day=first, last_day=first + timedelta(days=days), zone=ZONE)


def make_invitation(
    session: Session,
    staff: Staff,
    service: Service,
    *,
    valid_from: datetime,
    valid_until: datetime,
    code: str = "INV-1234",
    **kw: object,
) -> Invitation:
    invitation = Invitation(
        **{
            "code": code,
            "staff_id": staff.id,
            "service_id": service.id,
            "dossier_code": "PV 2026/1234",
            "valid_from": valid_from,
            "valid_until": valid_until,
            "created_at": valid_from,
            **kw,
        }
    )
    session.add(invitation)
    session.flush()
    return invitation


def make_assistance_service(
    session: Session, *, team: tuple[Staff, ...], capacity: int | None = 10, **kw: object
) -> Service:
    """Police assistance for bailiffs: two officers at once (up to four), on site, bailiff
    accounts only. Give the zone a capacity rule too (``make_capacity``): without one, no
    moment is free for assistance; ``capacity`` officers at any time, unless None)."""
    rules: dict[str, object] = {
        "code": "deurwaarder",
        "staff_max": 4,
        "duration_max_minutes": 480,
        "locations": ["on_site"],
        "audience": Audience.BAILIFF,
        "served_by": ServedBy.TEAM,
        "staff_required": 2,
        "duration_minutes": 120,
        "travel_minutes": 0,
    }
    service = make_service(session, team=team, **{**rules, **kw})
    if capacity is not None:
        make_capacity(session, officers=capacity)
    return service


@cache
def _hashed(password: str) -> str:
    return hash_password(password)  # argon2 is slow on purpose: once per password per run


def make_register_street(
    session: Session,
    nl: str,
    fr: str,
    *,
    number: int,
    lat: float,
    lon: float,
    postcode: str = "1547",
    municipality: tuple[str, str] = ("Bever", "Biévène"),
) -> Street:
    """A street of the address register (Dutch and French name) with one numbered address,
    as `flask addresses-import` would load it."""
    best_id = f"BE-VLG:{street_key(nl).upper()}"
    street = Street(
        best_id=best_id,
        nis_code="23009",
        municipality_nl=municipality[0],
        municipality_fr=municipality[1],
        name_nl=nl,
        name_fr=fr,
        key_nl=street_key(nl),
        key_fr=street_key(fr),
    )
    session.add(street)
    session.flush()
    session.add(
        RegisterAddress(
            best_id=f"{best_id}-{number}",
            street_id=street.id,
            postcode=postcode,
            house_number=str(number),
            number=number,
            lat=lat,
            lon=lon,
        )
    )
    session.flush()
    return street


def make_credential(
    session: Session,
    staff: Staff,
    *,
    password: str = TEST_PASSWORD,
    totp_secret: str | None = None,
    **kw: object,
) -> StaffCredential:
    """A sign-in for ``staff`` (``demo=True``, ``locked_until=``... as keywords). Supervisors
    and admins cannot sign in without a ``totp_secret`` (TEST_TOTP_SECRET will do)."""
    credential = StaffCredential(
        **{
            "staff_id": staff.id,
            "password_hash": _hashed(password),
            "totp_secret": totp_secret,
            **kw,
        }
    )
    session.add(credential)
    session.flush()
    return credential


def make_invited_booking(
    session: Session,
    handler: Staff,
    *,
    start: datetime,
    now: datetime,
    dossier_code: str,
    citizen: str = "Jan Peeters",
    code: str = "INV-1234",
) -> Booking:
    """A case handler's dossier appointment as a citizen books it with their invitation
    (through the engine): the handler works Wednesdays 09-12 at the office."""
    make_weekly(session, handler, weekday=2, starts=time(9), ends=time(12))
    dossier = make_service(
        session, code="dossier", served_by=ServedBy.INVITED_STAFF, locations=["office"]
    )
    invitation = make_invitation(
        session,
        handler,
        dossier,
        valid_from=now,
        valid_until=now + timedelta(days=10),
        code=code,
        dossier_code=dossier_code,
    )
    request = BookingRequest(
        "dossier",
        start,
        handler.id,
        LocationKind.OFFICE,
        Citizen(citizen, "+32470123456"),
        invitation_code=invitation.code,
    )
    actor = Actor.citizen(Channel.WEB)
    zone = ZONE
    return book(session, request=request, actor=actor, now=now, zone=zone).booking


def make_api_officer(session: Session) -> Staff:
    """The API tests' officer: ADDRESS's district, office hours Wednesday 9–12 and home
    visits 13–17 (committed: releases the test's savepoint, the outer transaction still
    rolls back)."""
    officer = make_staff(session, name="Inspecteur Wouters")
    make_district(session, officer, name="Bever-centrum", streets=(("1547", "Plaats"),))
    make_service(session, code="wijkagent")
    make_weekly(session, officer, weekday=2, starts=time(9), ends=time(12))
    make_weekly(
        session, officer, weekday=2, starts=time(13), ends=time(17), location=LocationKind.HOME
    )
    session.commit()
    return officer
