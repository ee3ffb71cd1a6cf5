"""More blue on the street: villages and the travel times between them (rounds of home
visits), each site's and booking's village, earlier-moment wishes, freed staff time and
offers, and the marks officers make on their today page.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

import scheduling.types

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

OLD_KINDS = (
    "confirmation",
    "reminder",
    "cancelled_by_staff",
    "changed",
    "cancelled_by_citizen",
    "invitation",
    "link",
    "callback",
    "report_received",
    "report_update",
    "report_answer",
    "report_staff_notice",
    "report_reminder",
    "report_forward",
    "assistance_booked",
    "assistance_changed",
    "assistance_cancelled",
    "office_invitation",
)
NEW_KINDS = ("earlier_offer",)
VERBS = ("INSERT", "UPDATE", "DELETE")
UTC = scheduling.types.UTCDateTime
CHANNELS = ("web", "api", "phone", "sms", "staff", "galop", "system")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


LOCATION = ("office", "home", "on_site")
OPEN = sa.text("status = 'open'")


def _allow_kinds(values: tuple[str, ...]) -> None:
    with op.batch_alter_table("sms_outbox") as batch:
        batch.drop_constraint(op.f("ck_sms_outbox_messagekind"), type_="check")
        listed = ", ".join(f"'{v}'" for v in values)
        batch.create_check_constraint(op.f("ck_sms_outbox_messagekind"), f"kind IN ({listed})")


def _bump_triggers(table: str) -> None:
    """The schedule-version triggers of migration 0003, on ``table`` (a copy, as in 0013)."""
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


def _drop_bump_triggers(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER bump_schedule_version ON {table}")
        return
    for verb in VERBS:
        op.execute(f"DROP TRIGGER bump_schedule_version_{table}_{verb.lower()}")


def upgrade() -> None:
    _allow_kinds(OLD_KINDS + NEW_KINDS)
    op.create_table(
        "villages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=4), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_villages")),
        sa.UniqueConstraint("name", name=op.f("uq_villages_name")),
    )
    op.create_index(op.f("ix_villages_postcode"), "villages", ["postcode"])
    op.create_table(
        "village_travel",
        sa.Column("from_village_id", sa.Integer(), nullable=False),
        sa.Column("to_village_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "minutes BETWEEN 0 AND 240", name=op.f("ck_village_travel_minutes_range")
        ),
        sa.ForeignKeyConstraint(
            ["from_village_id"],
            ["villages.id"],
            name=op.f("fk_village_travel_from_village_id_villages"),
        ),
        sa.ForeignKeyConstraint(
            ["to_village_id"],
            ["villages.id"],
            name=op.f("fk_village_travel_to_village_id_villages"),
        ),
        sa.PrimaryKeyConstraint("from_village_id", "to_village_id", name=op.f("pk_village_travel")),
    )
    with op.batch_alter_table("sites") as batch:
        batch.add_column(sa.Column("village_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_sites_village_id_villages"), "villages", ["village_id"], ["id"]
        )
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("village_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_bookings_village_id_villages"), "villages", ["village_id"], ["id"]
        )
    for table in ("villages", "village_travel", "sites"):
        _bump_triggers(table)

    op.create_table(
        "earlier_wishes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("asked_at", UTC(), nullable=False),
        sa.Column("channel", _enum("channel", *CHANNELS), nullable=False),
        sa.Column("location", _enum("locationkind", *LOCATION), nullable=True),
        sa.Column("not_before", sa.Date(), nullable=True),
        sa.Column(
            "status", _enum("wishstatus", "waiting", "dropped", "moved", "ended"), nullable=False
        ),
        sa.Column("ended_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_earlier_wishes_booking_id_bookings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_earlier_wishes")),
        sa.UniqueConstraint("booking_id", name=op.f("uq_earlier_wishes_booking_id")),
    )
    op.create_index("ix_earlier_wishes_waiting", "earlier_wishes", ["status", "asked_at"])
    op.create_table(
        "earlier_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("wish_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("start_at", UTC(), nullable=False),
        sa.Column("location", _enum("locationkind", *LOCATION), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("offered_at", UTC(), nullable=False),
        sa.Column("expires_at", UTC(), nullable=False),
        sa.Column(
            "status", _enum("offerstatus", "open", "accepted", "expired", "gone"), nullable=False
        ),
        sa.Column("answered_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["wish_id"],
            ["earlier_wishes.id"],
            name=op.f("fk_earlier_offers_wish_id_earlier_wishes"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_earlier_offers_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_earlier_offers_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_earlier_offers")),
    )
    op.create_index("ix_earlier_offers_wish", "earlier_offers", ["wish_id"])
    op.create_index(
        "uq_earlier_offers_open_wish",
        "earlier_offers",
        ["wish_id"],
        unique=True,
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    op.create_index(
        "uq_earlier_offers_open_moment",
        "earlier_offers",
        ["staff_id", "start_at"],
        unique=True,
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    op.create_table(
        "freed_times",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTC(), nullable=False),
        sa.Column("ends_at", UTC(), nullable=False),
        sa.Column("freed_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_freed_times_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_freed_times")),
    )
    op.create_index("ix_freed_times_until", "freed_times", ["ends_at"])
    op.create_table(
        "visit_marks",
        sa.Column("mark_id", sa.String(length=36), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("marked_at", UTC(), nullable=False),
        sa.Column("received_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_visit_marks_booking_id_bookings")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_visit_marks_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("mark_id", name=op.f("pk_visit_marks")),
    )
    op.create_index(op.f("ix_visit_marks_booking_id"), "visit_marks", ["booking_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_visit_marks_booking_id"), table_name="visit_marks")
    op.drop_table("visit_marks")
    op.drop_index("ix_freed_times_until", table_name="freed_times")
    op.drop_table("freed_times")
    op.drop_index("uq_earlier_offers_open_moment", table_name="earlier_offers")
    op.drop_index("uq_earlier_offers_open_wish", table_name="earlier_offers")
    op.drop_index("ix_earlier_offers_wish", table_name="earlier_offers")
    op.drop_table("earlier_offers")
    op.drop_index("ix_earlier_wishes_waiting", table_name="earlier_wishes")
    op.drop_table("earlier_wishes")
    for table in ("villages", "village_travel", "sites"):
        _drop_bump_triggers(table)
    with op.batch_alter_table("bookings") as batch:
        batch.drop_constraint(op.f("fk_bookings_village_id_villages"), type_="foreignkey")
        batch.drop_column("village_id")
    with op.batch_alter_table("sites") as batch:
        batch.drop_constraint(op.f("fk_sites_village_id_villages"), type_="foreignkey")
        batch.drop_column("village_id")
    op.drop_table("village_travel")
    op.drop_index(op.f("ix_villages_postcode"), table_name="villages")
    op.drop_table("villages")
    _allow_kinds(OLD_KINDS)
