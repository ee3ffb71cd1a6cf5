"""The citizen pages' own table: a booking's answers so far."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models import Base, intpk
from scheduling.types import UTCDateTime


class BookingDraft(Base):
    """A citizen's answers so far in the web booking flow (name, phone, address...), kept
    here rather than in the session cookie: the cookie holds a random key, the row its hash
    (app.web.draft). Purged by the worker once expired."""

    __tablename__ = "booking_drafts"

    id: Mapped[intpk]
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
