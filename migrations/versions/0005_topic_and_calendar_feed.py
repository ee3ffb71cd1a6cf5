"""What an appointment is about (the citizen's words), and a secret calendar feed per person.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch_op:
        batch_op.add_column(sa.Column("topic", sa.String(length=300), nullable=True))
    with op.batch_alter_table("staff_credentials") as batch_op:
        batch_op.add_column(sa.Column("calendar_token_hash", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_staff_credentials_calendar_token_hash"), ["calendar_token_hash"]
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_credentials") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_staff_credentials_calendar_token_hash"), type_="unique"
        )
        batch_op.drop_column("calendar_token_hash")
    with op.batch_alter_table("bookings") as batch_op:
        batch_op.drop_column("topic")
