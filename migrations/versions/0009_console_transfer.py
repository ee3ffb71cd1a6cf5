"""The console's transfer to an officer: who a taken call was put through to.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite adds a foreign key only by rebuilding the table (PostgreSQL alters).
    with op.batch_alter_table("console_calls") as batch:
        batch.add_column(sa.Column("transferred_to_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_console_calls_transferred_to_id_staff"),
            "staff",
            ["transferred_to_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("console_calls") as batch:
        batch.drop_constraint(op.f("fk_console_calls_transferred_to_id_staff"), type_="foreignkey")
        batch.drop_column("transferred_to_id")
