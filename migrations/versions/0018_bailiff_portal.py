"""The bailiffs' portal: offices with their details and calendar feed, office users, API
tokens (the office's one token moves there), kinds of execution, assistance details, the
capacity rule counted per quarter hour, and per-booking officers and duration limits.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "confirmation",
    "reminder",
    "cancelled_by_staff",
    "changed",
    "cancelled_by_citizen",
    "invitation",
    "link",
    "callback",
    "report_received",
    "report_update",
    "report_answer",
    "report_staff_notice",
    "report_reminder",
    "report_forward",
)
NEW_KINDS = ("assistance_booked", "assistance_changed", "assistance_cancelled", "office_invitation")
VERBS = ("INSERT", "UPDATE", "DELETE")
UTC = scheduling.types.UTCDateTime


def _allow_kinds(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("sms_outbox") as batch:
        batch.drop_constraint(op.f("ck_sms_outbox_messagekind"), type_="check")
        listed = ", ".join(f"'{v}'" for v in values)
        batch.create_check_constraint(op.f("ck_sms_outbox_messagekind"), f"kind IN ({listed})")


def _bump_triggers(table: str) -> None:
    """The schedule-version triggers of migration 0003, on ``table`` (a copy, as in 0013)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE CONSTRAINT TRIGGER bump_schedule_version AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} DEFERRABLE INITIALLY DEFERRED "
            "FOR EACH ROW EXECUTE FUNCTION bump_schedule_version()"
        )
        return
    for verb in VERBS:
        op.execute(
            f"CREATE TRIGGER bump_schedule_version_{table}_{verb.lower()} "  # noqa: S608  (fixed names)
            f"AFTER {verb} ON {table} "
            "BEGIN UPDATE schedule_version SET version = version + 1 WHERE id = 1; END"
        )


