"""The engine's tables, as typed SQLAlchemy 2.0 models (plain SQLAlchemy, no Flask)."""

from datetime import date, datetime, time
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from scheduling.enums import (
    ActorKind,
    Audience,
    BookingStatus,
    Channel,
    EventKind,
    LocationKind,
    Role,
    ServedBy,
)
from scheduling.hours import Window
from scheduling.types import UTCDateTime

# Stable constraint names, so Alembic can compare and drop them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(primary_key=True)]
utc = Annotated[datetime, mapped_column(UTCDateTime())]
name_str = Annotated[str, mapped_column(String(200))]
short_str = Annotated[str, mapped_column(String(40))]


def enum_column(enum_cls: type[Any]) -> Enum:
    # Stored as plain strings with a CHECK: portable, readable in SQL, and Alembic-friendly.
    return Enum(
        enum_cls,
        name=enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda cls: [m.value for m in cls],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def stored_hours(stored: list[list[Any]]) -> tuple[Window, ...]:
    """``Site.opening_hours`` as read from a plain row: windows in weekday and time order."""
    return tuple(
        sorted(
            (int(day), time.fromisoformat(opens), time.fromisoformat(closes))
            for day, opens, closes in stored
        )
    )


class Village(Base):
    """A village (deelgemeente) of the zone: the unit of travel between home visits
    (``scheduling.rounds``). An address lies in the village whose centre is nearest among
    those of its postcode."""

    __tablename__ = "villages"

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)
    postcode: Mapped[str] = mapped_column(String(4), index=True)
    lat: Mapped[float]  # its centre, WGS-84
    lon: Mapped[float]


class VillageTravel(Base):
    """How long an officer drives from one village to another (both directions are rows;
    from a village to itself: between two addresses of it)."""

    __tablename__ = "village_travel"
    __table_args__ = (CheckConstraint("minutes BETWEEN 0 AND 240", name="minutes_range"),)

    from_village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), primary_key=True)
    to_village_id: Mapped[int] = mapped_column(ForeignKey("villages.id"), primary_key=True)
    minutes: Mapped[int]


class Site(Base):
    """A police building where citizens can be received: when it is open to walk in (weekly
    ranges in local wall time, none for an office that receives by appointment only) and a
    description per language (access, parking, entrance)."""

    __tablename__ = "sites"

    id: Mapped[intpk]
    code: Mapped[short_str] = mapped_column(unique=True)
    name: Mapped[name_str]
    is_central: Mapped[bool] = mapped_column(default=False)
    street: Mapped[name_str]
    number: Mapped[short_str]
    postcode: Mapped[str] = mapped_column(String(4))
    municipality: Mapped[name_str]
    # [[weekday (Monday 0), "08:00", "12:00"], ...]: read through ``hours``.
    opening_hours: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # language → text
    # The village (deelgemeente) it stands in: where a round starts and ends (scheduling.rounds).
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))

    @property
    def hours(self) -> tuple[Window, ...]:
        """The walk-in hours, in weekday and time order."""
        return stored_hours(self.opening_hours)

    @hours.setter
    def hours(self, windows: tuple[Window, ...]) -> None:
        self.opening_hours = [
            [day, opens.strftime("%H:%M"), closes.strftime("%H:%M")]
            for day, opens, closes in sorted(windows)
        ]


class Staff(Base):
    """A member of the zone's personnel (the GALOP personnel number is the key to GALOP)."""

    __tablename__ = "staff"

    id: Mapped[intpk]
    personnel_number: Mapped[short_str] = mapped_column(unique=True)
    name: Mapped[name_str]
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    home_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    active: Mapped[bool] = mapped_column(default=True)

    roles: Mapped[list["StaffRole"]] = relationship(cascade="all, delete-orphan")
    home_site: Mapped[Site | None] = relationship()

    @property
    def role_set(self) -> frozenset[Role]:
        return frozenset(r.role for r in self.roles)


class StaffRole(Base):
    __tablename__ = "staff_roles"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)


class District(Base):
    """A wijk: a set of streets served by one wijkagent, with a stand-in."""

    __tablename__ = "districts"

    id: Mapped[intpk]
    name: Mapped[name_str] = mapped_column(unique=True)
    municipality: Mapped[name_str]
    sector: Mapped[name_str]
    officer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    standin_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))

    officer: Mapped[Staff] = relationship(foreign_keys=[officer_id])
    standin: Mapped[Staff | None] = relationship(foreign_keys=[standin_id])
    site: Mapped[Site | None] = relationship()
    streets: Mapped[list["DistrictStreet"]] = relationship(
        cascade="all, delete-orphan", order_by="DistrictStreet.street"
    )


