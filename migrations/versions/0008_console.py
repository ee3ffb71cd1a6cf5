"""The call-takers' console: calls taken from the queue (with their wrap-up) and call-back
tasks claimed and closed.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = scheduling.types.UTCDateTime(timezone=True)
    op.create_table(
        "console_calls",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", utc, nullable=False),
        sa.Column("on_hold", sa.Boolean(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.Column("wrapped_at", utc, nullable=True),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_console_calls_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_console_calls_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_console_calls")),
    )
    op.create_index("ix_console_calls_staff", "console_calls", ["staff_id", "taken_at"])
    op.create_table(
        "console_callbacks",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("claimed_at", utc, nullable=False),
        sa.Column("closed_at", utc, nullable=True),
        sa.Column("outcome", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["callback_tasks.id"],
            name=op.f("fk_console_callbacks_task_id_callback_tasks"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_console_callbacks_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_console_callbacks")),
    )
    op.create_index("ix_console_callbacks_staff", "console_callbacks", ["staff_id", "claimed_at"])


def downgrade() -> None:
    op.drop_index("ix_console_callbacks_staff", table_name="console_callbacks")
    op.drop_table("console_callbacks")
    op.drop_index("ix_console_calls_staff", table_name="console_calls")
    op.drop_table("console_calls")
