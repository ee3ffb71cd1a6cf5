"""The ``flask --app app ...`` commands (README.md, "Run it, test it" and docs/)."""

from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app import current, migrate
from app.addresses.command import addresses_import
from app.galop.command import galop_import
from app.staff import credentials
from app.staff.models import StaffCredential

db_cli = AppGroup("db", help="Database migrations.")


def _engine() -> Engine:
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

    config = current.config()
    with Session(_engine()) as session, session.begin():
        result = load(session, now=datetime.now(UTC), zone=config.zone)
    click.echo(result.summary())


def _credential_of(session: Session, personnel_number: str) -> StaffCredential:
    staff = credentials.find_staff(session, personnel_number)
    credential = session.get(StaffCredential, staff.id) if staff else None
    if credential is None:
        raise click.ClickException(
            f"{personnel_number}: no such staff member, or no password yet "
            "(flask --app app staff-password first)"
        )
    return credential


@click.command("staff-password")
@click.argument("personnel_number")
@click.password_option("--password", prompt="New password", confirmation_prompt=True)
def staff_password(personnel_number: str, password: str) -> None:
    """Set the staff pages password of PERSONNEL_NUMBER (asked twice, not echoed); their
    sessions end and a lockout is lifted."""
    with Session(_engine()) as session, session.begin():
        staff = credentials.find_staff(session, personnel_number)
        if staff is None:
            raise click.ClickException(f"{personnel_number}: no such staff member")
        try:
            credentials.set_password(session, staff, password, now=datetime.now(UTC))
        except credentials.PasswordRefused as refused:
            raise click.ClickException(str(refused)) from None
        click.echo(f"password set for {staff.name} ({staff.personnel_number})")


@click.command("staff-totp")
@click.argument("personnel_number")
def staff_totp(personnel_number: str) -> None:
    """Enrol a new authenticator app (TOTP) for PERSONNEL_NUMBER: prints the secret and the
    otpauth:// address to scan; the old app stops working."""
    config = current.config()
    with Session(_engine()) as session, session.begin():
        credential = _credential_of(session, personnel_number)
        secret = credentials.enrol_totp(session, credential, now=datetime.now(UTC))
        uri = credentials.provisioning_uri(credential, issuer=f"Blauwlijn {config.zone_name}")
        click.echo(f"TOTP secret for {credential.staff.name}: {secret}")
        click.echo(f"add it to an authenticator app, or turn this into a QR code:\n{uri}")


@click.command("staff-totp-code")
@click.argument("personnel_number")
def staff_totp_code(personnel_number: str) -> None:
    """Print the current TOTP code of a DEMO login (instead of an authenticator app)."""
    with Session(_engine()) as session:
        credential = _credential_of(session, personnel_number)
        if not credential.demo or credential.totp_secret is None:
            raise click.ClickException("only for demo logins with a second factor")
        now = datetime.now(UTC)
        left = 30 - int(now.timestamp()) % 30
        click.echo(
            f"{credentials.current_code(credential.totp_secret, now)}  (valid for {left} more s)"
        )


@click.command("worker")
def worker() -> None:
    """Run the background jobs until stopped (Ctrl-C or SIGTERM)."""
    from app.worker import build_scheduler, configure_logging

    configure_logging()
    click.echo("worker started")
    # Flask types current_app as the app, not as the proxy it is: hence the ignore.
    build_scheduler(current_app._get_current_object()).start()  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(worker)
    app.cli.add_command(galop_import)
    app.cli.add_command(addresses_import)
    app.cli.add_command(staff_password)
    app.cli.add_command(staff_totp)
    app.cli.add_command(staff_totp_code)
