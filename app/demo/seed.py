"""Load the demo zone, PZ Pajottenland (5405): once, with its appointments booked by the engine.

The facts come from ``app.demo.zone``. Absences and invitations are placed relative to
``now``; the existing appointments are booked with ``scheduling.booking.book`` at free
moments that ``scheduling.slots.find_slots`` offers, so every row is one the engine itself
would write (reservations, audit entries, domain events). It is the one module of the
platform that calls the engine's writers itself rather than ``app.commands``: it writes
history (appointments booked, closed and cancelled in the past), which no channel may, and
queues no messages. Choices come from
``random.Random(5405)``: the same ``now`` gives the same zone. Everything is flushed, never
committed: the caller owns the transaction.
"""

import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.addresses.importer import import_register
from app.assistance.models import AssistanceDetails, ExecutionKind, OfficeApiToken, OfficeUser
from app.demo import register
from app.demo import villages as demo_villages
from app.demo import zone as demo
from app.demo.answer_templates import ANSWER_TEMPLATES
from app.demo.report_categories import category_rows
from app.reports.models import AnswerTemplate, ReportCategory
from app.staff.credentials import SECOND_FACTOR_ROLES, hash_password
from app.staff.models import StaffCredential
from scheduling import capacity
from scheduling.addresses import Address, district_for, street_key
from scheduling.booking import BookingRequest, Citizen, book, cancel, close, hash_token
from scheduling.enums import ActorKind, BookingStatus, Channel, LocationKind
from scheduling.errors import SchedulingError
from scheduling.invitations import CODE_ALPHABET, CODE_LENGTH, CODE_PREFIX
from scheduling.models import (
    Absence,
    AssistanceCapacityRule,
    Availability,
    BailiffAccount,
    Base,
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
    Village,
    VillageTravel,
)
from scheduling.slots import Slot, find_slots
from scheduling.trail import Actor
from scheduling.zone_time import local_to_utc

SEED = 5405
# Every demo staff member signs in to /staff with this password; supervisors and admins also
# give the code an authenticator app makes from DEMO_TOTP_SECRET. Both work only in demo
# mode (BLAUWLIJN_DEMO=1, as `make run` sets it): the credentials are marked demo.
DEMO_PASSWORD = "pajottenland-5405"  # noqa: S105  (documented demo login)
DEMO_TOTP_SECRET = "BLAUWLIJNPAJOTTENLANDDEMOZONEXYZ"  # noqa: S105  (base32, 160 bits)
BOOKING_DAYS = 21  # the existing appointments lie in the coming three weeks...
PAST_DAYS = 14  # ...and a few in the past fortnight, already closed
MOBILE_PREFIXES = (
    "470",
    "472",
    "473",
    "475",
    "477",
    "478",
    "479",
    "484",
    "486",
    "487",
    "488",
    "491",
    "494",
    "495",
    "496",
    "497",
    "498",
    "499",
)


@dataclass(frozen=True)
class Login:
    what: str
    personnel_number: str
    name: str
    second_factor: bool = False  # asks a TOTP code after the password