class DistrictStreet(Base):
    """A street (or a house-number range of it) that belongs to a district."""

    __tablename__ = "district_streets"
    __table_args__ = (
        Index("ix_district_streets_lookup", "postcode", "street_key"),
        CheckConstraint(
            "number_from IS NULL OR number_to IS NULL OR number_from <= number_to",
            name="number_range",
        ),
    )

    id: Mapped[intpk]
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    postcode: Mapped[str] = mapped_column(String(4))
    street: Mapped[name_str]
    street_key: Mapped[name_str]  # normalised for lookup: see scheduling.addresses
    number_from: Mapped[int | None]
    number_to: Mapped[int | None]
    # The register's street, once the zone imported it: then its names in every language
    # find this row too. None: found by (postcode, street_key) only.
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"))

    def covers(self, number: int) -> bool:
        """Whether house ``number`` falls in this row's range (no bound: the whole street)."""
        return (self.number_from is None or self.number_from <= number) and (
            self.number_to is None or number <= self.number_to
        )


class Street(Base):
    """A street of the official address register (BeST Address), in every official language
    the register names it in ("" where it has no name in that language).

    Reference data, loaded by ``flask --app app addresses-import`` (README.md, "Addresses");
    district streets point at it, so a street is found by any of its names.
    """

    __tablename__ = "streets"

    id: Mapped[intpk]
    # The register's street id, after its region code ("BE-VLG:12345"): each region numbers
    # its own streets, so the bare number is not unique across Belgium.
    best_id: Mapped[str] = mapped_column(String(120), unique=True)
    nis_code: Mapped[str] = mapped_column(String(5), index=True)  # the municipality
    municipality_nl: Mapped[name_str] = mapped_column(default="")
    municipality_fr: Mapped[name_str] = mapped_column(default="")
    municipality_de: Mapped[name_str] = mapped_column(default="")
    name_nl: Mapped[name_str] = mapped_column(default="")
    name_fr: Mapped[name_str] = mapped_column(default="")
    name_de: Mapped[name_str] = mapped_column(default="")
    # Each name normalised for lookup (scheduling.addresses.street_key); "" without a name.
    key_nl: Mapped[name_str] = mapped_column(default="")
    key_fr: Mapped[name_str] = mapped_column(default="")
    key_de: Mapped[name_str] = mapped_column(default="")


class RegisterAddress(Base):
    """A house number of a register street, where it is (WGS-84): kept for home-visit
    planning and the reporting point. One per street and house number (boxes left out)."""

    __tablename__ = "register_addresses"
    __table_args__ = (UniqueConstraint("street_id", "house_number"),)

    id: Mapped[intpk]
    best_id: Mapped[str] = mapped_column(String(120), unique=True)  # as Street.best_id
    street_id: Mapped[int] = mapped_column(ForeignKey("streets.id"))
    postcode: Mapped[str] = mapped_column(String(4))
    house_number: Mapped[short_str]  # as the register writes it ("12", "12A")
    number: Mapped[int | None]  # its numeric part; None when it has no digits
    lat: Mapped[float]
    lon: Mapped[float]


class Service(Base):
    """Something that can be booked, with its rules."""

    __tablename__ = "services"

    id: Mapped[intpk]
    code: Mapped[short_str] = mapped_column(unique=True)
    name_nl: Mapped[name_str]
    name_fr: Mapped[name_str]
    name_en: Mapped[name_str]
    duration_minutes: Mapped[int]
    locations: Mapped[list[str]] = mapped_column(JSON)  # LocationKind values
    audience: Mapped[Audience] = mapped_column(enum_column(Audience))
    served_by: Mapped[ServedBy] = mapped_column(enum_column(ServedBy))
    staff_required: Mapped[int] = mapped_column(default=1)  # bailiff assistance needs several
    min_notice_minutes: Mapped[int] = mapped_column(default=120)
    horizon_days: Mapped[int] = mapped_column(default=60)
    travel_minutes: Mapped[int] = mapped_column(default=0)  # before and after a home visit
    cancel_cutoff_minutes: Mapped[int] = mapped_column(default=120)
    what_to_bring: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # language → text
    reminder_lead_minutes: Mapped[int] = mapped_column(default=24 * 60)  # the SMS reminder
    # What a booker may ask beyond the defaults (bailiff assistance: more officers, longer).
    staff_max: Mapped[int] = mapped_column(default=1)
    duration_max_minutes: Mapped[int | None]
    team: Mapped[list[Staff]] = relationship(secondary="service_team", order_by="Staff.name")

    def name(self, language: str) -> str:
        return str(getattr(self, f"name_{language}", self.name_nl))


