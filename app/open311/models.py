"""Open311's own table: the clients allowed to post service requests, each with its key."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models import Base, intpk, utc
from scheduling.types import UTCDateTime


class Open311Client(Base):
    """A municipality's or partner's system posting reports (GeoReport v2 ``api_key``).

    Only the key's SHA-256 is kept; the admin sees the key once, when it is made."""

    __tablename__ = "open311_clients"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[utc]
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
