"""The migrations build exactly the models' schema, and go down and up again cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

import callcenter.models  # noqa: F401  (every models module, as migrations/env.py lists them)
from app import migrate
from app.db import make_engine
from scheduling.models import Base


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_migrated_schema_matches_the_models(engine):
    assert _differences(engine) == []


def test_downgrade_to_base_and_up_again(fresh_database, database_url):
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    engine = make_engine(fresh_database(kind))
    try:
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert "reservations" in inspect(engine).get_table_names()
        assert _differences(engine) == []
    finally:
        engine.dispose()