def upgrade() -> None:
    _allow_kinds(OLD_KINDS + NEW_KINDS)
    # Plain ADD COLUMN (no batch copy): services keeps its schedule-version triggers.
    op.add_column(
        "services", sa.Column("staff_max", sa.Integer(), server_default="1", nullable=False)
    )
    op.add_column("services", sa.Column("duration_max_minutes", sa.Integer(), nullable=True))
    op.execute("UPDATE services SET staff_max = staff_required")
    op.add_column(
        "bookings", sa.Column("officers", sa.Integer(), server_default="1", nullable=False)
    )
    op.execute(
        "UPDATE bookings SET officers = (SELECT count(*) FROM reservations r "
        "WHERE r.booking_id = bookings.id) WHERE EXISTS "
        "(SELECT 1 FROM reservations r WHERE r.booking_id = bookings.id)"
    )

    op.create_table(
        "office_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("office_admin", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTC(), nullable=True),
        sa.Column("auth_version", sa.Integer(), nullable=False),
        sa.Column("last_login_at", UTC(), nullable=True),
        sa.Column("invite_token_hash", sa.String(length=64), nullable=True),
        sa.Column("invite_expires_at", UTC(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["bailiff_accounts.id"],
            name=op.f("fk_office_users_office_id_bailiff_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_users")),
        sa.UniqueConstraint("email", name=op.f("uq_office_users_email")),
        sa.UniqueConstraint("invite_token_hash", name=op.f("uq_office_users_invite_token_hash")),
    )
    op.create_index(op.f("ix_office_users_office_id"), "office_users", ["office_id"])
    op.create_table(
        "office_api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("last_used_at", UTC(), nullable=True),
        sa.Column("revoked_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["bailiff_accounts.id"],
            name=op.f("fk_office_api_tokens_office_id_bailiff_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["office_users.id"],
            name=op.f("fk_office_api_tokens_created_by_office_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_office_api_tokens_token_hash")),
    )
    op.create_index(op.f("ix_office_api_tokens_office_id"), "office_api_tokens", ["office_id"])
    # The office's one token becomes its first API token.
    op.execute(
        "INSERT INTO office_api_tokens (office_id, name, token_hash, created_at) "
        "SELECT id, 'API', token_hash, CURRENT_TIMESTAMP FROM bailiff_accounts"
    )
    with op.batch_alter_table("bailiff_accounts") as batch:
        batch.drop_column("token_hash")
        batch.add_column(
            sa.Column("enterprise_number", sa.String(12), server_default="", nullable=False)
        )
        batch.add_column(sa.Column("address", sa.String(300), server_default="", nullable=False))
        batch.add_column(sa.Column("email", sa.String(200), server_default="", nullable=False))
        batch.add_column(sa.Column("language", sa.String(2), server_default="nl", nullable=False))
        batch.add_column(sa.Column("calendar_token_hash", sa.String(64), nullable=True))
        batch.create_unique_constraint(
            op.f("uq_bailiff_accounts_calendar_token_hash"), ["calendar_token_hash"]
        )

    op.create_table(
        "execution_kinds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_nl", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_execution_kinds")),
        sa.UniqueConstraint("code", name=op.f("uq_execution_kinds_code")),
    )
    op.create_table(
        "assistance_details",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("file_reference", sa.String(length=60), nullable=False),
        sa.Column("execution_kind_id", sa.Integer(), nullable=False),
        sa.Column("known_aggression", sa.Boolean(), nullable=False),
        sa.Column("weapons", sa.Boolean(), nullable=False),
        sa.Column("dogs", sa.Boolean(), nullable=False),
        sa.Column("vulnerable_persons", sa.Boolean(), nullable=False),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("booked_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_assistance_details_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["execution_kind_id"],
            ["execution_kinds.id"],
            name=op.f("fk_assistance_details_execution_kind_id_execution_kinds"),
        ),
        sa.ForeignKeyConstraint(
            ["booked_by"],
            ["office_users.id"],
            name=op.f("fk_assistance_details_booked_by_office_users"),
        ),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_assistance_details")),
    )

    op.create_table(
        "assistance_capacity_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("officers", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "weekday BETWEEN 0 AND 6", name=op.f("ck_assistance_capacity_rules_weekday_range")
        ),
        sa.CheckConstraint("starts < ends", name=op.f("ck_assistance_capacity_rules_window_order")),
        sa.CheckConstraint(
            "officers >= 0", name=op.f("ck_assistance_capacity_rules_officers_count")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistance_capacity_rules")),
    )
    op.create_table(
        "assistance_closed_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_assistance_closed_days")),
    )
    op.create_table(
        "assistance_capacity",
        sa.Column("slice_start", UTC(), nullable=False),
        sa.Column("rule_officers", sa.Integer(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.CheckConstraint("used >= 0", name=op.f("ck_assistance_capacity_used_count")),
        sa.CheckConstraint("used <= capacity", name=op.f("ck_assistance_capacity_within_capacity")),
        sa.PrimaryKeyConstraint("slice_start", name=op.f("pk_assistance_capacity")),
    )
    _bump_triggers("assistance_capacity")


def downgrade() -> None:
    op.drop_table("assistance_capacity")
    op.drop_table("assistance_closed_days")
    op.drop_table("assistance_capacity_rules")
    op.drop_table("assistance_details")
    op.drop_table("execution_kinds")
    with op.batch_alter_table("bailiff_accounts") as batch:
        batch.drop_constraint(op.f("uq_bailiff_accounts_calendar_token_hash"), type_="unique")
        for column in ("calendar_token_hash", "language", "email", "address", "enterprise_number"):
            batch.drop_column(column)
        batch.add_column(sa.Column("token_hash", sa.String(64), nullable=True))
    op.execute(
        "UPDATE bailiff_accounts SET token_hash = (SELECT min(t.token_hash) FROM "
        "office_api_tokens t WHERE t.office_id = bailiff_accounts.id AND t.revoked_at IS NULL)"
    )
    op.drop_table("office_api_tokens")
    op.drop_table("office_users")
    op.drop_column("bookings", "officers")
    op.drop_column("services", "duration_max_minutes")
    op.drop_column("services", "staff_max")
    _allow_kinds(OLD_KINDS)
