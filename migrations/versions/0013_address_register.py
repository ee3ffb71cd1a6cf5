"""The official address register (BeST Address): streets in every language, house numbers
with coordinates, and district streets pointing at their register street.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

VERBS = ("INSERT", "UPDATE", "DELETE")


def _bump_triggers(table: str) -> None:
    """The schedule-version triggers of migration 0003, on ``table`` (same names)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE CONSTRAINT TRIGGER bump_schedule_version AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} DEFERRABLE INITIALLY DEFERRED "
            "FOR EACH ROW EXECUTE FUNCTION bump_schedule_version()"
        )
        return
    for verb in VERBS:
        op.execute(
            f"CREATE TRIGGER bump_schedule_version_{table}_{verb.lower()} "  # noqa: S608  (fixed names)
            f"AFTER {verb} ON {table} "
            "BEGIN UPDATE schedule_version SET version = version + 1 WHERE id = 1; END"
        )


def upgrade() -> None:
    op.create_table(
        "streets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("best_id", sa.String(length=120), nullable=False),
        sa.Column("nis_code", sa.String(length=5), nullable=False),
        sa.Column("municipality_nl", sa.String(length=200), nullable=False),
        sa.Column("municipality_fr", sa.String(length=200), nullable=False),
        sa.Column("municipality_de", sa.String(length=200), nullable=False),
        sa.Column("name_nl", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("name_de", sa.String(length=200), nullable=False),
        sa.Column("key_nl", sa.String(length=200), nullable=False),
        sa.Column("key_fr", sa.String(length=200), nullable=False),
        sa.Column("key_de", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streets")),
        sa.UniqueConstraint("best_id", name=op.f("uq_streets_best_id")),
    )
    op.create_index(op.f("ix_streets_nis_code"), "streets", ["nis_code"])
    op.create_table(
        "register_addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("best_id", sa.String(length=120), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=False),
        sa.Column("postcode", sa.String(length=4), nullable=False),
        sa.Column("house_number", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_register_addresses_street_id_streets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_addresses")),
        sa.UniqueConstraint("best_id", name=op.f("uq_register_addresses_best_id")),
        sa.UniqueConstraint(
            "street_id", "house_number", name=op.f("uq_register_addresses_street_id")
        ),
    )
    # A street's names decide which district an address is in: a change to them makes
    # cached slot searches stale, as a change to district_streets does (migration 0003).
    _bump_triggers("streets")
    with op.batch_alter_table("district_streets") as batch_op:
        batch_op.add_column(sa.Column("street_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_district_streets_street_id_streets"), "streets", ["street_id"], ["id"]
        )
    _keep_sqlite_triggers("district_streets")


def downgrade() -> None:
    with op.batch_alter_table("district_streets") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_district_streets_street_id_streets"), type_="foreignkey"
        )
        batch_op.drop_column("street_id")
    _keep_sqlite_triggers("district_streets")
    op.drop_table("register_addresses")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER bump_schedule_version ON streets")
    op.drop_index(op.f("ix_streets_nis_code"), table_name="streets")
    op.drop_table("streets")


def _keep_sqlite_triggers(table: str) -> None:
    """SQLite alters a table by copying it, which drops its triggers: put them back."""
    if op.get_bind().dialect.name != "sqlite":
        return
    present = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
        {"t": table},
    )
    if not present:
        _bump_triggers(table)
