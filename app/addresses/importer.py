"""The address register into the database: all or nothing, and the same file twice changes
nothing.

Streets and addresses are matched by the register's ids. The file covers the municipalities
of the zone that have a current address in it; there, what the file no longer holds (a
retired address, a street without addresses) is removed. Municipalities the file does not
cover are left as they are. Afterwards the district streets without a register street are
linked to one by postcode and name in any language. Flushed, never committed: the caller
owns the transaction, so a failure anywhere changes nothing.
"""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.addresses.best import BadRegisterFile, RegisterRow, current_addresses, municipalities_with
from app.db import rowcount
from scheduling.addresses import street_key
from scheduling.models import DistrictStreet, RegisterAddress, Street

_DIGITS = re.compile(r"\d+")  # the numeric part of a house number ("12" of "12A")
_CHUNK = 500  # ids per DELETE … IN (…): well under every engine's parameter limit


class NothingForTheZone(ValueError):
    """The file holds no current address of the municipalities asked for."""


@dataclass(frozen=True)
class Counts:
    added: int = 0
    changed: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return f"{self.added} added, {self.changed} changed, {self.removed} removed"


@dataclass
class Imported:
    """What an import did, for the person who ran it (street names are no personal data)."""

    municipalities: dict[str, str]  # NIS code → name, of those the file covered
    streets: Counts
    addresses: Counts
    linked: int  # district streets linked to their register street by this import
    unlinked: int  # district streets whose register street left the register
    not_found: list[tuple[str, str]] = field(default_factory=list)  # (postcode, street)

    def lines(self) -> list[str]:
        covered = ", ".join(f"{name} ({nis})" for nis, name in sorted(self.municipalities.items()))
        lines = [
            f"municipalities: {covered}",
            f"streets: {self.streets}",
            f"addresses: {self.addresses}",
            f"district streets linked to the register: {self.linked} now",
        ]
        if self.unlinked:
            lines.append(f"district streets whose register street is gone: {self.unlinked}")
        if self.not_found:
            lines.append(f"district streets not found in the register: {len(self.not_found)}")
            lines += [f"  {postcode} {street}" for postcode, street in self.not_found]
        return lines


def import_register(
    session: Session, source: TextIO, *, municipalities: Collection[str] = ()
) -> Imported:
    """Import the current addresses of ``municipalities`` (NIS codes) from ``source``; without
    them, of the municipalities of the postcodes the zone's districts use. ``source`` is read
    twice in that case, so it must be seekable (an open file is)."""
    wanted = set(municipalities)
    if not wanted:
        postcodes = set(session.scalars(select(DistrictStreet.postcode).distinct()))
        wanted = municipalities_with(source, postcodes)
        source.seek(0)
    rows = list(current_addresses(source, wanted))  # every row checked before any write
    if not rows:
        raise NothingForTheZone(
            "no current address of the zone's municipalities in this file "
            f"({', '.join(sorted(wanted)) or 'the districts have no streets yet'})"
        )
    houses = _one_per_house(rows)
    covered = {row.nis_code: _name(row) for row in rows}
    streets, added, changed = _sync_streets(session, rows)
    addresses = _sync_addresses(session, houses, streets, covered=covered.keys())
    removed, unlinked = _remove_streets_left(session, rows, covered=covered.keys())
    linked, not_found = link_district_streets(session)
    return Imported(
        municipalities=covered,
        streets=Counts(added, changed, removed),
        addresses=addresses,
        linked=linked,
        unlinked=unlinked,
        not_found=not_found,
    )


def _name(row: RegisterRow) -> str:
    names = row.municipality
    return " / ".join(dict.fromkeys(n for n in (names.nl, names.fr, names.de) if n)) or "?"


def _street_values(row: RegisterRow) -> dict[str, str]:
    m, s = row.municipality, row.street
    return {
        "nis_code": row.nis_code,
        "municipality_nl": m.nl,
        "municipality_fr": m.fr,
        "municipality_de": m.de,
        "name_nl": s.nl,
        "name_fr": s.fr,
        "name_de": s.de,
        "key_nl": street_key(s.nl),
        "key_fr": street_key(s.fr),
        "key_de": street_key(s.de),
    }


