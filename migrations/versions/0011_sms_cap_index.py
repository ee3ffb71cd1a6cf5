"""An index for the per-number SMS cap: what was sent to one number lately.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sms_outbox_recipient_sent", "sms_outbox", ["recipient", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_sms_outbox_recipient_sent", table_name="sms_outbox")
