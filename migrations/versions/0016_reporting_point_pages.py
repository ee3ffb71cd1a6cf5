"""The reporting point's pages: the roles that handle reports (intake desk, restricted team
and its lead, zone chief), the messages they send, a submission's one-time key, the citizen
pages' drafts, answer templates and Open311 clients.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

OLD_ROLES = (
    "district_officer",
    "case_handler",
    "weapons_service",
    "call_taker",
    "supervisor",
    "admin",
)
NEW_ROLES = ("intake", "restricted_team", "restricted_lead", "zone_chief")
OLD_KINDS = (
    "confirmation",
    "reminder",
    "cancelled_by_staff",
    "changed",
    "cancelled_by_citizen",
    "invitation",
    "link",
    "callback",
)
NEW_KINDS = (
    "report_received",
    "report_update",
    "report_answer",
    "report_staff_notice",
    "report_reminder",
    "report_forward",
)
OLD_EVENTS = (
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
)
NEW_EVENTS = ("forwarded",)
# (table, column, check constraint name, values before, values added)
CHECKS = (
    ("staff_roles", "role", "role", OLD_ROLES, NEW_ROLES),
    ("sms_outbox", "kind", "messagekind", OLD_KINDS, NEW_KINDS),
    ("report_events", "kind", "reporteventkind", OLD_EVENTS, NEW_EVENTS),
)


def _allow(values: tuple[str, ...], table: str, column: str, name: str) -> None:
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
        listed = ", ".join(f"'{v}'" for v in values)
        batch.create_check_constraint(op.f(f"ck_{table}_{name}"), f"{column} IN ({listed})")
    if table == "staff_roles" and op.get_bind().dialect.name == "sqlite":
        # SQLite's batch mode copies the table and loses its triggers: put back the
        # schedule-version ones of migration 0003 (a copy, as there).
        for verb in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER bump_schedule_version_{table}_{verb.lower()} "  # noqa: S608  (fixed names)
                f"AFTER {verb} ON {table} "
                "BEGIN UPDATE schedule_version SET version = version + 1 WHERE id = 1; END"
            )


def upgrade() -> None:
    for table, column, name, old, new in CHECKS:
        _allow(old + new, table, column, name)
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("submission_key", sa.String(length=64), nullable=True))
        batch.create_unique_constraint(op.f("uq_reports_submission_key"), ["submission_key"])
    op.create_table(
        "report_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("expires_at", scheduling.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_drafts")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_report_drafts_key_hash")),
    )
    op.create_index(
        op.f("ix_report_drafts_expires_at"), "report_drafts", ["expires_at"], unique=False
    )
    op.create_table(
        "answer_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_templates")),
        sa.UniqueConstraint("code", name=op.f("uq_answer_templates_code")),
    )
    op.create_table(
        "open311_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", scheduling.types.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", scheduling.types.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", scheduling.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_clients")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_open311_clients_key_hash")),
    )


def downgrade() -> None:
    op.drop_table("open311_clients")
    op.drop_table("answer_templates")
    op.drop_index(op.f("ix_report_drafts_expires_at"), table_name="report_drafts")
    op.drop_table("report_drafts")
    with op.batch_alter_table("reports") as batch:
        batch.drop_constraint(op.f("uq_reports_submission_key"), type_="unique")
        batch.drop_column("submission_key")
    # Rows using the new values go first, or the narrower check cannot be added back.
    op.execute(
        sa.text("DELETE FROM staff_roles WHERE role IN :v").bindparams(
            sa.bindparam("v", NEW_ROLES, expanding=True)
        )
    )
    op.execute(
        sa.text("DELETE FROM sms_outbox WHERE kind IN :v").bindparams(
            sa.bindparam("v", NEW_KINDS, expanding=True)
        )
    )
    op.execute(
        sa.text("DELETE FROM report_events WHERE kind IN :v").bindparams(
            sa.bindparam("v", NEW_EVENTS, expanding=True)
        )
    )
    for table, column, name, old, _new in CHECKS:
        _allow(old, table, column, name)
