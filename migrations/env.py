"""Alembic environment: runs on the connection handed over by ``app.migrate``."""

from alembic import context

# Every models module, each imported here so its tables join the metadata: a package that
# adds tables adds its models module to this list (and to tests/app/test_migrations.py).
import callcenter.models  # noqa: F401  (the console's tables)
from scheduling.models import Base  # the booking aggregate, and the tables not yet moved

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
