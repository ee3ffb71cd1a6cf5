"""A confirmed booking always holds its reservations, checked by PostgreSQL at commit.

The engine writes a booking and its reservations all or nothing (scheduling.booking); this
makes the database hold the same invariant, so no code path can commit a CONFIRMED booking
that blocks nobody's time (a "phantom" shown in the agenda while the moment stays free).
A deferred constraint trigger checks at COMMIT, after the whole transaction: a move may clear
and re-add the reservations in between. SQLite has no deferred triggers; there the engine's
savepoints alone hold it.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE FUNCTION confirmed_booking_holds_reservations() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    checked integer;
BEGIN
    -- Two assignments, not one CASE: PL/pgSQL plans a statement on its first run, and a
    -- bookings row has no booking_id.
    IF TG_TABLE_NAME = 'bookings' THEN
        checked := NEW.id;
    ELSE
        checked := OLD.booking_id;
    END IF;
    IF EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.id = checked AND b.status = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.booking_id = b.id)
    ) THEN
        RAISE EXCEPTION 'confirmed_booking_without_reservation: booking %', checked
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute(
        "CREATE CONSTRAINT TRIGGER confirmed_booking_holds_reservations "
        "AFTER INSERT OR UPDATE OF status ON bookings DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION confirmed_booking_holds_reservations()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER reservations_kept_by_confirmed_bookings "
        "AFTER DELETE OR UPDATE OF booking_id ON reservations DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION confirmed_booking_holds_reservations()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER reservations_kept_by_confirmed_bookings ON reservations")
    op.execute("DROP TRIGGER confirmed_booking_holds_reservations ON bookings")
    op.execute("DROP FUNCTION confirmed_booking_holds_reservations()")
