"""The migrations build exactly the models' schema, and go down and up again cleanly."""

import ast
import importlib
from datetime import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import migrate
from app.db import make_engine
from scheduling.models import Base, Site, Staff

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


def test_office_free_text_becomes_hours_or_stays_as_the_dutch_description(
    fresh_database, database_url
):
    """Migration 0014: a text that reads as hours (in any of the three languages) becomes
    hours; any other text is kept whole as the Dutch description; going down writes both
    back into one text."""
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    engine = make_engine(fresh_database(kind))
    texts = {
        "hours-nl": "ma–vr 08:00–12:00, 13:00–17:00; za 09:00–12:00",
        "hours-fr": "lun.-mer. 8h30-12h00",
        "free": "Wijkpost, enkel op afspraak. Spreekuren: ma 15:00–19:00. Dringend: 101.",
        "empty": "",
    }
    try:
        migrate.downgrade(engine, "0013")
        with engine.begin() as conn:
            for code, hours in texts.items():
                conn.execute(
                    text(
                        "INSERT INTO sites (code, name, is_central, street, number, postcode,"
                        " municipality, opening_hours) VALUES (:code, :code, false, 'Plaats',"
                        " '10', '1547', 'Bever', :hours)"
                    ),
                    {"code": code, "hours": hours},
                )
            # A row that points at a site: SQLite alters "sites" by copying it, and must not
            # trip over (nor lose) the references to it.
            conn.execute(
                text(
                    "INSERT INTO staff (personnel_number, name, active, home_site_id)"
                    " SELECT 'T-1', 'Agent', true, id FROM sites WHERE code = 'free'"
                )
            )
        migrate.upgrade(engine)
        with Session(engine) as session:
            sites = {s.code: s for s in session.scalars(select(Site))}
            split = ((time(8), time(12)), (time(13), time(17)))
            assert sites["hours-nl"].hours == (
                *((day, *span) for day in range(5) for span in split),
                (5, time(9), time(12)),
            )
            assert sites["hours-nl"].description == {}
            assert sites["hours-fr"].hours == tuple((d, time(8, 30), time(12)) for d in range(3))
            assert sites["free"].hours == ()
            assert sites["free"].description == {"nl": texts["free"]}
            assert (sites["empty"].hours, sites["empty"].description) == ((), {})
            staff = session.scalars(select(Staff)).one()
            assert staff.home_site_id == sites["free"].id
        if kind == "sqlite":  # enforced again on the pooled connection the migration used
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        migrate.downgrade(engine, "0013")
        with engine.connect() as conn:
            back = dict(conn.execute(text("SELECT code, opening_hours FROM sites")).all())
        assert back["free"] == texts["free"]
        assert back["hours-fr"] == "mon 08:30-12:00; tue 08:30-12:00; wed 08:30-12:00"
        assert back["empty"] == ""
    finally:
        engine.dispose()


def test_the_reporting_point_roles_fit_the_migrated_check(fresh_database, database_url):
    """Migration 0016 widens the CHECK constraint the new roles need, and only that far."""
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    engine = make_engine(fresh_database(kind))
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            staff_id = connection.execute(
                text(
                    "INSERT INTO staff (personnel_number, name, active) "
                    "VALUES ('MIG-0016', 'Test', true) RETURNING id"
                )
            ).scalar_one()
            insert = text("INSERT INTO staff_roles (staff_id, role) VALUES (:s, :r)")
            for role in ("intake", "restricted_team", "restricted_lead", "zone_chief"):
                connection.execute(insert, {"s": staff_id, "r": role})
            with pytest.raises(IntegrityError), connection.begin_nested():
                connection.execute(insert, {"s": staff_id, "r": "janitor"})
    finally:
        engine.dispose()


def test_a_role_change_still_bumps_the_schedule_version_after_every_migration(
    fresh_database, database_url
):
    """SQLite's batch mode copies a table without its triggers; 0016 copies staff_roles."""
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    engine = make_engine(fresh_database(kind))
    version = text("SELECT version FROM schedule_version")
    try:
        with engine.begin() as connection:
            before = connection.execute(version).scalar_one()
            staff_id = connection.execute(
                text(
                    "INSERT INTO staff (personnel_number, name, active) "
                    "VALUES ('MIG-BUMP', 'Test', true) RETURNING id"
                )
            ).scalar_one()
        with engine.begin() as connection:
            bumped_by_staff = connection.execute(version).scalar_one()
            connection.execute(
                text("INSERT INTO staff_roles (staff_id, role) VALUES (:s, 'zone_chief')"),
                {"s": staff_id},
            )
        with engine.begin() as connection:
            assert connection.execute(version).scalar_one() > bumped_by_staff > before
    finally:
        engine.dispose()


def test_a_periods_figures_are_read_from_the_created_at_index_alone(engine, database_url):
    """Migration 0017: on PostgreSQL the index carries the columns the overview reads."""
    if not database_url.startswith("postgresql"):
        assert "ix_reports_created" in {i["name"] for i in inspect(engine).get_indexes("reports")}
        return
    with engine.connect() as connection:
        definition = connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_reports_created'")
        ).scalar_one()
    assert "INCLUDE (category_id, municipality, street_name, postcode, status" in definition
