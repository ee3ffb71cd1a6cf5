"""The console's live streams wake on PostgreSQL NOTIFY: statement triggers on the tables the
live queue and the supervisor's live view read send ``pg_notify('blauwlijn_console',
'<table>')`` (the table's name only: no personal data). SQLite: nothing, its streams poll.

Revision ID: 0020
Revises: 0019
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# The channel is a copy of callcenter.live.CHANNEL, not an import: a migration must keep
# meaning what it meant when it was written.
PLAIN_FUNCTION = """
CREATE FUNCTION blauwlijn_console_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('blauwlijn_console', TG_TABLE_NAME);
    RETURN NULL;
END $$
"""

# Calls change on every menu step (path, state): only a change to who waits, or how they
# show, wakes the consoles. Transition tables keep it one trigger call per statement.
CALLS_FUNCTION = """
CREATE FUNCTION blauwlijn_console_notify_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM new_calls WHERE outcome = 'queued') THEN
            RETURN NULL;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_calls WHERE outcome = 'queued') THEN
            RETURN NULL;
        END IF;
    ELSIF NOT EXISTS (
        SELECT 1 FROM old_calls o JOIN new_calls n ON n.id = o.id
        WHERE (o.outcome = 'queued' OR n.outcome = 'queued')
          AND (o.outcome, o.ended_at, o.caller, o.topic, o.started_at)
              IS DISTINCT FROM (n.outcome, n.ended_at, n.caller, n.topic, n.started_at)
    ) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('blauwlijn_console', TG_TABLE_NAME);
    RETURN NULL;
END $$
"""

# (trigger name, table, when, function): the columns the snapshots read, nothing else (a
# console's keep-alive writes calltaker_presence.updated_at every 30 s: no wake-up).
TRIGGERS = (
    (
        "console_notify_insert",
        "calls",
        "AFTER INSERT ON calls REFERENCING NEW TABLE AS new_calls",
        "blauwlijn_console_notify_calls",
    ),
    (
        "console_notify_update",
        "calls",
        "AFTER UPDATE ON calls REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls",
        "blauwlijn_console_notify_calls",
    ),
    (
        "console_notify_delete",
        "calls",
        "AFTER DELETE ON calls REFERENCING OLD TABLE AS old_calls",
        "blauwlijn_console_notify_calls",
    ),
    (
        "console_notify",
        "console_calls",
        "AFTER INSERT OR DELETE OR UPDATE OF call_id ON console_calls",
        "blauwlijn_console_notify",
    ),
    (
        "console_notify",
        "calltaker_presence",
        "AFTER INSERT OR DELETE OR UPDATE OF status, staff_id ON calltaker_presence",
        "blauwlijn_console_notify",
    ),
    (
        "console_notify",
        "staff",
        "AFTER INSERT OR DELETE OR UPDATE OF name, active ON staff",
        "blauwlijn_console_notify",
    ),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: one process, its streams poll (callcenter.events)
    op.execute(PLAIN_FUNCTION)
    op.execute(CALLS_FUNCTION)
    for name, _table, when, function in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {when} FOR EACH STATEMENT EXECUTE FUNCTION {function}()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, _when, _function in TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute("DROP FUNCTION blauwlijn_console_notify_calls()")
    op.execute("DROP FUNCTION blauwlijn_console_notify()")
