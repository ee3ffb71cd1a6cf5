"""Reading the official address register as the regions publish it (BeST Address, flat CSV).

Pure: rows of an open text file in, dataclasses out (no Flask, no database). The columns it
reads are listed in README.md ("Addresses"). A file is read as it streams past (a real one
holds millions of rows), twice when the zone's municipalities are first to be found.
"""

import csv
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TextIO

COLUMNS = (
    "EPSG:31370_x",
    "EPSG:31370_y",
    "EPSG:4326_lat",
    "EPSG:4326_lon",
    "address_id",
    "box_number",
    "house_number",
    "municipality_id",
    "municipality_name_de",
    "municipality_name_fr",
    "municipality_name_nl",
    "postcode",
    "postname_fr",
    "postname_nl",
    "street_id",
    "streetname_de",
    "streetname_fr",
    "streetname_nl",
    "region_code",
    "status",
)
CURRENT = "current"  # an address in use; any other status is history
REGIONS = ("BE-BRU", "BE-VLG", "BE-WAL")
# Belgium, with a margin: a coordinate outside it is a mistake (lat and lon swapped, or the
# Lambert 72 metres in the WGS-84 columns).
LATITUDES = (49.4, 51.6)
LONGITUDES = (2.4, 6.5)


@dataclass(frozen=True)
class Names:
    """A name in each official language ("" where the register gives none)."""

    nl: str
    fr: str
    de: str


@dataclass(frozen=True)
class RegisterRow:
    """One current address of the register."""

    line: int  # in the file, for messages
    address_id: str  # region-qualified, as street_id
    street_id: str  # "BE-VLG:12345": each region numbers its own
    nis_code: str  # the municipality
    municipality: Names
    street: Names
    postcode: str
    house_number: str
    box_number: str
    lat: float
    lon: float


class BadRegisterFile(ValueError):
    """The file is not a register file this reader understands; nothing may be imported."""

    def __init__(self, line: int, column: str, problem: str) -> None:
        super().__init__(f"line {line}, column {column}: {problem}")
        self.line, self.column, self.problem = line, column, problem


def municipalities_with(source: TextIO, postcodes: Collection[str]) -> set[str]:
    """The NIS codes of the municipalities that have a current address in ``postcodes``."""
    return {
        fields["municipality_id"].strip()
        for _, fields in _records(source)
        if fields["status"] == CURRENT and fields["postcode"].strip() in postcodes
    }


def current_addresses(source: TextIO, municipalities: Collection[str]) -> Iterator[RegisterRow]:
    """The current addresses of these municipalities (NIS codes), each row checked.

    Rows of other municipalities, and history, are passed over unread beyond their number
    of fields: a zone's import does not stop on another region's data."""
    for line, fields in _records(source):
        if fields["status"] == CURRENT and fields["municipality_id"].strip() in municipalities:
            yield _row(line, fields)


def _records(source: TextIO) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(source)
    header = next(reader, None)
    if header is None:
        raise BadRegisterFile(1, "-", "the file is empty")
    header = [name.strip().lstrip("\ufeff") for name in header]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise BadRegisterFile(1, missing[0], "missing from the header: not a BeST address file")
    where = {name: header.index(name) for name in COLUMNS}
    for fields in reader:
        line = reader.line_num
        if len(fields) != len(header):
            raise BadRegisterFile(
                line, "-", f"{len(fields)} fields where the header has {len(header)}"
            )
        yield line, {name: fields[at] for name, at in where.items()}


def _row(line: int, fields: dict[str, str]) -> RegisterRow:
    def text(column: str, *, required: bool = False, limit: int = 200) -> str:
        value = fields[column].strip()
        if required and not value:
            raise BadRegisterFile(line, column, "empty")
        if len(value) > limit:
            raise BadRegisterFile(line, column, f"longer than {limit} characters")
        return value

    region = text("region_code", required=True)
    if region not in REGIONS:
        raise BadRegisterFile(line, "region_code", f"not one of {', '.join(REGIONS)}")
    nis_code = text("municipality_id")
    if not re.fullmatch(r"\d{5}", nis_code):
        raise BadRegisterFile(line, "municipality_id", "not a five-digit NIS code")
    postcode = text("postcode")
    if not re.fullmatch(r"\d{4}", postcode):
        raise BadRegisterFile(line, "postcode", "not a four-digit postcode")
    street = Names(text("streetname_nl"), text("streetname_fr"), text("streetname_de"))
    if not (street.nl or street.fr or street.de):
        raise BadRegisterFile(line, "streetname_nl", "the street has no name in any language")
    return RegisterRow(
        line=line,
        address_id=f"{region}:{text('address_id', required=True, limit=100)}",
        street_id=f"{region}:{text('street_id', required=True, limit=100)}",
        nis_code=nis_code,
        municipality=Names(
            text("municipality_name_nl"),
            text("municipality_name_fr"),
            text("municipality_name_de"),
        ),
        street=street,
        postcode=postcode,
        house_number=text("house_number", required=True, limit=40),
        box_number=text("box_number"),
        lat=_coordinate(line, fields, "EPSG:4326_lat", LATITUDES),
        lon=_coordinate(line, fields, "EPSG:4326_lon", LONGITUDES),
    )


def _coordinate(
    line: int, fields: dict[str, str], column: str, bounds: tuple[float, float]
) -> float:
    try:
        value = float(fields[column])
    except ValueError:
        raise BadRegisterFile(line, column, "not a number") from None
    low, high = bounds
    if not low <= value <= high:
        raise BadRegisterFile(line, column, f"{value} lies outside Belgium")
    return value