@dataclass(frozen=True)
class SeedResult:
    """What ``seed-demo`` did, and what to try next."""

    loaded: bool
    counts: dict[str, int]
    logins: tuple[Login, ...]
    example_address: Address
    example_officer: str | None
    invitation: str | None  # an open invitation code, with its dossier

    def summary(self) -> str:
        if self.loaded:
            head = [f"Demo zone {demo.ZONE_NAME} loaded:", *self._count_lines()]
        else:
            head = [f"Demo zone {demo.ZONE_NAME} already present: nothing loaded."]
        return "\n".join([*head, "", *self._login_lines(), "", *self._try_lines()])

    def _count_lines(self) -> list[str]:
        c = self.counts
        return [
            f"  {c['sites']} sites, {c['staff']} staff, {c['districts']} districts with "
            f"{c['streets']} streets ({c['addresses']} addresses in the register), "
            f"{c['services']} services, {c['windows']} weekly windows,",
            f"  {c['absences']} absences, {c['invitations']} invitations, "
            f"{c['bailiff_accounts']} bailiff office, {c['bookings']} appointments "
            f"({c['confirmed']} confirmed, {c['done']} done, {c['no_show']} no-show, "
            f"{c['cancelled']} cancelled)",
        ]

    def _login_lines(self) -> list[str]:
        token = demo.DEMO_BAILIFF_TOKEN
        return [
            "Demo logins (demo data only; refused unless BLAUWLIJN_DEMO=1, as `make run` sets):",
            f"  bailiffs' portal /deurwaarder ({demo.BAILIFF_OFFICE}): e-mail + password "
            f"{DEMO_PASSWORD!r} + authenticator code (below):",
            *(
                f"    {'office admin' if admin else 'office user':<13} {email}  {name}"
                for email, name, _language, admin in demo.OFFICE_USERS
            ),
            f"  bailiff API token of {demo.BAILIFF_OFFICE}: {token}",
            f"    (header 'Authorization: Bearer {token}' on /api/v1/assistance/..., README)",
            f"  staff pages /staff/: personnel number + password {DEMO_PASSWORD!r} "
            "(every demo staff member):",
            *(
                f"    {x.what:<13} {x.personnel_number}  {x.name}"
                + ("  + authenticator code (below)" if x.second_factor else "")
                for x in self.logins
            ),
            f"    authenticator (TOTP) secret of everyone asked a code: {DEMO_TOTP_SECRET}",
            "    or the current code: flask --app app staff-totp-code PERSONNEL_NUMBER",
        ]

    def _try_lines(self) -> list[str]:
        a = self.example_address
        officer = f" (wijkagent {self.example_officer})" if self.example_officer else ""
        return [
            "Try:",
            f"  address          postcode {a.postcode}, street {a.street}, number {a.number}"
            + officer,
            f"  invitation code  {self.invitation or 'none open (all used or expired)'}",
            f"  blue number      {demo.BLUE_NUMBER}",
        ]


def seed_demo(session: Session, *, now: datetime, zone: ZoneInfo) -> SeedResult:
    """Load the demo zone (flushed, not committed); load nothing when it is already there."""
    if session.scalar(select(Site.id).where(Site.code == demo.CENTRAL_SITE)) is not None:
        _insert_missing_staff(session)  # a zone loaded before the reporting point's roles
        _insert_demo_credentials(session)  # ... or before staff sign-in existed
        _give_service_mobiles(session)  # ... or before the console's Transfer
        _load_register(session)  # ... or before the address register
        _give_office_texts(session)  # ... or before offices had hours and three languages
        _insert_report_categories(session)  # ... or before the reporting point
        _insert_answer_templates(session)
        _insert_assistance(session, now=now, zone=zone)  # ... or before the bailiffs' portal
        _insert_villages(session)  # ... or before rounds of home visits
        return _result(session, now=now, zone=zone, counts=None)
    rng = random.Random(SEED)
    loaded = _insert_zone(session)
    _insert_villages(session)
    _load_register(session)
    _insert_demo_credentials(session)
    _insert_report_categories(session)
    _insert_answer_templates(session)
    _insert_assistance(session, now=now, zone=zone)
    _insert_absences(session, loaded, now=now, zone=zone)
    _insert_invitations(session, loaded, now=now, zone=zone, rng=rng)
    _book_appointments(_Booker(session, loaded, now=now, zone=zone, rng=rng))
    return _result(session, now=now, zone=zone, counts=_counts(session))


# --- The zone's facts -------------------------------------------------------------------


@dataclass
class _Loaded:
    """The inserted rows, by the keys ``zone.py`` uses."""

    sites: dict[str, Site]
    staff: dict[str, Staff]
    districts: list[District]
    services: dict[str, Service]
    bailiff: BailiffAccount
    invitations: list[Invitation] = field(default_factory=list)


def _insert_zone(session: Session) -> _Loaded:
    sites = {s.code: _site(s) for s in demo.SITES}
    staff = {s.number: _staff(s, sites) for s in demo.STAFF}
    session.add_all([*sites.values(), *staff.values()])
    session.flush()
    districts = [_district(d, sites, staff) for d in demo.DISTRICTS]
    services = {s.code: _service(s, staff) for s in demo.SERVICES}
    windows = [_window(w, sites, staff) for w in demo.WINDOWS]
    bailiff = BailiffAccount(
        name=demo.BAILIFF_OFFICE,
        enterprise_number=demo.BAILIFF_ENTERPRISE_NUMBER,
        address=demo.BAILIFF_ADDRESS,
        email=demo.BAILIFF_EMAIL,
        phone=demo.BAILIFF_PHONE,
        language="nl",
        demo=True,
    )
    session.add_all([*districts, *services.values(), *windows, bailiff])
    session.flush()
    return _Loaded(sites, staff, districts, services, bailiff)


