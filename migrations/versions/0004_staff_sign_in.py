"""Staff sign-in: a credential per staff member (argon2 hash, TOTP, lockout, session version).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_credentials",
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", scheduling.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("auth_version", sa.Integer(), nullable=False),
        sa.Column("last_login_at", scheduling.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_credentials_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_credentials")),
    )


def downgrade() -> None:
    op.drop_table("staff_credentials")
