"""The blue number's calls, the call-takers' presence, call-back tasks from the phone menu
(a voice message, a call-back asked for).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = scheduling.types.UTCDateTime(timezone=True)
    op.create_table(
        "calltaker_presence",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "available",
                "busy",
                "pause",
                "offline",
                name="presencestatus",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("updated_at", utc, nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_calltaker_presence_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_calltaker_presence")),
    )
    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_sid", sa.String(length=64), nullable=False),
        sa.Column("caller", sa.String(length=20), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=True),
        sa.Column("path", sa.JSON(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("started_at", utc, nullable=False),
        sa.Column("ended_at", utc, nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
        sa.UniqueConstraint("call_sid", name=op.f("uq_calls_call_sid")),
    )
    with op.batch_alter_table("calls") as batch_op:
        batch_op.create_index("ix_calls_started", ["started_at"], unique=False)

    with op.batch_alter_table("callback_tasks") as batch_op:
        batch_op.alter_column("booking_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("call_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("recording_sid", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("recording_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("transcription", sa.String(length=4000), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_callback_tasks_call_id_calls"), "calls", ["call_id"], ["id"]
        )
        batch_op.create_unique_constraint(
            op.f("uq_callback_tasks_recording_sid"), ["recording_sid"]
        )


def downgrade() -> None:
    op.execute("DELETE FROM sms_outbox WHERE kind = 'link'")
    op.execute("DELETE FROM callback_tasks WHERE booking_id IS NULL")
    with op.batch_alter_table("callback_tasks") as batch_op:
        batch_op.drop_constraint(op.f("uq_callback_tasks_recording_sid"), type_="unique")
        batch_op.drop_constraint(op.f("fk_callback_tasks_call_id_calls"), type_="foreignkey")
        batch_op.drop_column("transcription")
        batch_op.drop_column("recording_url")
        batch_op.drop_column("recording_sid")
        batch_op.drop_column("call_id")
        batch_op.drop_column("phone")
        batch_op.alter_column("booking_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("calls")
    op.drop_table("calltaker_presence")