def _insert_assistance(session: Session, *, now: datetime, zone: ZoneInfo) -> None:
    """The bailiffs' side: kinds of execution, the capacity rule (counted out to the
    horizon), the demo office's API token and its two portal users; once."""
    if session.scalar(select(ExecutionKind.id).limit(1)) is not None:
        return
    office = session.scalar(select(BailiffAccount).where(BailiffAccount.demo))
    session.add_all(
        ExecutionKind(code=code, name_nl=nl, name_fr=fr, name_en=en)
        for code, nl, fr, en in demo.EXECUTION_KINDS
    )
    session.add_all(
        AssistanceCapacityRule(weekday=day, starts=starts, ends=ends, officers=officers)
        for day, starts, ends, officers in demo.CAPACITY_RULE
    )
    session.flush()
    today = now.astimezone(zone).date()
    capacity.sync(session, first_day=today, last_day=today + timedelta(days=120), zone=zone)
    if office is None:
        return
    if not office.email:  # a zone loaded before the portal
        office.enterprise_number = demo.BAILIFF_ENTERPRISE_NUMBER
        office.address = demo.BAILIFF_ADDRESS
        office.email = demo.BAILIFF_EMAIL
    if (
        session.scalar(select(OfficeApiToken.id).where(OfficeApiToken.office_id == office.id))
        is None
    ):
        session.add(
            OfficeApiToken(
                office_id=office.id,
                name="Demo",
                token_hash=hash_token(demo.DEMO_BAILIFF_TOKEN),
                created_at=now,
            )
        )
    password_hash = hash_password(DEMO_PASSWORD)
    session.add_all(
        OfficeUser(
            office_id=office.id,
            email=email,
            name=name,
            language=language,
            office_admin=admin,
            demo=True,
            password_hash=password_hash,
            totp_secret=DEMO_TOTP_SECRET,
            created_at=now,
        )
        for email, name, language, admin in demo.OFFICE_USERS
    )
    session.flush()


def _insert_villages(session: Session) -> None:
    """The sections as villages, the drives between them, and where each building stands."""
    if session.scalar(select(Village.id).limit(1)) is not None:
        return
    rows = {
        s.name: Village(name=s.name, postcode=s.postcode, lat=s.lat, lon=s.lon)
        for s in demo_villages.villages()
    }
    session.add_all(rows.values())
    session.flush()
    sections = demo_villages.villages()
    session.add_all(
        VillageTravel(
            from_village_id=rows[a.name].id,
            to_village_id=rows[b.name].id,
            minutes=demo_villages.minutes(a, b),
        )
        for a in sections
        for b in sections
    )
    for site in session.scalars(select(Site)):
        name = demo_villages.SITE_VILLAGES.get(site.code)
        site.village_id = rows[name].id if name else None
    session.flush()


def _site(spec: demo.SiteSpec) -> Site:
    return Site(
        code=spec.code,
        name=spec.name,
        is_central=spec.is_central,
        street=spec.street,
        number=spec.number,
        postcode=spec.postcode,
        municipality=spec.municipality,
        hours=spec.hours,
        description=dict(spec.description),
    )


def _give_office_texts(session: Session) -> None:
    """Demo offices without their texts in every language (a zone loaded before they were
    structured: migration 0014 kept the old free text as the Dutch description) get the
    demo's hours and descriptions; an office the zone gave French already is left alone."""
    specs = {spec.code: spec for spec in demo.SITES}
    for site in session.scalars(select(Site).where(Site.code.in_(specs))):
        if "fr" not in site.description:
            site.hours = specs[site.code].hours
            site.description = dict(specs[site.code].description)


def _service_mobile(personnel_number: str) -> str:
    """A made-up service mobile (the console's Transfer dials it): +32 470 00 and the
    personnel number's digits."""
    digits = "".join(c for c in personnel_number if c.isdigit())[-4:].zfill(4)
    return f"+3247000{digits}"


def _insert_missing_staff(session: Session) -> None:
    """Demo staff a zone loaded by an earlier version lacks (the intake desk, the restricted
    team, the zone chief): added as a fresh load would have them."""
    have = set(session.scalars(select(Staff.personnel_number)))
    missing = [spec for spec in demo.STAFF if spec.number not in have]
    if missing:
        sites = {site.code: site for site in session.scalars(select(Site))}
        session.add_all(_staff(spec, sites) for spec in missing)
        session.flush()


