"""Booking drafts kept server-side: the session cookie holds only a random key.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "booking_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("expires_at", scheduling.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_drafts")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_booking_drafts_key_hash")),
    )
    op.create_index(op.f("ix_booking_drafts_expires_at"), "booking_drafts", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_booking_drafts_expires_at"), table_name="booking_drafts")
    op.drop_table("booking_drafts")