def _sync_streets(session: Session, rows: list[RegisterRow]) -> tuple[dict[str, int], int, int]:
    """Streets by the register's id (the first row of a street names it): their ids by the
    register's, and how many were added and changed."""
    wanted: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.street_id not in wanted:
            wanted[row.street_id] = _street_values(row)
    # The tables hold one zone's municipalities: a few thousand streets at most.
    present = {s.best_id: s for s in session.scalars(select(Street))}
    added = changed = 0
    for best_id, values in wanted.items():
        street = present.get(best_id)
        if street is None:
            present[best_id] = Street(best_id=best_id, **values)
            session.add(present[best_id])
            added += 1
        elif any(getattr(street, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(street, k, v)
            changed += 1
    session.flush()
    return {best_id: present[best_id].id for best_id in wanted}, added, changed


def _one_per_house(rows: list[RegisterRow]) -> list[RegisterRow]:
    """One address per street and house number: the one without a box, else the lowest id
    (boxes do not matter to who serves an address)."""

    def preference(row: RegisterRow) -> tuple[bool, int, str]:
        return (row.box_number != "", len(row.address_id), row.address_id)  # numeric order

    chosen: dict[tuple[str, str], RegisterRow] = {}
    for row in rows:
        held = chosen.setdefault((row.street_id, row.house_number), row)
        if preference(row) < preference(held):
            chosen[(row.street_id, row.house_number)] = row
    seen: set[str] = set()
    for row in chosen.values():
        if row.address_id in seen:
            raise BadRegisterFile(row.line, "address_id", "the same id for two addresses")
        seen.add(row.address_id)
    return list(chosen.values())


def _sync_addresses(
    session: Session,
    houses: list[RegisterRow],
    streets: dict[str, int],
    *,
    covered: Collection[str],
) -> Counts:
    """The addresses by the register's id; those of the covered municipalities the file no
    longer holds are removed."""
    wanted: dict[str, dict[str, Any]] = {}
    for row in houses:
        wanted[row.address_id] = {
            "street_id": streets[row.street_id],
            "postcode": row.postcode,
            "house_number": row.house_number,
            "number": _number(row.house_number),
            "lat": row.lat,
            "lon": row.lon,
        }
    present = {
        r.best_id: r
        for r in session.execute(
            select(
                RegisterAddress.id,
                RegisterAddress.best_id,
                RegisterAddress.street_id,
                RegisterAddress.postcode,
                RegisterAddress.house_number,
                RegisterAddress.number,
                RegisterAddress.lat,
                RegisterAddress.lon,
                Street.nis_code,
            ).join(Street, RegisterAddress.street_id == Street.id)
        )
    }
    gone = [r.id for b, r in present.items() if b not in wanted and r.nis_code in covered]
    for chunk in _chunks(gone):
        session.execute(delete(RegisterAddress).where(RegisterAddress.id.in_(chunk)))
    changes = [
        {"id": present[b].id, **values}
        for b, values in wanted.items()
        if b in present and any(getattr(present[b], k) != v for k, v in values.items())
    ]
    if changes:
        session.execute(update(RegisterAddress), changes)
    new = [{"best_id": b, **values} for b, values in wanted.items() if b not in present]
    if new:
        session.execute(insert(RegisterAddress), new)
    return Counts(len(new), len(changes), len(gone))


def _number(house_number: str) -> int | None:
    digits = _DIGITS.match(house_number)
    return int(digits.group()) if digits else None


def _remove_streets_left(
    session: Session, rows: list[RegisterRow], *, covered: Collection[str]
) -> tuple[int, int]:
    """Streets of the covered municipalities the file no longer holds: their district
    streets lose the link (found by their own name again), then they go. Returns how many
    streets went and how many district streets lost their link."""
    in_file = {row.street_id for row in rows}
    gone = [
        street.id
        for street in session.scalars(select(Street).where(Street.nis_code.in_(covered)))
        if street.best_id not in in_file
    ]
    unlinked = 0
    for chunk in _chunks(gone):
        unlinked += rowcount(
            session.execute(
                update(DistrictStreet)
                .where(DistrictStreet.street_id.in_(chunk))
                .values(street_id=None)
            )
        )
        session.execute(delete(Street).where(Street.id.in_(chunk)))  # addresses went before
    return len(gone), unlinked


def link_district_streets(session: Session) -> tuple[int, list[tuple[str, str]]]:
    """Link each district street without a register street to the one register street with
    an address in its postcode and its name in any language. Returns how many were linked,
    and the (postcode, street) of those that were not (no such street, or several)."""
    postcodes: dict[int, set[str]] = {}
    for postcode, street_id in session.execute(
        select(RegisterAddress.postcode, RegisterAddress.street_id).distinct()
    ).tuples():
        postcodes.setdefault(street_id, set()).add(postcode)
    candidates: dict[tuple[str, str], set[int]] = {}
    for street in session.scalars(select(Street)):
        for key in {street.key_nl, street.key_fr, street.key_de} - {""}:
            for postcode in postcodes.get(street.id, ()):
                candidates.setdefault((postcode, key), set()).add(street.id)
    linked = 0
    not_found: list[tuple[str, str]] = []
    for row in session.scalars(
        select(DistrictStreet)
        .where(DistrictStreet.street_id.is_(None))
        .order_by(DistrictStreet.postcode, DistrictStreet.street)
    ):
        found = candidates.get((row.postcode, row.street_key), set())
        if len(found) == 1:
            row.street_id = next(iter(found))
            linked += 1
        elif (row.postcode, row.street) not in not_found:
            not_found.append((row.postcode, row.street))
    session.flush()
    return linked, not_found


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    batch: list[int] = []
    for ident in ids:
        batch.append(ident)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