def _give_service_mobiles(session: Session) -> None:
    """A zone loaded before staff had phone numbers gets them (nothing else changes)."""
    numbers = [spec.number for spec in demo.STAFF]
    for member in session.scalars(
        select(Staff).where(Staff.personnel_number.in_(numbers), Staff.phone.is_(None))
    ):
        member.phone = _service_mobile(member.personnel_number)


def _staff(spec: demo.StaffSpec, sites: dict[str, Site]) -> Staff:
    member = Staff(
        personnel_number=spec.number,
        name=spec.name,
        home_site=sites[spec.site],
        phone=_service_mobile(spec.number),
    )
    member.roles = [StaffRole(role=role) for role in spec.roles]
    return member


def _district(spec: demo.DistrictSpec, sites: dict[str, Site], staff: dict[str, Staff]) -> District:
    district = District(
        name=spec.name,
        municipality=spec.municipality,
        sector=spec.sector,
        officer=staff[spec.officer],
        standin=staff[spec.standin],
        site=sites[spec.site],
    )
    district.streets = [
        DistrictStreet(
            postcode=s.postcode,
            street=s.street,
            street_key=street_key(s.street),
            number_from=s.number_from,
            number_to=s.number_to,
        )
        for s in spec.streets
    ]
    return district


def _load_register(session: Session) -> None:
    """The demo's address register (``app.demo.register``) through the importer a zone uses,
    with the common streets it adds to the districts; once (the register is then there)."""
    if session.scalar(select(Street.id).limit(1)) is not None:
        return
    districts = {d.name: d for d in session.scalars(select(District))}
    held = set(session.execute(select(DistrictStreet.postcode, DistrictStreet.street_key)).tuples())
    for street in register.common_streets():
        district = districts.get(street.section.district)
        key = street_key(street.name_nl)
        if district is not None and (street.postcode, key) not in held:
            district.streets.append(
                DistrictStreet(postcode=street.postcode, street=street.name_nl, street_key=key)
            )
    session.flush()
    source = io.StringIO(register.best_csv())
    import_register(session, source, municipalities=register.NIS_CODES)


def _service(spec: demo.ServiceSpec, staff: dict[str, Staff]) -> Service:
    name_nl, name_fr, name_en = spec.names
    service = Service(
        code=spec.code,
        name_nl=name_nl,
        name_fr=name_fr,
        name_en=name_en,
        duration_minutes=spec.duration_minutes,
        locations=[location.value for location in spec.locations],
        audience=spec.audience,
        served_by=spec.served_by,
        staff_required=spec.staff_required,
        min_notice_minutes=spec.min_notice_minutes,
        horizon_days=spec.horizon_days,
        travel_minutes=spec.travel_minutes,
        cancel_cutoff_minutes=spec.cancel_cutoff_minutes,
        reminder_lead_minutes=spec.reminder_lead_minutes,
        staff_max=max(spec.staff_max, spec.staff_required),
        duration_max_minutes=spec.duration_max_minutes,
        what_to_bring=dict(spec.what_to_bring),
    )
    service.team = [staff[number] for number in spec.team]
    return service


def _window(spec: demo.WindowSpec, sites: dict[str, Site], staff: dict[str, Staff]) -> Availability:
    return Availability(
        staff_id=staff[spec.staff].id,
        location=spec.location,
        site_id=sites[spec.site].id if spec.site else None,
        weekday=spec.weekday,
        starts=spec.starts,
        ends=spec.ends,
    )


def _insert_report_categories(session: Session) -> None:
    """The reporting point's categories (app.demo.report_categories) not there yet."""
    present = set(session.scalars(select(ReportCategory.code)))
    session.add_all(ReportCategory(**row) for row in category_rows() if row["code"] not in present)
    session.flush()


def _insert_answer_templates(session: Session) -> None:
    """The demo answer templates (app.demo.answer_templates) not there yet (by code)."""
    present = set(session.scalars(select(AnswerTemplate.code)))
    session.add_all(
        AnswerTemplate(**spec, active=True)
        for spec in ANSWER_TEMPLATES
        if spec["code"] not in present
    )
    session.flush()


