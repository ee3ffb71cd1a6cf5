"""The staff pages' own table: how a staff member signs in."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduling.models import Base, Staff
from scheduling.types import UTCDateTime


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


class VisitMark(Base):
    """A mark an officer made on the today page (done, no-show, a short note), perhaps offline
    and sent later: the phone's own id for it makes a resend count once."""

    __tablename__ = "visit_marks"

    mark_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a UUID from the phone
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(10))  # done, no_show, note
    note: Mapped[str] = mapped_column(String(500), default="")
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime())  # on the phone
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
