"""The migrations build exactly the models' schema, and go down and up again cleanly."""

import ast
import importlib
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from app import migrate
from app.db import make_engine
from scheduling.models import Base

ROOT = Path(__file__).resolve().parents[2]


def _models_modules_in_env() -> set[str]:
    """The models modules migrations/env.py imports: the one list of them."""
    tree = ast.parse((ROOT / "migrations" / "env.py").read_text())
    imported = {
        alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module for node in tree.body if isinstance(node, ast.ImportFrom) and node.module
    }
    return {name for name in imported if name.endswith(".models")}


# Compare with every table the migrations know of, not only those this process imported.
for _module in _models_modules_in_env():
    importlib.import_module(_module)


def test_every_models_module_is_listed_in_the_migrations_env():
    found = {
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for package in ("app", "ivr", "callcenter", "scheduling")
        for path in (ROOT / package).rglob("models.py")
    }
    assert found == _models_modules_in_env()


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
