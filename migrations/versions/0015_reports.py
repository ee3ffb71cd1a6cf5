"""The reporting point and the contact form: categories, reports and questions, their
history, photos, the access log of sensitive reports and the report number counters.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "report",
                "question",
                "lost",
                "found",
                name="categorykind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("anonymous_allowed", sa.Boolean(), nullable=False),
        sa.Column("handled_by", sa.String(length=40), nullable=True),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_categories")),
        sa.UniqueConstraint("code", name=op.f("uq_report_categories_code")),
    )
    op.create_table(
        "report_numbers",
        sa.Column("prefix", sa.String(length=1), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name=op.f("pk_report_numbers")),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "web",
                "phone",
                "api",
                name="reportchannel",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "triaged",
                "in_progress",
                "answered",
                "closed",
                "withdrawn",
                "merged",
                name="reportstatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("street_id", sa.Integer(), nullable=True),
        sa.Column("street_name", sa.String(length=200), nullable=True),
        sa.Column("house_number", sa.String(length=12), nullable=True),
        sa.Column("postcode", sa.String(length=4), nullable=True),
        sa.Column("municipality", sa.String(length=200), nullable=True),
        sa.Column("landmark", sa.String(length=300), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("occurred_at", scheduling.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("recurring", sa.String(length=300), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("object_type", sa.String(length=40), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("reporter_name", sa.String(length=200), nullable=True),
        sa.Column("reporter_phone", sa.String(length=20), nullable=True),
        sa.Column("reporter_email", sa.String(length=200), nullable=True),
        sa.Column(
            "contact_how",
            sa.Enum(
                "phone",
                "email",
                "not_at_all",
                name="contacthow",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("contact_when", sa.String(length=300), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("due_at", scheduling.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("assigned_staff_id", sa.Integer(), nullable=True),
        sa.Column("assigned_team", sa.String(length=40), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", scheduling.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", scheduling.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", scheduling.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("anonymised_at", scheduling.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assigned_staff_id"], ["staff.id"], name=op.f("fk_reports_assigned_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["report_categories.id"],
            name=op.f("fk_reports_category_id_report_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["reports.id"], name=op.f("fk_reports_merged_into_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_reports_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("number", name=op.f("uq_reports_number")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_reports_token_hash")),
    )
    op.create_index("ix_reports_assigned_staff", "reports", ["assigned_staff_id"])
    op.create_index(
        "ix_reports_category_street_created", "reports", ["category_id", "street_id", "created_at"]
    )
    op.create_index("ix_reports_created", "reports", ["created_at"])
    op.create_index("ix_reports_status_due", "reports", ["status", "due_at"])
    op.create_table(
        "report_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("at", scheduling.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "actor_kind",
            sa.Enum(
                "citizen",
                "staff",
                "system",
                name="reportactor",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "submitted",
                "information_added",
                "withdrawn",
                "triaged",
                "merged",
                "absorbed",
                "note",
                "public_update",
                "closed",
                "anonymised",
                name="reporteventkind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["staff.id"], name=op.f("fk_report_events_actor_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_events_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_events")),
    )
    op.create_index("ix_report_events_report", "report_events", ["report_id"])
    op.create_table(
        "report_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", scheduling.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_photos_report_id_reports")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_photos")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_report_photos_stored_name")),
    )
    op.create_index("ix_report_photos_report", "report_photos", ["report_id"])
    op.create_table(
        "sensitive_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "open",
                "change",
                "export",
                name="accessaction",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("at", scheduling.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_sensitive_access_report_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_sensitive_access_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sensitive_access")),
    )
    op.create_index("ix_sensitive_access_report", "sensitive_access", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_sensitive_access_report", table_name="sensitive_access")
    op.drop_table("sensitive_access")
    op.drop_index("ix_report_photos_report", table_name="report_photos")
    op.drop_table("report_photos")
    op.drop_index("ix_report_events_report", table_name="report_events")
    op.drop_table("report_events")
    op.drop_index("ix_reports_status_due", table_name="reports")
    op.drop_index("ix_reports_created", table_name="reports")
    op.drop_index("ix_reports_category_street_created", table_name="reports")
    op.drop_index("ix_reports_assigned_staff", table_name="reports")
    op.drop_table("reports")
    op.drop_table("report_numbers")
    op.drop_table("report_categories")
