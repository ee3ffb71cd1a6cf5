"""Alembic environment: runs on the connection handed over by ``app.migrate``."""

from alembic import context

# ruff: noqa: F401  (imported for their tables, not their names)
# Every models module, each imported here so its tables join the metadata. A package that
# adds tables adds its models module here (tests/app/test_migrations.py fails until it does).
import app.api.models  # replayed API answers
import app.assistance.models  # the bailiffs' portal: office users, API tokens, assistance details
import app.earlier.models  # earlier-moment wishes, freed staff time, offers
import app.meldpunt.models  # the reporting point's drafts
import app.notify.models  # outbox, inbound SMS, call-backs
import app.ratelimit.models  # counted attempts
import app.reports.models  # the reporting point: categories, reports, history, Open311 clients
import app.staff.models  # sign-in credentials, the today page's visit marks
import app.web.models  # booking drafts
import callcenter.models  # the console's records, call-taker presence
import ivr.models  # calls to the blue number
from scheduling.models import Base  # the booking aggregate

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
