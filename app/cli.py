"""The ``flask --app app ...`` commands of SPEC §3."""

from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.orm import Session

from app import migrate

db_cli = AppGroup("db", help="Database migrations.")


def _engine():  # type: ignore[no-untyped-def]
    return current_app.extensions["db_engine"]


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database to the latest migration (or REVISION)."""
    migrate.upgrade(_engine(), revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Step the database back to REVISION."""
    migrate.downgrade(_engine(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
def db_revision(message: str) -> None:
    """Write a new migration from the models (review it before committing)."""
    migrate.revision(_engine(), message)


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo zone (idempotent) and print the demo logins."""
    from app.demo.seed import seed_demo as load

    config = current_app.config["BLAUWLIJN"]
    with Session(_engine()) as session, session.begin():
        result = load(session, now=datetime.now(UTC), zone=config.zone)
    click.echo(result.summary())


@click.command("worker")
def worker() -> None:
    """Run the background jobs until stopped (Ctrl-C or SIGTERM)."""
    import logging

    from app.worker import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
    click.echo("worker started")
    build_scheduler(current_app._get_current_object()).start()  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(worker)
