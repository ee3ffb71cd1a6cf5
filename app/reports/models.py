"""The reporting point's tables: categories the zone manages, reports and questions, their
history, photos, the access log of sensitive reports, the report number counters, answer
templates and the Open311 clients allowed to post."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.reports.enums import (
    AccessAction,
    CategoryKind,
    ContactHow,
    ReportActor,
    ReportChannel,
    ReportEventKind,
    ReportStatus,
)
from scheduling.models import Base, Staff, enum_column, intpk, short_str, utc
from scheduling.types import UTCDateTime


class ReportCategory(Base):
    """What can be reported or asked, managed by the zone as data.

    ``handled_by`` None: the wijkagent of the report's address (the intake queue without
    one); otherwise the code of the team that handles every report of this category.
    ``questions``: the category's extra questions, a list of
    ``{"code", "names": {lang: text}, "type": "text" | "choice", "options": [...]}``,
    an option being ``{"code", "names": {lang: text}}``."""

    __tablename__ = "report_categories"

    id: Mapped[intpk]
    code: Mapped[short_str] = mapped_column(unique=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # language → name
    kind: Mapped[CategoryKind] = mapped_column(enum_column(CategoryKind))
    sensitive: Mapped[bool] = mapped_column(default=False)
    anonymous_allowed: Mapped[bool] = mapped_column(default=True)
    handled_by: Mapped[str | None] = mapped_column(String(40))
    retention_days: Mapped[int] = mapped_column(default=365)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("nl") or self.code


COVERED_BY_CREATED = [
    "category_id",
    "municipality",
    "street_name",
    "postcode",
    "status",
    "closed_at",
    "due_at",
]


class Report(Base):
    """A report or a question, whatever the channel it came through.

    Where: a street of the address register (``street_id``) or a street name, with house
    number, postcode and municipality; or only a landmark; optionally a point (WGS-84).
    The citizen's status link holds a random token; only its SHA-256 is kept here."""

    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_status_due", "status", "due_at"),
        Index("ix_reports_category_street_created", "category_id", "street_id", "created_at"),
        # The overview's figures and Open311's list read these columns of a period's reports:
        # on PostgreSQL the index holds them, so a period never visits the table.
        Index("ix_reports_created", "created_at", postgresql_include=COVERED_BY_CREATED),
        Index("ix_reports_assigned_staff", "assigned_staff_id"),
    )

    id: Mapped[intpk]
    number: Mapped[str] = mapped_column(String(20), unique=True)  # "M-2026-000123"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The submitting form's one-time key: a second click on "send" finds this row.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("report_categories.id"))
    channel: Mapped[ReportChannel] = mapped_column(enum_column(ReportChannel))
    status: Mapped[ReportStatus] = mapped_column(enum_column(ReportStatus))
    # Where
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"))
    street_name: Mapped[str | None] = mapped_column(String(200))
    house_number: Mapped[str | None] = mapped_column(String(12))
    postcode: Mapped[str | None] = mapped_column(String(4))
    municipality: Mapped[str | None] = mapped_column(String(200))
    landmark: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    # When
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recurring: Mapped[str | None] = mapped_column(String(300))  # "every Friday night"
    # What
    description: Mapped[str] = mapped_column(Text, default="")
    object_type: Mapped[str | None] = mapped_column(String(40))  # lost and found: "wallet"
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # category questions
    # Who (all optional where the category allows anonymous reports)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_phone: Mapped[str | None] = mapped_column(String(20))
    reporter_email: Mapped[str | None] = mapped_column(String(200))
    contact_how: Mapped[ContactHow | None] = mapped_column(enum_column(ContactHow))
    contact_when: Mapped[str | None] = mapped_column(String(300))  # "weekdays after 18:00"
    language: Mapped[str] = mapped_column(String(2), default="nl")
    # Handling
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # questions: the promise
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    assigned_team: Mapped[str | None] = mapped_column(String(40))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    created_at: Mapped[utc]
    updated_at: Mapped[utc]
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    category: Mapped[ReportCategory] = relationship(lazy="joined")
    assigned_staff: Mapped[Staff | None] = relationship()
    events: Mapped[list["ReportEvent"]] = relationship(
        order_by="ReportEvent.id", back_populates="report", cascade="all, delete-orphan"
    )
    photos: Mapped[list["ReportPhoto"]] = relationship(
        order_by="ReportPhoto.id", cascade="all, delete-orphan"
    )


class ReportEvent(Base):
    """One change to a case: who (a staff member, the citizen or the system), when, what
    (``kind`` and its ``details``), and whether the citizen sees it on the status page."""

    __tablename__ = "report_events"
    __table_args__ = (Index("ix_report_events_report", "report_id"),)

    id: Mapped[intpk]
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    at: Mapped[utc]
    actor_kind: Mapped[ReportActor] = mapped_column(enum_column(ReportActor))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # staff only
    kind: Mapped[ReportEventKind] = mapped_column(enum_column(ReportEventKind))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    public: Mapped[bool] = mapped_column(default=False)

    report: Mapped[Report] = relationship(back_populates="events")


class ReportPhoto(Base):
    """A photo of a report, re-encoded and stored outside the web root under a random name
    (app.reports.photos)."""

    __tablename__ = "report_photos"
    __table_args__ = (Index("ix_report_photos_report", "report_id"),)

    id: Mapped[intpk]
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    stored_name: Mapped[str] = mapped_column(String(100), unique=True)
    content_type: Mapped[short_str]
    size_bytes: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[utc]


class SensitiveAccess(Base):
    """Who opened, changed or exported a sensitive report, and when: the team lead reads it."""

    __tablename__ = "sensitive_access"
    __table_args__ = (Index("ix_sensitive_access_report", "report_id"),)

    id: Mapped[intpk]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    action: Mapped[AccessAction] = mapped_column(enum_column(AccessAction))
    at: Mapped[utc]


class ReportNumber(Base):
    """The last public number given per prefix and year (app.reports.numbers)."""

    __tablename__ = "report_numbers"

    prefix: Mapped[str] = mapped_column(String(1), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class AnswerTemplate(Base):
    """A ready answer the intake desk starts from, in the three languages (admin-managed)."""

    __tablename__ = "answer_templates"

    id: Mapped[intpk]
    code: Mapped[str] = mapped_column(String(40), unique=True)
    titles: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {"nl": ..., ...}
    texts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)


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