def _insert_demo_credentials(session: Session) -> None:
    """A demo sign-in for every demo staff member who has none (refused outside demo mode)."""
    numbers = [spec.number for spec in demo.STAFF]
    without = session.scalars(
        select(Staff).where(
            Staff.personnel_number.in_(numbers),
            Staff.id.not_in(select(StaffCredential.staff_id)),
        )
    ).all()
    if not without:
        return
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose
    session.add_all(
        StaffCredential(
            staff_id=member.id,
            password_hash=password_hash,
            totp_secret=DEMO_TOTP_SECRET if member.role_set & SECOND_FACTOR_ROLES else None,
            demo=True,
        )
        for member in without
    )
    session.flush()


# --- What happens around now ------------------------------------------------------------


def _insert_absences(session: Session, loaded: _Loaded, *, now: datetime, zone: ZoneInfo) -> None:
    """A week of leave for a wijkagent in ten days; a training day for a case handler."""
    today = now.astimezone(zone).date()
    leave = today + timedelta(days=demo.LEAVE_IN_DAYS)
    training = _next_working_day(demo.IN_TRAINING, today + timedelta(days=5))
    session.add_all(
        [
            Absence(
                staff_id=loaded.staff[demo.ON_LEAVE].id,
                kind="leave",
                starts_at=local_to_utc(leave, time(0), zone),
                ends_at=local_to_utc(leave + timedelta(days=7), time(0), zone),
            ),
            Absence(
                staff_id=loaded.staff[demo.IN_TRAINING].id,
                kind="training",
                starts_at=local_to_utc(training, time(8), zone),
                ends_at=local_to_utc(training, time(17), zone),
            ),
        ]
    )
    session.flush()


def _next_working_day(staff: str, first: date) -> date:
    """The first day from ``first`` on which ``staff`` has a window."""
    weekdays = {w.weekday for w in demo.WINDOWS if w.staff == staff}
    day = first
    while day.weekday() not in weekdays:
        day += timedelta(days=1)
    return day


def _insert_invitations(
    session: Session, loaded: _Loaded, *, now: datetime, zone: ZoneInfo, rng: random.Random
) -> None:
    """Case handlers' invitations for the dossier service, valid for the coming 30 days."""
    year = now.astimezone(zone).year
    # In the real format (scheduling.invitations.new_code); each drawn from its own seed so
    # the demo's other random choices stay as they were.
    seeds = rng.sample(range(100_000, 1_000_000), len(demo.INVITATIONS))
    codes = [
        CODE_PREFIX + "".join(random.Random(seed).choices(CODE_ALPHABET, k=CODE_LENGTH))
        for seed in seeds
    ]
    for spec, code in zip(demo.INVITATIONS, codes, strict=True):
        loaded.invitations.append(
            Invitation(
                code=code,
                staff_id=loaded.staff[spec.handler].id,
                service_id=loaded.services["dossier"].id,
                dossier_code=f"PV {year}/{rng.randrange(1000, 10_000)}",
                phone=_mobile(rng),
                valid_from=now,
                valid_until=now + timedelta(days=30),
                created_at=now,
            )
        )
    session.add_all(loaded.invitations)
    session.flush()


def _mobile(rng: random.Random) -> str:
    """A Belgian mobile number in E.164 (+324xx xx xx xx)."""
    return f"+32{rng.choice(MOBILE_PREFIXES)}{rng.randrange(1_000_000):06d}"


# --- Existing appointments, through the engine ------------------------------------------


def _book_appointments(booker: "_Booker") -> None:
    """About twenty appointments: every wijkagent, the weapons service, a dossier and bailiff
    assistance; three in the past fortnight (closed); one cancelled by the citizen by SMS."""
    districts = booker.loaded.districts
    for district in districts:
        booker.wijkagent(district, LocationKind.OFFICE)
    for district in districts[1::2]:
        booker.wijkagent(district, LocationKind.HOME)
    for _ in range(3):
        booker.team("wapens")
    booker.dossier(booker.loaded.invitations[1], demo.INVITATIONS[1])
    for _ in range(2):
        booker.bailiff()
    upcoming = list(booker.booked)
    outcomes = (BookingStatus.DONE, BookingStatus.DONE, BookingStatus.NO_SHOW)
    for district, outcome in zip(districts, outcomes, strict=False):
        booker.closed(district, outcome)
    booker.cancel_one(upcoming)


