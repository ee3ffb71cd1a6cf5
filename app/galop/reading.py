"""Reading GALOP files (CSV or JSON) and pushed JSON into validated records, every bad row
named with its field: a file is judged whole, so all its errors are listed at once."""

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, ValidationError

from app.galop.records import MAX_ROWS, AbsenceRecord, StaffRecord

Record = TypeVar("Record", StaffRecord, AbsenceRecord)

LIST_SEPARATOR = "|"  # between roles in a CSV cell (safe with both , and ; as delimiter)
FLAGS = ("active", "withdrawn")  # an empty CSV cell means the default


@dataclass(frozen=True)
class Where:
    """Where a record came from: ``source`` a file name ('' when pushed), ``row`` its place
    in it (``staff.3`` in JSON, ``line 4`` in CSV)."""

    source: str
    row: str

    def __str__(self) -> str:
        return ", ".join(part for part in (self.source, self.row) if part) or "document"


@dataclass(frozen=True)
class RowError:
    where: Where
    field: str
    message: str

    @property
    def path(self) -> str:
        """The field as the API names it: ``absences.0.start``."""
        return ".".join(part for part in (self.where.row, self.field) if part) or "body"

    def __str__(self) -> str:
        return f"{self.where}: {self.field or 'row'}: {self.message}"


@dataclass(frozen=True)
class Row(Generic[Record]):
    where: Where
    record: Record


@dataclass
class Batch:
    """The valid records of one import (one or more files, or one push), in reading order."""

    staff: list[Row[StaffRecord]] = field(default_factory=list)
    absences: list[Row[AbsenceRecord]] = field(default_factory=list)

    def extend(self, other: "Batch") -> None:
        self.staff.extend(other.staff)
        self.absences.extend(other.absences)


def _message(pydantic_message: str) -> str:
    # "Value error, not a valid phone number" reads better without pydantic's prefix.
    return pydantic_message.removeprefix("Value error, ")


def _context(zone: ZoneInfo) -> dict[str, Any]:
    return {"zone": zone}


def _validate(
    model: type[Record], data: object, where: Where, zone: ZoneInfo, errors: list[RowError]
) -> Row[Record] | None:
    try:
        return Row(where, model.model_validate(data, context=_context(zone)))
    except ValidationError as exc:
        errors.extend(
            RowError(where, ".".join(str(p) for p in e["loc"]), _message(e["msg"]))
            for e in exc.errors()
        )
        return None


class _Shell(BaseModel):
    """The document's outer shape; each record is validated on its own, so that every bad
    row is reported and the good ones can still be checked against the database."""

    model_config = ConfigDict(extra="forbid")
    staff: list[dict[str, Any]] = []
    absences: list[dict[str, Any]] = []


def read_mapping(data: object, *, zone: ZoneInfo, source: str = "") -> tuple[Batch, list[RowError]]:
    """A decoded JSON document (file or push) as records, and every error in it."""
    errors: list[RowError] = []
    batch = Batch()
    top = Where(source, "")
    if not isinstance(data, dict):
        return batch, [RowError(top, "", "the document must be a JSON object")]
    try:
        shell = _Shell.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            where = Where(source, ".".join(str(p) for p in e["loc"][:2]))
            errors.append(RowError(where, "", e["msg"]))
        return batch, errors
    for name, rows in (("staff", shell.staff), ("absences", shell.absences)):
        if len(rows) > MAX_ROWS:
            errors.append(RowError(top, name, f"at most {MAX_ROWS} rows in one import"))
    for i, item in enumerate(shell.staff[:MAX_ROWS]):
        staff = _validate(StaffRecord, item, Where(source, f"staff.{i}"), zone, errors)
        if staff is not None:
            batch.staff.append(staff)
    for i, item in enumerate(shell.absences[:MAX_ROWS]):
        absence = _validate(AbsenceRecord, item, Where(source, f"absences.{i}"), zone, errors)
        if absence is not None:
            batch.absences.append(absence)
    return batch, errors


def read_json(text: str, *, zone: ZoneInfo, source: str) -> tuple[Batch, list[RowError]]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return Batch(), [RowError(Where(source, ""), "", f"not valid JSON ({exc})")]
    return read_mapping(data, zone=zone, source=source)


def read_csv(text: str, *, zone: ZoneInfo, source: str) -> tuple[Batch, list[RowError]]:
    """A roster or an absence list, told apart by the header; ``,`` or ``;`` between cells."""
    batch = Batch()
    lines = text.splitlines()
    if not lines:
        return batch, [RowError(Where(source, ""), "", "the file is empty")]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    where = Where(source, "line 1")
    if "absence_id" in header:
        model: type[StaffRecord] | type[AbsenceRecord] = AbsenceRecord
    elif "personnel_number" in header:
        model = StaffRecord
    else:
        return batch, [
            RowError(
                where,
                "header",
                "expected a roster (personnel_number, name, ...) "
                "or an absence list (absence_id, ...)",
            )
        ]
    if len(set(header)) != len(header):
        return batch, [RowError(where, "header", "a column appears twice")]
    errors: list[RowError] = []
    for cells in reader:
        where = Where(source, f"line {reader.line_num}")
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(
                RowError(where, "", f"{len(cells)} cells where the header has {len(header)}")
            )
            continue
        data = _csv_record(zip(header, cells, strict=True))
        if model is StaffRecord:
            staff = _validate(StaffRecord, data, where, zone, errors)
            if staff is not None:
                batch.staff.append(staff)
        else:
            absence = _validate(AbsenceRecord, data, where, zone, errors)
            if absence is not None:
                batch.absences.append(absence)
    return batch, errors


def _csv_record(cells: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """CSV cells as the record's fields: an empty cell is null (it clears a field), except
    for the flags, where it means the default."""
    data: dict[str, Any] = {}
    for column, raw in cells:
        value = raw.strip()
        if column == "roles":
            data[column] = [r.strip() for r in value.split(LIST_SEPARATOR) if r.strip()]
        elif column in FLAGS:
            if value:
                data[column] = value
        else:
            data[column] = value or None
    return data


def read_files(paths: Iterable[Path], *, zone: ZoneInfo) -> tuple[Batch, list[RowError]]:
    """Every file as one batch: ``.json`` files as JSON, anything else as CSV."""
    batch, errors = Batch(), []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")  # Excel writes a byte-order mark
        except UnicodeDecodeError:
            errors.append(RowError(Where(path.name, ""), "", "not UTF-8 text"))
            continue
        read = read_json if path.suffix.lower() == ".json" else read_csv
        more, more_errors = read(text, zone=zone, source=path.name)
        batch.extend(more)
        errors.extend(more_errors)
    return batch, errors
