"""``flask --app app galop-import FILE...``: a GALOP export into Blauwlijn, from cron or by hand."""

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app import current
from app.galop.importer import Rejected, import_batch
from app.galop.reading import read_files


@click.command("galop-import")
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option("--dry-run", is_flag=True, help="Check and report, but save nothing.")
@with_appcontext
def galop_import(files: tuple[Path, ...], dry_run: bool) -> None:
    """Import GALOP's roster and absences from FILES (CSV or .json; see docs/galop.md).

    All files are one transaction: a single bad row rejects the whole import, and every
    error is listed. Appointments of absent staff pass to a colleague or are cancelled.
    """
    zone = current.config().zone
    batch, errors = read_files(files, zone=zone)
    session = current_app.extensions["db_sessionmaker"]()
    try:
        summary = import_batch(session, batch, errors=errors, now=datetime.now(UTC), zone=zone)
    except Rejected as rejected:
        session.rollback()
        listed = "\n".join(f"  {error}" for error in rejected.errors)
        raise click.ClickException(
            f"import rejected, nothing was changed ({len(rejected.errors)} error(s)):\n{listed}"
        ) from None
    except BaseException:
        session.rollback()
        raise
    else:
        if dry_run:
            session.rollback()
        else:
            session.commit()
    finally:
        session.close()
    for line in summary.lines(zone):
        click.echo(line)
    if dry_run:
        click.echo("dry run: nothing was saved")
