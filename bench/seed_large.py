"""Seed a zone ten times the demo, fast: bulk inserts, not the booking engine.

    .venv/bin/python -m bench.seed_large DATABASE_URL [--appointments 200000]

The database must already be migrated (``app.migrate.upgrade``). Everything is derived
from a fixed random seed, so two databases seeded with different ``appointments`` have
the same staff, districts, windows and absences; only the appointments differ.

The rows are the ones the booking engine would have written: every appointment lies on a
moment its staff member's windows offer (never on a public holiday or during an absence),
live ones (confirmed, done, no-show) hold one ``Reservation`` per staff member and those
never overlap per staff member (PostgreSQL's exclusion constraint, SQLite's trigger check
that anyway); cancelled ones hold none. References are unique nine-digit codes with the
Luhn check digit, token hashes unique SHA-256 hex. Appointments run from 21 months ago to
the end of the services' 92-day horizon: two years in all, as dense in the coming months
as in the past. Audit entries and domain events are not written (the slot finder never
reads them).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time as clock
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.orm import Session

from app.db import make_engine
from scheduling.addresses import street_key
from scheduling.booking import _luhn_digit
from scheduling.calendar import is_public_holiday
from scheduling.enums import (
    Audience,
    BookingStatus,
    Channel,
    LocationKind,
    Role,
    ServedBy,
)
from scheduling.models import (
    Absence,
    Availability,
    Booking,
    District,
    DistrictStreet,
    Reservation,
    Service,
    ServiceTeam,
    Site,
    Staff,
    StaffRole,
)
from scheduling.zone_time import local_to_utc

BXL = ZoneInfo("Europe/Brussels")
SEED = 5405  # PZ Pajottenland's zone number

DISTRICT_OFFICERS = 150
WEAPONS_TEAM = 5
OTHER_STAFF = 25  # case handlers, call takers, supervisors: in the zone, not bookable here
STREETS_PER_DISTRICT = 8
PAST_DAYS = 638  # with the 92-day horizon: 730 days of appointments
HORIZON_DAYS = 92  # = MAX_SEARCH_DAYS, so a 90-day search is really computed over 90 days
DURATION = 30
TRAVEL = 15
WEAPONS_SHARE = 0.07  # of all appointments
CANCELLED_SHARE = 0.08
CHUNK = 10_000

POSTCODES = [
    ("1500", "Halle"),
    ("1540", "Herne"),
    ("1541", "Sint-Pieters-Kapelle"),
    ("1547", "Bever"),
    ("1570", "Galmaarden"),
    ("1600", "Sint-Pieters-Leeuw"),
    ("1601", "Ruisbroek"),
    ("1602", "Vlezenbeek"),
    ("1650", "Beersel"),
    ("1670", "Pepingen"),
    ("1671", "Elingen"),
    ("1673", "Beert"),
    ("1674", "Bellingen"),
    ("1750", "Lennik"),
    ("1755", "Gooik"),
    ("1760", "Roosdaal"),
    ("1761", "Borchtlombeek"),
    ("1770", "Liedekerke"),
    ("1790", "Affligem"),
]
STREET_BASES = [
    "Kerk",
    "Molen",
    "Dorp",
    "School",
    "Stations",
    "Kapel",
    "Beek",
    "Veld",
    "Bos",
    "Hof",
    "Linde",
    "Kouter",
    "Hoog",
    "Nieuw",
    "Oud",
    "Berg",
    "Dries",
    "Meers",
    "Brugge",
    "Ninove",
]
STREET_KINDS = ["straat", "laan", "weg", "steenweg", "plein", "dreef"]
FIRST = [
    "An",
    "Bram",
    "Els",
    "Jens",
    "Lotte",
    "Pieter",
    "Sofie",
    "Tom",
    "Nele",
    "Wout",
    "Inge",
    "Kris",
    "Hanne",
    "Bart",
    "Eva",
    "Stijn",
    "Lien",
    "Dries",
    "Ann",
    "Koen",
]
LAST = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Vermeulen",
    "Van den Broeck",
    "Pauwels",
]


@dataclass(frozen=True)
class Template:
    """A weekly window shape; officers share them, so their moments are computed once."""

    weekday: int
    starts: time
    ends: time
    location: LocationKind
    valid_from: date | None = None
    valid_until: date | None = None

    @property
    def step(self) -> timedelta:
        travel = TRAVEL if self.location is LocationKind.HOME else 0
        return timedelta(minutes=DURATION + 2 * travel)

    def applies_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass
class Seeded:
    """What the benchmark needs to know about the zone it seeded."""

    staff: int = 0
    districts: int = 0
    streets: int = 0
    windows: int = 0
    absences: int = 0
    bookings: int = 0
    live_bookings: int = 0
    cancelled: int = 0
    reservations: int = 0
    seconds: float = 0.0
    officer_ids: list[int] = field(default_factory=list)
    team_ids: list[int] = field(default_factory=list)
    # (officer id, postcode, street, house number): an address in each district
    addresses: list[tuple[int, str, str, str]] = field(default_factory=list)
    first_day: date | None = None
    last_day: date | None = None

    def summary(self) -> str:
        return (
            f"{self.staff} staff, {self.districts} districts, {self.streets} streets, "
            f"{self.windows} weekly windows, {self.absences} absences, "
            f"{self.bookings} appointments ({self.live_bookings} live, {self.cancelled} "
            f"cancelled), {self.reservations} reservations, {self.first_day}..{self.last_day}, "
            f"seeded in {self.seconds:.1f} s"
        )


def _officer_templates(index: int, today: date) -> list[Template]:
    office, home = LocationKind.OFFICE, LocationKind.HOME
    templates = [
        Template(0, time(9), time(12), office),
        Template(2, time(9), time(12), office),
        Template(4, time(9), time(12), office),
        Template(1, time(9), time(11), office),
        Template(3, time(9), time(11), office),
        Template(1, time(13), time(16), home),
        Template(3, time(13), time(16), home),
    ]
    if index % 2 == 0:  # an evening office hour, for a season only
        templates.append(
            Template(
                0,
                time(17),
                time(19),
                office,
                valid_from=today - timedelta(days=30),
                valid_until=today + timedelta(days=60),
            )
        )
    if index % 5 == 0:  # an old schedule that ended a year ago
        templates.append(
            Template(5, time(9), time(11), office, valid_until=today - timedelta(days=365))
        )
    return templates


def _weapons_templates() -> list[Template]:
    office = LocationKind.OFFICE
    return [
        Template(d, t0, t1, office)
        for d in range(5)
        for t0, t1 in ((time(8, 30), time(12)), (time(13), time(16, 30)))
    ]


def _moments(template: Template, days: Sequence[date]) -> list[datetime]:
    """Every start the template offers on ``days``, in UTC (as the slot finder computes)."""
    out: list[datetime] = []
    duration = timedelta(minutes=DURATION)
    for day in days:
        if not template.applies_on(day):
            continue
        start = local_to_utc(day, template.starts, BXL)
        last_end = local_to_utc(day, template.ends, BXL)
        while start + duration <= last_end:
            out.append(start)
            start += template.step
    return out


def _reference(body: int) -> str:
    text_ = str(body)
    return text_ + _luhn_digit(text_)


def _chunks(rows: Iterable[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def seed(
    engine: Engine,
    *,
    appointments: int,
    now: datetime | None = None,
    since: datetime | None = None,
    log: Any = print,
) -> Seeded:
    """Fill a migrated, empty database; returns what was made.

    With ``since``, only the appointments starting from then are written: the same
    upcoming load as the full zone, without its history.
    """
    t0 = clock.perf_counter()
    now = now or datetime.now(UTC)
    today = now.astimezone(BXL).date()
    rng = random.Random(SEED)
    out = Seeded(
        first_day=today - timedelta(days=PAST_DAYS),
        last_day=today + timedelta(days=HORIZON_DAYS - 1),
    )
    days = [out.first_day + timedelta(days=i) for i in range(PAST_DAYS + HORIZON_DAYS)]
    days = [d for d in days if not is_public_holiday(d)]

    with Session(engine) as session, session.begin():
        # --- sites, staff, roles ----------------------------------------------------------
        sites = [
            {
                "id": i + 1,
                "code": f"site-{i + 1}",
                "name": f"Wijkpost {mun}",
                "is_central": i == 0,
                "street": "Markt",
                "number": str(i + 1),
                "postcode": pc,
                "municipality": mun,
                "opening_hours": [[day, "09:00", "12:00"] for day in range(5)],
                "description": {},
            }
            for i, (pc, mun) in enumerate(POSTCODES[:10])
        ]
        session.execute(insert(Site), sites)

        n_staff = DISTRICT_OFFICERS + WEAPONS_TEAM + OTHER_STAFF
        staff_rows, role_rows = [], []
        for i in range(1, n_staff + 1):
            staff_rows.append(
                {
                    "id": i,
                    "personnel_number": f"P{100000 + i}",
                    "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} ({i})",
                    "email": f"agent{i}@pz5405.be",
                    "phone": f"+3254{300000 + i}",
                    "home_site_id": (i % len(sites)) + 1,
                    "active": True,
                }
            )
            if i <= DISTRICT_OFFICERS:
                role = Role.DISTRICT_OFFICER
            elif i <= DISTRICT_OFFICERS + WEAPONS_TEAM:
                role = Role.WEAPONS_SERVICE
            else:
                role = [Role.CASE_HANDLER, Role.CALL_TAKER, Role.SUPERVISOR][i % 3]
            role_rows.append({"staff_id": i, "role": role})
        session.execute(insert(Staff), staff_rows)
        session.execute(insert(StaffRole), role_rows)
        officers = list(range(1, DISTRICT_OFFICERS + 1))
        team = list(range(DISTRICT_OFFICERS + 1, DISTRICT_OFFICERS + WEAPONS_TEAM + 1))
        out.staff, out.officer_ids, out.team_ids = n_staff, officers, team

        # --- districts and their streets ----------------------------------------------------
        district_rows, street_rows = [], []
        street_names = [f"{b}{k}" for b in STREET_BASES for k in STREET_KINDS]
        used: set[tuple[str, str]] = set()
        for d, officer in enumerate(officers, start=1):
            pc, mun = POSTCODES[d % len(POSTCODES)]
            district_rows.append(
                {
                    "id": d,
                    "name": f"Wijk {mun} {d}",
                    "municipality": mun,
                    "sector": f"Sector {1 + d % 6}",
                    "officer_id": officer,
                    "standin_id": officers[d % len(officers)],
                    "site_id": (d % len(sites)) + 1,
                }
            )
            for s in range(STREETS_PER_DISTRICT):
                while True:
                    name = rng.choice(street_names).capitalize()
                    if (pc, name) not in used:
                        used.add((pc, name))
                        break
                ranged = s == 0  # one street per district split by house number
                street_rows.append(
                    {
                        "district_id": d,
                        "postcode": pc,
                        "street": name,
                        "street_key": street_key(name),
                        "number_from": 1 if ranged else None,
                        "number_to": 199 if ranged else None,
                    }
                )
                if s == 1:
                    out.addresses.append((officer, pc, name, str(rng.randint(1, 120))))
        session.execute(insert(District), district_rows)
        session.execute(insert(DistrictStreet), street_rows)
        out.districts, out.streets = len(district_rows), len(street_rows)

        # --- services -----------------------------------------------------------------------
        common = {
            "audience": Audience.CITIZEN,
            "min_notice_minutes": 120,
            "horizon_days": HORIZON_DAYS,
            "cancel_cutoff_minutes": 120,
            "duration_minutes": DURATION,
            "staff_required": 1,
        }
        session.execute(
            insert(Service),
            [
                {
                    **common,
                    "id": 1,
                    "code": "wijkagent",
                    "name_nl": "Gesprek met je wijkagent",
                    "name_fr": "Entretien avec votre agent de quartier",
                    "name_en": "Talk to your district officer",
                    "locations": ["office", "home"],
                    "served_by": ServedBy.DISTRICT_OFFICER,
                    "travel_minutes": TRAVEL,
                    "what_to_bring": {"nl": "Je identiteitskaart"},
                },
                {
                    **common,
                    "id": 2,
                    "code": "wapens",
                    "name_nl": "Wapendienst",
                    "name_fr": "Service des armes",
                    "name_en": "Weapons service",
                    "locations": ["office"],
                    "served_by": ServedBy.TEAM,
                    "travel_minutes": 0,
                    "what_to_bring": {"nl": "Je wapenvergunning"},
                },
            ],
        )
        session.execute(insert(ServiceTeam), [{"service_id": 2, "staff_id": s} for s in team])

        # --- windows, absences, and the moments they leave --------------------------------
        window_rows, absence_rows = [], []
        moments_cache: dict[Template, list[datetime]] = {}
        candidates: dict[int, list[tuple[datetime, Template]]] = {}
        bookable = [(i, s, _officer_templates(i, today)) for i, s in enumerate(officers)]
        bookable += [(0, s, _weapons_templates()) for s in team]
        for _, staff_id, templates in bookable:
            site = (staff_id % len(sites)) + 1 if staff_id in officers else 1
            for t in templates:
                window_rows.append(
                    {
                        "staff_id": staff_id,
                        "location": t.location,
                        "site_id": site if t.location is LocationKind.OFFICE else None,
                        "weekday": t.weekday,
                        "on_date": None,
                        "starts": t.starts,
                        "ends": t.ends,
                        "valid_from": t.valid_from,
                        "valid_until": t.valid_until,
                    }
                )
            # Leave: six periods of 2 to 12 days over the two years, one of them in the
            # coming 90 days for a third of the staff.
            away: set[date] = set()
            starts = [rng.randrange(0, len(days) - 14) for _ in range(6)]
            if staff_id % 3 == 0:
                starts[0] = PAST_DAYS + rng.randrange(0, HORIZON_DAYS - 14)
            for k, s0 in enumerate(starts):
                first = out.first_day + timedelta(days=s0)
                length = rng.randint(2, 12)
                absence_rows.append(
                    {
                        "staff_id": staff_id,
                        "starts_at": local_to_utc(first, time(0), BXL),
                        "ends_at": local_to_utc(first + timedelta(days=length), time(0), BXL),
                        "kind": "leave",
                        "external_id": f"GALOP-{staff_id}-{k}",
                    }
                )
                away.update(first + timedelta(days=j) for j in range(length))
            cands: list[tuple[datetime, Template]] = []
            for t in templates:
                if t not in moments_cache:
                    moments_cache[t] = _moments(t, days)
                cands.extend(
                    (m, t) for m in moments_cache[t] if m.astimezone(BXL).date() not in away
                )
            candidates[staff_id] = cands
        session.execute(insert(Availability), window_rows)
        session.execute(insert(Absence), absence_rows)
        out.windows, out.absences = len(window_rows), len(absence_rows)
        log(
            f"  zone: {n_staff} staff, {len(window_rows)} windows, "
            f"{sum(len(c) for c in candidates.values())} offered moments "
            f"({clock.perf_counter() - t0:.1f} s)"
        )

        # --- appointments -------------------------------------------------------------------
        per_officer = round(appointments * (1 - WEAPONS_SHARE) / len(officers))
        per_weapons = round(appointments * WEAPONS_SHARE / len(team)) if appointments else 0
        address_of = {
            o: [r for r in street_rows if r["district_id"] == d]
            for d, o in enumerate(officers, start=1)
        }
        total = per_officer * len(officers) + per_weapons * len(team)
        references = rng.sample(range(10_000_000, 100_000_000), total)
        channels = [Channel.WEB] * 6 + [Channel.PHONE] * 3 + [Channel.STAFF, Channel.API]

        def bookings() -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
            next_id = 1
            for staff_id, cands in candidates.items():
                is_officer = staff_id in address_of
                wanted = per_officer if is_officer else per_weapons
                if wanted > len(cands):
                    raise SystemExit(
                        f"staff {staff_id}: {wanted} appointments > {len(cands)} moments"
                    )
                for start, t in rng.sample(cands, wanted):
                    bid = next_id
                    next_id += 1
                    future = start > now
                    roll = rng.random()
                    if roll < CANCELLED_SHARE:
                        status = BookingStatus.CANCELLED
                    elif future:
                        status = BookingStatus.CONFIRMED
                    elif roll < 0.13:
                        status = BookingStatus.NO_SHOW
                    elif roll < 0.35:
                        status = BookingStatus.CONFIRMED  # not closed by staff (yet)
                    else:
                        status = BookingStatus.DONE
                    created = min(
                        start - timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 600)),
                        now - timedelta(minutes=5),
                    )
                    street = rng.choice(address_of[staff_id]) if is_officer else None
                    home = t.location is LocationKind.HOME
                    booking = {
                        "id": bid,
                        "reference": _reference(references[bid - 1]),
                        "token_hash": hashlib.sha256(f"bench-{SEED}-{bid}".encode()).hexdigest(),
                        "service_id": 1 if is_officer else 2,
                        "staff_id": staff_id,
                        "location": t.location,
                        "site_id": None
                        if home
                        else ((staff_id % len(sites)) + 1 if is_officer else 1),
                        "start_at": start,
                        "end_at": start + timedelta(minutes=DURATION),
                        "status": status,
                        "citizen_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        "citizen_phone": f"+32470{rng.randrange(1_000_000):06d}",
                        "citizen_email": None if rng.random() < 0.6 else f"burger{bid}@example.be",
                        "address_postcode": street["postcode"] if street else None,
                        "address_street": street["street"] if street else None,
                        "address_number": str(rng.randint(1, 120)) if street else None,
                        "language": "nl" if rng.random() < 0.9 else "fr",
                        "invitation_id": None,
                        "bailiff_account_id": None,
                        "channel": rng.choice(channels),
                        "sequence": 1 if status is BookingStatus.CANCELLED else 0,
                        "created_at": created,
                        "updated_at": created
                        if status is not BookingStatus.CANCELLED
                        else min(created + timedelta(days=1), now),
                        "cancel_reason": "Kan niet komen"
                        if status is BookingStatus.CANCELLED
                        else None,
                    }
                    reservations = []
                    if status is not BookingStatus.CANCELLED:
                        travel = timedelta(minutes=TRAVEL if home else 0)
                        reservations.append(
                            {
                                "booking_id": bid,
                                "staff_id": staff_id,
                                "blocked_from": start - travel,
                                "blocked_until": start + timedelta(minutes=DURATION) + travel,
                            }
                        )
                    yield booking, reservations

        # The row triggers (one schedule-version bump and one reservation check per row)
        # would queue 400,000 deferred events for the COMMIT, minutes of it; the rows are
        # made consistent here, so they are off for the bulk insert and the version is
        # bumped once.
        bulk = engine.dialect.name == "postgresql"
        if bulk:
            for table in ("bookings", "reservations"):
                session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        pending_res: list[dict[str, Any]] = []
        batch: list[dict[str, Any]] = []
        for booking, reservations in bookings():
            if since is not None and booking["start_at"] < since:
                continue
            batch.append(booking)
            pending_res.extend(reservations)
            out.cancelled += booking["status"] is BookingStatus.CANCELLED
            if len(batch) == CHUNK:
                session.execute(insert(Booking.__table__), batch)
                session.execute(insert(Reservation.__table__), pending_res)
                out.bookings += len(batch)
                out.reservations += len(pending_res)
                batch, pending_res = [], []
                if out.bookings % 50_000 == 0:
                    log(f"  {out.bookings} appointments ({clock.perf_counter() - t0:.1f} s)")
        if batch:
            session.execute(insert(Booking.__table__), batch)
            out.bookings += len(batch)
        if pending_res:
            session.execute(insert(Reservation.__table__), pending_res)
            out.reservations += len(pending_res)
        out.live_bookings = out.bookings - out.cancelled
        if bulk:
            for table in ("bookings", "reservations"):
                session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            session.execute(text("UPDATE schedule_version SET version = version + 1"))
        if since is not None and out.bookings:
            out.first_day = since.astimezone(BXL).date()

        # Ids were given explicitly: move PostgreSQL's sequences past them.
        if engine.dialect.name == "postgresql":
            for table in (
                "sites",
                "staff",
                "districts",
                "district_streets",
                "services",
                "availability",
                "absences",
                "bookings",
                "reservations",
            ):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                    )
                )
        assert session.scalar(select(func.count()).select_from(Booking)) == out.bookings

    # Fresh statistics, as autovacuum would have them on a database that grew over years.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    out.seconds = clock.perf_counter() - t0
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--appointments", type=int, default=200_000)
    args = parser.parse_args(argv)
    engine = make_engine(args.database_url)
    result = seed(engine, appointments=args.appointments)
    engine.dispose()
    print(result.summary())


if __name__ == "__main__":
    main(sys.argv[1:])