class _Booker:
    """Books demo appointments with the engine, at free moments the slot finder offers."""

    def __init__(
        self,
        session: Session,
        loaded: _Loaded,
        *,
        now: datetime,
        zone: ZoneInfo,
        rng: random.Random,
    ) -> None:
        self.session, self.loaded, self.rng = session, loaded, rng
        self.now, self.zone = now, zone
        self.citizens = iter(demo.CITIZENS)
        self.call_takers = [loaded.staff[s.number].id for s in demo.CALL_TAKERS]
        self.booked: list[Booking] = []

    def wijkagent(
        self, district: District, location: LocationKind, *, past: bool = False
    ) -> Booking | None:
        """With the district's wijkagent, for an address in the district."""
        now = self.now - timedelta(days=PAST_DAYS) if past else self.now
        service = self.loaded.services["wijkagent"]
        slot = self._free(service, [district.officer_id], location, now=now, past=past)
        if slot is None:
            return None
        citizen, language = self._citizen()
        request = BookingRequest(
            "wijkagent",
            slot.start,
            district.officer_id,
            location,
            citizen,
            address=self._address(district),
            language=language,
        )
        return self._book(request, actor=self._actor(), now=now)

    def team(self, code: str) -> Booking | None:
        """With whoever of the service's team is free (weapons service)."""
        service = self.loaded.services[code]
        team = [member.id for member in service.team]
        slot = self._free(service, team, LocationKind.OFFICE, now=self.now)
        if slot is None:
            return None
        citizen, language = self._citizen()
        request = BookingRequest(
            code, slot.start, slot.staff_ids[0], LocationKind.OFFICE, citizen, language=language
        )
        return self._book(request, actor=self._actor(), now=self.now)

    def dossier(self, invitation: Invitation, spec: demo.InvitationSpec) -> Booking | None:
        """The invited citizen books with the case handler who sent the invitation."""
        service = self.loaded.services["dossier"]
        slot = self._free(service, [invitation.staff_id], LocationKind.OFFICE, now=self.now)
        if slot is None or invitation.phone is None:
            return None
        request = BookingRequest(
            "dossier",
            slot.start,
            invitation.staff_id,
            LocationKind.OFFICE,
            Citizen(spec.citizen, invitation.phone),
            invitation_code=invitation.code,
            language=spec.language,
        )
        return self._book(request, actor=Actor.citizen(Channel.WEB), now=self.now)

    def bailiff(self) -> Booking | None:
        """The bailiff office books assistance through the API, at an address in the zone."""
        service, account = self.loaded.services["deurwaarder"], self.loaded.bailiff
        team = [member.id for member in service.team]
        slot = self._free(service, team, LocationKind.ON_SITE, now=self.now)
        if slot is None:
            return None
        address = self._address(self.rng.choice(self.loaded.districts))
        request = BookingRequest(
            "deurwaarder",
            slot.start,
            slot.staff_ids[0],
            LocationKind.ON_SITE,
            Citizen(demo.BAILIFF_OFFICE, demo.BAILIFF_PHONE),
            address=address,
        )
        actor = Actor(ActorKind.BAILIFF, Channel.API, account.id)
        booking = self._book(request, actor=actor, now=self.now, bailiff_account_id=account.id)
        kind = self.session.scalar(select(ExecutionKind).where(ExecutionKind.code == "seizure"))
        assert kind is not None  # inserted with the zone
        self.session.add(
            AssistanceDetails(
                booking_id=booking.id,
                file_reference="VDDS/2026/0412",
                execution_kind_id=kind.id,
                dogs=True,
                notes="Twee honden in de tuin; eigenaar verwittigd.",
            )
        )
        return booking

    def closed(self, district: District, outcome: BookingStatus) -> None:
        """An appointment booked two weeks ago for the past days, closed by its wijkagent."""
        booking = self.wijkagent(district, LocationKind.OFFICE, past=True)
        if booking is not None:
            close(
                self.session,
                booking=booking,
                outcome=outcome,
                actor=Actor.staff(booking.staff_id),
                now=self.now,
            )

    def cancel_one(self, bookings: list[Booking]) -> None:
        """A citizen answers ANNULEER to the confirmation SMS of one upcoming appointment."""
        later = [
            b
            for b in bookings
            if b.service.code == "wijkagent" and b.start_at > self.now + timedelta(days=2)
        ]
        if later:
            cancel(
                self.session,
                booking=self.rng.choice(later),
                actor=Actor.citizen(Channel.SMS),
                now=self.now,
                reason="ANNULEER (sms)",
            )

    def _free(
        self,
        service: Service,
        staff_ids: list[int],
        location: LocationKind,
        *,
        now: datetime,
        past: bool = False,
    ) -> Slot | None:
        """A free moment, picked at random, in the coming three weeks (or the past two)."""
        first = now.astimezone(self.zone).date() + timedelta(days=1)
        today = self.now.astimezone(self.zone).date()
        last = today - timedelta(days=1) if past else today + timedelta(days=BOOKING_DAYS)
        slots = find_slots(
            self.session,
            service=service,
            staff_ids=staff_ids,
            first_day=first,
            last_day=last,
            now=now,
            zone=self.zone,
            location=location,
        )
        return self.rng.choice(slots) if slots else None

    def _book(
        self,
        request: BookingRequest,
        *,
        actor: Actor,
        now: datetime,
        bailiff_account_id: int | None = None,
    ) -> Booking:
        booked = book(
            self.session,
            request=request,
            actor=actor,
            now=now,
            zone=self.zone,
            bailiff_account_id=bailiff_account_id,
        )
        self.booked.append(booked.booking)
        return booked.booking

    def _citizen(self) -> tuple[Citizen, str]:
        name, language = next(self.citizens)
        return Citizen(name, _mobile(self.rng)), language

    def _actor(self) -> Actor:
        """Most citizens book on the web; some call the blue number and a call-taker books."""
        if self.rng.random() < 0.25:
            return Actor.staff(self.rng.choice(self.call_takers), Channel.PHONE)
        return Actor.citizen(Channel.WEB)

    def _address(self, district: District) -> Address:
        street = self.rng.choice(district.streets)
        low = street.number_from or 1
        high = street.number_to or low + 120
        return Address(street.postcode, street.street, str(self.rng.randint(low, high)))


