"""``flask --app app addresses-import FILE``: the official address register into the zone."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.addresses.best import BadRegisterFile
from app.addresses.importer import NothingForTheZone, import_register


@click.command("addresses-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    metavar="NIS",
    help="Import this municipality (NIS code; repeat for several) instead of those of the "
    "postcodes the zone's districts use.",
)
@with_appcontext
def addresses_import(file: Path, municipalities: tuple[str, ...]) -> None:
    """Import the address register (BeST Address CSV, as the regions publish it) for the
    zone's municipalities: streets in every official language, house numbers, coordinates.

    All or nothing, and the same file twice changes nothing (README.md, "Addresses").
    """
    # utf-8-sig: a byte-order mark before the header is read as none. An error inside the
    # transaction rolls it back: nothing is changed.
    with (
        file.open(encoding="utf-8-sig", newline="") as source,
        current_app.extensions["db_sessionmaker"]() as session,
        session.begin(),
    ):
        try:
            imported = import_register(session, source, municipalities=municipalities)
        except (BadRegisterFile, NothingForTheZone, UnicodeDecodeError) as error:
            raise click.ClickException(f"nothing imported: {file.name}: {error}") from None
    for line in imported.lines():
        click.echo(line)