class ServiceTeam(Base):
    """Who serves a team service (weapons service, bailiff assistance)."""

    __tablename__ = "service_team"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)


class Availability(Base):
    """A bookable window: weekly (weekday set) or one-off (on_date set), in local wall time."""

    __tablename__ = "availability"
    __table_args__ = (
        CheckConstraint("(weekday IS NULL) <> (on_date IS NULL)", name="weekly_or_one_off"),
        CheckConstraint("weekday IS NULL OR (weekday BETWEEN 0 AND 6)", name="weekday_range"),
        CheckConstraint("starts < ends", name="window_order"),
        Index("ix_availability_staff", "staff_id"),
    )

    id: Mapped[intpk]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    location: Mapped[LocationKind] = mapped_column(enum_column(LocationKind))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    weekday: Mapped[int | None]  # Monday = 0
    on_date: Mapped[date | None]
    starts: Mapped[time]
    ends: Mapped[time]
    valid_from: Mapped[date | None]
    valid_until: Mapped[date | None]  # inclusive


class Absence(Base):
    """A period in which a staff member is not available (leave, sickness, training...)."""

    __tablename__ = "absences"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="period_order"),
        Index("ix_absences_staff_period", "staff_id", "starts_at"),
    )

    id: Mapped[intpk]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    starts_at: Mapped[utc]
    ends_at: Mapped[utc]
    kind: Mapped[short_str] = mapped_column(default="leave")
    external_id: Mapped[str | None] = mapped_column(String(80), unique=True)  # GALOP's id


