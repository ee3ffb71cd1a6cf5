"""The reports' created_at index covers what a period's figures read (PostgreSQL): the
overview and Open311's list answer from the index alone.

Revision ID: 0017
Revises: 0016
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# A copy, not an import: a migration keeps meaning what it meant when it was written.
COVERED = [
    "category_id",
    "municipality",
    "street_name",
    "postcode",
    "status",
    "closed_at",
    "due_at",
]


def upgrade() -> None:
    op.drop_index("ix_reports_created", table_name="reports")
    op.create_index("ix_reports_created", "reports", ["created_at"], postgresql_include=COVERED)


def downgrade() -> None:
    op.drop_index("ix_reports_created", table_name="reports")
    op.create_index("ix_reports_created", "reports", ["created_at"])
