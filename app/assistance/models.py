"""The bailiffs' portal's own tables: office users, API tokens, kinds of execution, and what
an assistance booking carries besides its moment (file, kind, risks, who booked)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduling.models import BailiffAccount, Base, Booking
from scheduling.types import UTCDateTime


class OfficeUser(Base):
    """Someone of a bailiff office who signs in to the portal (e-mail, password, TOTP).

    Invited by the zone or the office's admin: until they follow the one-time link and set
    a password and a second factor, ``password_hash`` is None and they cannot sign in.
    """

    __tablename__ = "office_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("bailiff_accounts.id"), index=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2), default="nl")
    office_admin: Mapped[bool] = mapped_column(default=False)  # manages the office's users
    active: Mapped[bool] = mapped_column(default=True)
    demo: Mapped[bool] = mapped_column(default=False)  # a demo login: refused outside demo mode
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # base32
    totp_last_step: Mapped[int | None]  # a code works once
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    auth_version: Mapped[int] = mapped_column(default=1)  # bumped: every session ends
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invite_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    office: Mapped[BailiffAccount] = relationship()


class OfficeApiToken(Base):
    """A bearer token an office's case software uses on the API (shown once, hash kept)."""

    __tablename__ = "office_api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("bailiff_accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(ForeignKey("office_users.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    office: Mapped[BailiffAccount] = relationship()


class ExecutionKind(Base):
    """A kind of execution a bailiff asks assistance for (eviction, seizure...): zone data."""

    __tablename__ = "execution_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, language: str) -> str:
        return str(getattr(self, f"name_{language}", self.name_nl))


class AssistanceDetails(Base):
    """What an assistance booking carries besides its moment: the office's file, the kind of
    execution, the risk answers the officers read before they go, and who booked it."""

    __tablename__ = "assistance_details"

    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True
    )
    file_reference: Mapped[str] = mapped_column(String(60))
    execution_kind_id: Mapped[int] = mapped_column(ForeignKey("execution_kinds.id"))
    known_aggression: Mapped[bool] = mapped_column(default=False)
    weapons: Mapped[bool] = mapped_column(default=False)
    dogs: Mapped[bool] = mapped_column(default=False)
    vulnerable_persons: Mapped[bool] = mapped_column(default=False)
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    booked_by: Mapped[int | None] = mapped_column(ForeignKey("office_users.id"))

    booking: Mapped[Booking] = relationship()
    execution_kind: Mapped[ExecutionKind] = relationship(lazy="joined")
    office_user: Mapped[OfficeUser | None] = relationship()
