"""The rate limits' own table: one row per counted attempt."""

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models import Base, intpk, short_str, utc


class RateLimitHit(Base):
    """One counted attempt (booking, SMS) in a bucket; shared by every web worker."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_lookup", "bucket", "key", "at"),)

    id: Mapped[intpk]
    bucket: Mapped[short_str]
    key: Mapped[str] = mapped_column(String(64))  # hashed: no phone numbers or IPs in clear
    at: Mapped[utc]