class BailiffAccount(Base):
    """A bailiff office that books police assistance (its users and API tokens: app.assistance)."""

    __tablename__ = "bailiff_accounts"

    id: Mapped[intpk]
    name: Mapped[name_str]
    enterprise_number: Mapped[str] = mapped_column(String(12), default="")  # 0123.456.789
    address: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2), default="nl")  # its e-mails and pages
    active: Mapped[bool] = mapped_column(default=True)
    demo: Mapped[bool] = mapped_column(default=False)  # a demo login: refused outside demo mode
    # The secret in the office's calendar feed address (hashed; renewing it ends the old one).
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class Invitation(Base):
    """A case handler's invitation: a code valid only for that handler within a window."""

    __tablename__ = "invitations"

    id: Mapped[intpk]
    code: Mapped[short_str] = mapped_column(unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    dossier_code: Mapped[short_str]
    phone: Mapped[str | None] = mapped_column(String(20))
    valid_from: Mapped[utc]
    valid_until: Mapped[utc]
    created_at: Mapped[utc]

    staff: Mapped[Staff] = relationship()


class Booking(Base):
    """An appointment, whatever the channel it came through."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="period_order"),
        Index("ix_bookings_staff_start", "staff_id", "start_at"),
        Index("ix_bookings_citizen_phone", "citizen_phone"),
    )

    id: Mapped[intpk]
    reference: Mapped[str] = mapped_column(String(9), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    location: Mapped[LocationKind] = mapped_column(enum_column(LocationKind))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    start_at: Mapped[utc]
    end_at: Mapped[utc]
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus))
    citizen_name: Mapped[name_str]
    citizen_phone: Mapped[str] = mapped_column(String(20))
    citizen_email: Mapped[str | None] = mapped_column(String(200))
    address_postcode: Mapped[str | None] = mapped_column(String(4))
    address_street: Mapped[str | None] = mapped_column(String(200))
    address_number: Mapped[str | None] = mapped_column(String(12))
    language: Mapped[str] = mapped_column(String(2), default="nl")
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"))
    bailiff_account_id: Mapped[int | None] = mapped_column(ForeignKey("bailiff_accounts.id"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    officers: Mapped[int] = mapped_column(default=1)  # staff reserved together (assistance: N)
    sequence: Mapped[int] = mapped_column(default=0)  # bumped on every change (ICS SEQUENCE)
    created_at: Mapped[utc]
    updated_at: Mapped[utc]
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    topic: Mapped[str | None] = mapped_column(
        String(300)
    )  # what it is about, in the citizen's words
    # Where the appointment is, when the zone keeps travel times (scheduling.rounds): the
    # citizen's village for a home visit, the site's for an office one. Set: its reservations
    # hold the appointment alone and travel is checked against its neighbours; None: they
    # hold the service's fixed travel before and after.
    village_id: Mapped[int | None] = mapped_column(ForeignKey("villages.id"))

    service: Mapped[Service] = relationship(lazy="joined")
    staff: Mapped[Staff] = relationship(lazy="joined")
    site: Mapped[Site | None] = relationship()
    reservations: Mapped[list["Reservation"]] = relationship(
        back_populates="booking", cascade="all, delete-orphan"
    )


class Reservation(Base):
    """The time a booking takes from one staff member, travel included.

    Only live bookings hold reservations; the database refuses two that overlap for
    one staff member (an exclusion constraint on PostgreSQL, a trigger on SQLite).
    """

    __tablename__ = "reservations"
    __table_args__ = (
        CheckConstraint("blocked_from < blocked_until", name="period_order"),
        Index("ix_reservations_staff_period", "staff_id", "blocked_from"),
        ExcludeConstraint(
            ("staff_id", "="),
            (text("tstzrange(blocked_from, blocked_until, '[)')"), "&&"),
            name="no_overlapping_reservations",
            using="gist",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[intpk]
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    blocked_from: Mapped[utc]
    blocked_until: Mapped[utc]

    booking: Mapped[Booking] = relationship(back_populates="reservations")


class AssistanceCapacityRule(Base):
    """How many officers may be out on bailiff assistance at once, on a weekday between two
    local times (scheduling.capacity). No rule covering a moment: no assistance then."""

    __tablename__ = "assistance_capacity_rules"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("starts < ends", name="window_order"),
        CheckConstraint("officers >= 0", name="officers_count"),
    )

    id: Mapped[intpk]
    weekday: Mapped[int]  # Monday = 0
    starts: Mapped[time]
    ends: Mapped[time]
    officers: Mapped[int]


class AssistanceClosedDay(Base):
    """A day without bailiff assistance (a football match, a festival, a planned action)."""

    __tablename__ = "assistance_closed_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), default="")


class AssistanceCapacity(Base):
    """The capacity rule counted out per quarter hour, so the database itself refuses more
    officers on assistance at once than the rule gives (scheduling.capacity explains how)."""

    __tablename__ = "assistance_capacity"
    __table_args__ = (
        CheckConstraint("used >= 0", name="used_count"),
        CheckConstraint("used <= capacity", name="within_capacity"),
    )

    slice_start: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    rule_officers: Mapped[int]  # what the rule gives now
    # What may be used: the rule's figure, or more while bookings made under an older, more
    # generous rule still hold their officers (they are not undone by a rule change).
    capacity: Mapped[int]
    used: Mapped[int] = mapped_column(default=0)


class AuditEntry(Base):
    """Who changed what, when, through which channel."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_booking", "booking_id"),)

    id: Mapped[intpk]
    at: Mapped[utc]
    actor_kind: Mapped[ActorKind] = mapped_column(enum_column(ActorKind))
    actor_id: Mapped[int | None]
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    action: Mapped[short_str]
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DomainEvent(Base):
    """Something the other side must hear about; the notifier turns these into messages."""

    __tablename__ = "domain_events"
    __table_args__ = (Index("ix_domain_events_unhandled", "handled_at"),)

    id: Mapped[intpk]
    at: Mapped[utc]
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


# The tables whose rows decide which moments are free: any change to them bumps the
# schedule version (database triggers, migrations 0003 and 0013), so answers cached under an
# older version are never served again.
SCHEDULE_TABLES = (
    "reservations",
    "availability",
    "absences",
    "staff",
    "staff_roles",
    "districts",
    "district_streets",
    "streets",  # a street's names decide which district an address is in
    "services",
    "service_team",
    "assistance_capacity",  # a rule change, or officers taken for bailiff assistance
    "villages",  # travel decides which home-visit moments fit a round
    "village_travel",
    "sites",  # a site's village
)


class ScheduleVersion(Base):
    """One row: a counter bumped in the same transaction as any change to SCHEDULE_TABLES."""

    __tablename__ = "schedule_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[intpk]
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    # PostgreSQL only: the transaction that last bumped it, so a transaction bumps it once.
    bumped_by_xact: Mapped[int | None] = mapped_column(BigInteger)
