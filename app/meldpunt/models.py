"""The reporting point's citizen pages' own table: a report's answers so far."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models import Base, intpk
from scheduling.types import UTCDateTime


class ReportDraft(Base):
    """A citizen's answers so far in the /melden or /contact flow (place, description, the
    stored names of photos already accepted, who they are), kept here rather than in the
    session cookie: the cookie holds a random key, the row its hash, as booking drafts do.
    Purged with its photo files by the worker once expired."""

    __tablename__ = "report_drafts"

    id: Mapped[intpk]
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
