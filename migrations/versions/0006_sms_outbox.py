"""The outbox (SMS and e-mail), the call-back tasks made when a notice cannot be delivered,
the SMS citizens send in, and each service's reminder lead time.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def upgrade() -> None:
    utc = scheduling.types.UTCDateTime(timezone=True)
    op.create_table(
        "sms_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=120), nullable=False),
        sa.Column("channel", _enum("noticechannel", "sms", "email"), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("body", sa.String(length=1600), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column(
            "kind",
            _enum(
                "messagekind",
                "confirmation",
                "reminder",
                "cancelled_by_staff",
                "changed",
                "cancelled_by_citizen",
                "invitation",
                "link",
                "callback",
            ),
            nullable=False,
        ),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("due_at", utc, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", utc, nullable=False),
        sa.Column(
            "status",
            _enum("outboxstatus", "pending", "sending", "sent", "delivered", "failed", "final"),
            nullable=False,
        ),
        sa.Column("provider_sid", sa.String(length=64), nullable=True),
        sa.Column("last_error_code", sa.String(length=40), nullable=True),
        sa.Column("last_error_message", sa.String(length=500), nullable=True),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("sent_at", utc, nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_sms_outbox_booking_id_bookings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_sms_outbox_idempotency_key")),
        sa.UniqueConstraint("provider_sid", name=op.f("uq_sms_outbox_provider_sid")),
    )
    with op.batch_alter_table("sms_outbox") as batch_op:
        batch_op.create_index("ix_sms_outbox_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_sms_outbox_booking", ["booking_id"], unique=False)

    op.create_table(
        "callback_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("status", _enum("callbackstatus", "open", "claimed", "done"), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_callback_tasks_booking_id_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"], ["sms_outbox.id"], name=op.f("fk_callback_tasks_outbox_id_sms_outbox")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback_tasks")),
        sa.UniqueConstraint("outbox_id", name=op.f("uq_callback_tasks_outbox_id")),
    )
    with op.batch_alter_table("callback_tasks") as batch_op:
        batch_op.create_index("ix_callback_tasks_status", ["status"], unique=False)

    op.create_table(
        "sms_inbound",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_sid", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=20), nullable=False),
        sa.Column("body", sa.String(length=1600), nullable=False),
        sa.Column("received_at", utc, nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("reply", sa.String(length=1600), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_sms_inbound_booking_id_bookings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_inbound")),
        sa.UniqueConstraint("message_sid", name=op.f("uq_sms_inbound_message_sid")),
    )
    with op.batch_alter_table("sms_inbound") as batch_op:
        batch_op.create_index("ix_sms_inbound_sender", ["sender", "received_at"], unique=False)

    # Plain ALTERs, not batch: recreating ``services`` on SQLite would drop its triggers (0003).
    op.add_column(
        "services",
        sa.Column("reminder_lead_minutes", sa.Integer(), nullable=False, server_default="1440"),
    )


def downgrade() -> None:
    op.drop_column("services", "reminder_lead_minutes")
    op.drop_table("sms_inbound")
    op.drop_table("callback_tasks")
    op.drop_table("sms_outbox")
