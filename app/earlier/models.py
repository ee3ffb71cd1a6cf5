"""The tables of earlier-moment offers: who waits (a wish per booking), which staff time
freed up since, and each offer made (at most one open per wish and per moment)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduling.enums import Channel, LocationKind
from scheduling.models import Base, Booking, enum_column
from scheduling.types import UTCDateTime


class WishStatus(StrEnum):
    WAITING = "waiting"
    DROPPED = "dropped"  # the citizen no longer wants it (manage page, SMS, staff)
    MOVED = "moved"  # an offer was taken: the booking moved forward
    ENDED = "ended"  # the booking was cancelled, or its moment has come


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"  # JA in time: the booking moved
    EXPIRED = "expired"  # no answer in time: passed on
    GONE = "gone"  # the moment was taken meanwhile, or the wish ended


class EarlierWish(Base):
    """ "Tell me if an earlier moment frees up", asked with a booking."""

    __tablename__ = "earlier_wishes"
    __table_args__ = (Index("ix_earlier_wishes_waiting", "status", "asked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), unique=True)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    location: Mapped[LocationKind | None] = mapped_column(enum_column(LocationKind))  # None: any
    not_before: Mapped[date | None]  # a local day: nothing earlier than this
    status: Mapped[WishStatus] = mapped_column(enum_column(WishStatus))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    booking: Mapped[Booking] = relationship()


class EarlierOffer(Base):
    """One moment offered to one wish, until ``expires_at``. The database keeps a moment
    offered to one citizen at a time, and a citizen offered one moment at a time."""

    __tablename__ = "earlier_offers"
    __table_args__ = (
        Index(
            "uq_earlier_offers_open_wish",
            "wish_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index(
            "uq_earlier_offers_open_moment",
            "staff_id",
            "start_at",
            unique=True,
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
        Index("ix_earlier_offers_wish", "wish_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    wish_id: Mapped[int] = mapped_column(ForeignKey("earlier_wishes.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[LocationKind] = mapped_column(enum_column(LocationKind))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[OfferStatus] = mapped_column(enum_column(OfferStatus))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    wish: Mapped[EarlierWish] = relationship()


class FreedTime(Base):
    """Staff time that became free (a cancellation, a move, an opening, an absence withdrawn):
    only moments inside such time, freed after a wish was made, are offered to it, so nobody
    is offered what was already free when they chose their moment."""

    __tablename__ = "freed_times"
    __table_args__ = (Index("ix_freed_times_until", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    freed_at: Mapped[datetime] = mapped_column(UTCDateTime())