# --- What to tell ------------------------------------------------------------------------


def _result(
    session: Session, *, now: datetime, zone: ZoneInfo, counts: dict[str, int] | None
) -> SeedResult:
    address = Address(*demo.EXAMPLE_ADDRESS)
    return SeedResult(
        loaded=counts is not None,
        counts=counts or {},
        logins=_logins(session),
        example_address=address,
        example_officer=_officer_of(session, address),
        invitation=_open_invitation(session, now=now, zone=zone),
    )


def _counts(session: Session) -> dict[str, int]:
    def count(model: type[Base], *where: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    counts = {
        "sites": count(Site),
        "staff": count(Staff),
        "districts": count(District),
        "streets": count(DistrictStreet),
        "addresses": count(RegisterAddress),
        "services": count(Service),
        "windows": count(Availability),
        "absences": count(Absence),
        "invitations": count(Invitation),
        "bailiff_accounts": count(BailiffAccount),
        "bookings": count(Booking),
        "report_categories": count(ReportCategory),
    }
    for status in BookingStatus:
        counts[status.value] = count(Booking, Booking.status == status)
    return counts


def _logins(session: Session) -> tuple[Login, ...]:
    numbers = [number for _, number in demo.DEMO_LOGINS]
    names = dict(
        session.execute(
            select(Staff.personnel_number, Staff.name).where(Staff.personnel_number.in_(numbers))
        )
        .tuples()
        .all()
    )
    roles = {spec.number: frozenset(spec.roles) for spec in demo.STAFF}
    return tuple(
        Login(what, n, names[n], second_factor=bool(roles[n] & SECOND_FACTOR_ROLES))
        for what, n in demo.DEMO_LOGINS
        if n in names
    )


def _officer_of(session: Session, address: Address) -> str | None:
    try:
        return district_for(session, address).officer.name
    except SchedulingError:
        return None


def _open_invitation(session: Session, *, now: datetime, zone: ZoneInfo) -> str | None:
    """The first invitation still valid and without a standing appointment."""
    taken = select(Booking.invitation_id).where(
        Booking.status == BookingStatus.CONFIRMED, Booking.invitation_id.is_not(None)
    )
    invitation = session.scalar(
        select(Invitation)
        .where(
            Invitation.valid_from <= now, Invitation.valid_until >= now, Invitation.id.not_in(taken)
        )
        .order_by(Invitation.id)
    )
    if invitation is None:
        return None
    until = invitation.valid_until.astimezone(zone).date().isoformat()
    return (
        f"{invitation.code} (dossier {invitation.dossier_code} with "
        f"{invitation.staff.name}, valid until {until})"
    )
