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
    CallbackStatus,
    Channel,
    EventKind,
    LocationKind,
    MessageKind,
    NoticeChannel,
    OutboxStatus,
    PresenceStatus,
    Role,
    ServedBy,
)
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


def _enum(enum_cls: type[Any]) -> Enum:
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


class Site(Base):
    """A police building where citizens can be received."""

    __tablename__ = "sites"

    id: Mapped[intpk]
    code: Mapped[short_str] = mapped_column(unique=True)
    name: Mapped[name_str]
    is_central: Mapped[bool] = mapped_column(default=False)
    street: Mapped[name_str]
    number: Mapped[short_str]
    postcode: Mapped[str] = mapped_column(String(4))
    municipality: Mapped[name_str]
    opening_hours: Mapped[str] = mapped_column(String(400), default="")


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
    role: Mapped[Role] = mapped_column(_enum(Role), primary_key=True)


class StaffCredential(Base):
    """How a staff member signs in to the staff pages (``app.staff``).

    A table of its own, not columns of ``staff``: a sign-in writes here, and ``staff`` is one
    of the SCHEDULE_TABLES whose every change invalidates cached slot searches.
    """

    __tablename__ = "staff_credentials"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, with its parameters
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # base32; None: not enrolled
    totp_last_step: Mapped[int | None]  # the last accepted TOTP time step: a code works once
    failed_logins: Mapped[int] = mapped_column(default=0)  # wrong passwords/codes in a row
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Every signed-in session carries the version it was made under: bumping it (sign-out,
    # new password, new second factor) ends all of them at their next request.
    auth_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    demo: Mapped[bool] = mapped_column(default=False)  # a demo login: refused outside demo mode
    # The secret in the person's calendar feed address (hashed; renewing it ends the old one).
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    staff: Mapped[Staff] = relationship()


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
    audience: Mapped[Audience] = mapped_column(_enum(Audience))
    served_by: Mapped[ServedBy] = mapped_column(_enum(ServedBy))
    staff_required: Mapped[int] = mapped_column(default=1)  # bailiff assistance needs several
    min_notice_minutes: Mapped[int] = mapped_column(default=120)
    horizon_days: Mapped[int] = mapped_column(default=60)
    travel_minutes: Mapped[int] = mapped_column(default=0)  # before and after a home visit
    cancel_cutoff_minutes: Mapped[int] = mapped_column(default=120)
    what_to_bring: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # language → text
    reminder_lead_minutes: Mapped[int] = mapped_column(default=24 * 60)  # the SMS reminder
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
    location: Mapped[LocationKind] = mapped_column(_enum(LocationKind))
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
    """A bailiff office that may book police assistance through the API."""

    __tablename__ = "bailiff_accounts"

    id: Mapped[intpk]
    name: Mapped[name_str]
    phone: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    demo: Mapped[bool] = mapped_column(default=False)  # a demo login: refused outside demo mode


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
    location: Mapped[LocationKind] = mapped_column(_enum(LocationKind))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    start_at: Mapped[utc]
    end_at: Mapped[utc]
    status: Mapped[BookingStatus] = mapped_column(_enum(BookingStatus))
    citizen_name: Mapped[name_str]
    citizen_phone: Mapped[str] = mapped_column(String(20))
    citizen_email: Mapped[str | None] = mapped_column(String(200))
    address_postcode: Mapped[str | None] = mapped_column(String(4))
    address_street: Mapped[str | None] = mapped_column(String(200))
    address_number: Mapped[str | None] = mapped_column(String(12))
    language: Mapped[str] = mapped_column(String(2), default="nl")
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"))
    bailiff_account_id: Mapped[int | None] = mapped_column(ForeignKey("bailiff_accounts.id"))
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    sequence: Mapped[int] = mapped_column(default=0)  # bumped on every change (ICS SEQUENCE)
    created_at: Mapped[utc]
    updated_at: Mapped[utc]
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    topic: Mapped[str | None] = mapped_column(
        String(300)
    )  # what it is about, in the citizen's words

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


class AuditEntry(Base):
    """Who changed what, when, through which channel."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_booking", "booking_id"),)

    id: Mapped[intpk]
    at: Mapped[utc]
    actor_kind: Mapped[ActorKind] = mapped_column(_enum(ActorKind))
    actor_id: Mapped[int | None]
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    action: Mapped[short_str]
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class DomainEvent(Base):
    """Something the other side must hear about; the notifier turns these into messages."""

    __tablename__ = "domain_events"
    __table_args__ = (Index("ix_domain_events_unhandled", "handled_at"),)

    id: Mapped[intpk]
    at: Mapped[utc]
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IdempotencyRecord(Base):
    """The answer given to a create request, replayed when the same key comes again."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[intpk]
    scope: Mapped[short_str]
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[utc]


class RateLimitHit(Base):
    """One counted attempt (booking, SMS) in a bucket; shared by every web worker."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_lookup", "bucket", "key", "at"),)

    id: Mapped[intpk]
    bucket: Mapped[short_str]
    key: Mapped[str] = mapped_column(String(64))  # hashed: no phone numbers or IPs in clear
    at: Mapped[utc]


class BookingDraft(Base):
    """A citizen's answers so far in the web booking flow (name, phone, address...), kept
    here rather than in the session cookie: the cookie holds a random key, the row its hash
    (app.web.draft). Purged by the worker once expired."""

    __tablename__ = "booking_drafts"

    id: Mapped[intpk]
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# The tables whose rows decide which moments are free: any change to them bumps the
# schedule version (database triggers, migration 0003), so answers cached under an
# older version are never served again.
SCHEDULE_TABLES = (
    "reservations",
    "availability",
    "absences",
    "staff",
    "staff_roles",
    "districts",
    "district_streets",
    "services",
    "service_team",
)


class ScheduleVersion(Base):
    """One row: a counter bumped in the same transaction as any change to SCHEDULE_TABLES."""

    __tablename__ = "schedule_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[intpk]
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    # PostgreSQL only: the transaction that last bumped it, so a transaction bumps it once.
    bumped_by_xact: Mapped[int | None] = mapped_column(BigInteger)


class OutboxMessage(Base):
    """One SMS or e-mail to send, written in the same transaction as what causes it
    (app.notify).

    The idempotency key is unique: however often an event is handled, one row per message
    (an e-mail copy has its own key, ``email:<the SMS key>``).
    """

    __tablename__ = "sms_outbox"
    __table_args__ = (
        Index("ix_sms_outbox_due", "status", "next_attempt_at"),
        Index("ix_sms_outbox_booking", "booking_id"),
        Index("ix_sms_outbox_recipient_sent", "recipient", "sent_at"),  # the per-number cap
    )

    id: Mapped[intpk]
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    channel: Mapped[NoticeChannel] = mapped_column(_enum(NoticeChannel), default=NoticeChannel.SMS)
    recipient: Mapped[str] = mapped_column(String(200))  # E.164, or an e-mail address
    subject: Mapped[str | None] = mapped_column(String(200))  # e-mail only
    body: Mapped[str] = mapped_column(String(1600))
    language: Mapped[str] = mapped_column(String(2))
    kind: Mapped[MessageKind] = mapped_column(_enum(MessageKind))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    due_at: Mapped[utc]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[utc]
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.PENDING)
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_error_code: Mapped[str | None] = mapped_column(String(40))
    last_error_message: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[utc]
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CallbackTask(Base):
    """A citizen the call-takers must phone: a notice about their appointment did not arrive,
    or a caller of the blue number left a message or asked to be called back."""

    __tablename__ = "callback_tasks"
    __table_args__ = (Index("ix_callback_tasks_status", "status"),)

    id: Mapped[intpk]
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("sms_outbox.id"), unique=True)
    reason: Mapped[str] = mapped_column(String(500))
    # From the blue number: who to call (E.164; None when the number was withheld), the call
    # it came from, and a voice message with Twilio's transcription when one was left.
    phone: Mapped[str | None] = mapped_column(String(20))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    recording_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    recording_url: Mapped[str | None] = mapped_column(String(500))
    transcription: Mapped[str | None] = mapped_column(String(4000))
    created_at: Mapped[utc]
    status: Mapped[CallbackStatus] = mapped_column(
        _enum(CallbackStatus), default=CallbackStatus.OPEN
    )


class InboundSms(Base):
    """An SMS a citizen sent to the blue number, and what it did (unique per Twilio sid, so
    a replayed webhook has no second effect); what is not understood is kept for call-takers."""

    __tablename__ = "sms_inbound"
    __table_args__ = (Index("ix_sms_inbound_sender", "sender", "received_at"),)

    id: Mapped[intpk]
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(20))  # E.164 (or as Twilio gave it)
    body: Mapped[str] = mapped_column(String(1600))
    received_at: Mapped[utc]
    action: Mapped[short_str]  # cancelled, confirmed, opted_out, opted_in, kept, refused
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"))
    reply: Mapped[str] = mapped_column(String(1600), default="")


class CallTakerPresence(Base):
    """Whether a call-taker can take a call now; the blue number queues callers only while
    someone is available (callcenter.presence)."""

    __tablename__ = "calltaker_presence"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    status: Mapped[PresenceStatus] = mapped_column(_enum(PresenceStatus))
    updated_at: Mapped[utc]


class Call(Base):
    """One call to the blue number: its way through the menu and how it ended (unique per
    Twilio CallSid, so a retried webhook finds the same call)."""

    __tablename__ = "calls"
    __table_args__ = (Index("ix_calls_started", "started_at"),)

    id: Mapped[intpk]
    call_sid: Mapped[str] = mapped_column(String(64), unique=True)
    caller: Mapped[str | None] = mapped_column(String(20))  # E.164; None when withheld
    language: Mapped[str] = mapped_column(String(2), default="nl")
    topic: Mapped[str | None] = mapped_column(String(40))  # chosen before the queue
    path: Mapped[list[str]] = mapped_column(JSON, default=list)  # "menu:1", "appointment:2"...
    # What the caller is in the middle of (the appointment heard, the moments offered).
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[utc]
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_seconds: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(40))
