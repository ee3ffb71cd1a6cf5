"""A schedule version bumped by triggers, so cached slot searches know when they are stale.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# A copy, not an import: a migration must keep meaning what it meant when it was written.
TABLES = (
    "reservations",
    "availability",
    "absences",
    "staff",
    "staff_roles",
    "districts",
    "district_streets",
    "services",
    "service_team",
)
VERBS = ("INSERT", "UPDATE", "DELETE")

# PostgreSQL: a deferred constraint trigger runs at commit, so the single row is locked only
# for the instant of the commit (never while a transaction still waits on other locks: no
# deadlock), and the xact check makes a transaction of 200,000 rows bump it once.
PG_FUNCTION = """
CREATE FUNCTION bump_schedule_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE schedule_version SET version = version + 1, bumped_by_xact = txid_current()
    WHERE id = 1 AND bumped_by_xact IS DISTINCT FROM txid_current();
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "schedule_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("bumped_by_xact", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_schedule_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_version")),
    )
    op.execute("INSERT INTO schedule_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER bump_schedule_version AFTER INSERT OR UPDATE OR DELETE "
                f"ON {table} DEFERRABLE INITIALLY DEFERRED "
                "FOR EACH ROW EXECUTE FUNCTION bump_schedule_version()"
            )
    else:
        # SQLite serialises writers: a plain trigger per verb is exact and cheap.
        for table in TABLES:
            for verb in VERBS:
                op.execute(
                    f"CREATE TRIGGER bump_schedule_version_{table}_{verb.lower()} "  # noqa: S608  (fixed names)
                    f"AFTER {verb} ON {table} "
                    "BEGIN UPDATE schedule_version SET version = version + 1 WHERE id = 1; END"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER bump_schedule_version ON {table}")
        op.execute("DROP FUNCTION bump_schedule_version()")
    else:
        for table in TABLES:
            for verb in VERBS:
                op.execute(f"DROP TRIGGER bump_schedule_version_{table}_{verb.lower()}")
    op.drop_table("schedule_version")
