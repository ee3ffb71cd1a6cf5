"""The demo zone's address register: a BeST Address CSV for its six municipalities, made in
code (the same every time, no network), which ``seed.py`` imports with the real importer.

It holds the districts' streets of ``zone.py`` and, per section (deelgemeente), common
Flemish street names a citizen will try (Kerkstraat, Stationsstraat ...), so those find a
wijkagent too. A postcode holds each name once; a postcode's common names are dealt to its
sections in turn, and a common street belongs to the district of its section. Bever, a
municipality with language facilities, names every street in French as well. House numbers
run from 1 up; coordinates lie around each section's centre, a few metres apart.

Invented: the NIS codes and street names are real, the register's ids, house numbers,
coordinates and the French names of Bever's streets are the demo's own.
"""

import csv
import io
import random
from dataclasses import dataclass
from functools import cache

from app.addresses.best import COLUMNS
from app.demo import zone as demo

REGION = "BE-VLG"
SEED = 31370


@dataclass(frozen=True)
class Municipality:
    nis_code: str
    postcode: str
    name_nl: str
    name_fr: str  # "" where the register gives none (Flanders), except facility municipalities


@dataclass(frozen=True)
class Section:
    """A deelgemeente: where its streets lie, and the district that serves them."""

    postcode: str
    name: str
    lat: float
    lon: float
    district: str  # a name in zone.DISTRICTS


MUNICIPALITIES = (
    Municipality("23023", "1755", "Gooik", ""),
    Municipality("23104", "1750", "Lennik", ""),
    Municipality("23064", "1670", "Pepingen", ""),
    Municipality("23018", "1570", "Galmaarden", ""),
    Municipality("23032", "1540", "Herne", ""),
    Municipality("23009", "1547", "Bever", "Biévène"),
)
NIS_CODES = tuple(m.nis_code for m in MUNICIPALITIES)

_GOOIK, _KESTER = "Gooik-Centrum en Leerbeek", "Kester, Oetingen en Strijland"
_LENNIK, _GAASBEEK = "Sint-Kwintens-Lennik", "Gaasbeek, Sint-Martens-Lennik en Eizeringen"
_GALMAARDEN, _TOLLEMBEEK = "Galmaarden-Centrum", "Tollembeek en Vollezele"

# The first section of a district is where its own (zone.py) streets lie.
SECTIONS = (
    Section("1755", "Gooik", 50.7950, 4.1140, _GOOIK),
    Section("1755", "Kester", 50.7660, 4.1180, _KESTER),
    Section("1755", "Leerbeek", 50.7760, 4.1240, _GOOIK),
    Section("1755", "Oetingen", 50.7720, 4.0660, _KESTER),
    Section("1750", "Sint-Kwintens-Lennik", 50.8060, 4.1620, _LENNIK),
    Section("1750", "Gaasbeek", 50.7990, 4.1990, _GAASBEEK),
    Section("1750", "Sint-Martens-Lennik", 50.8140, 4.1700, _GAASBEEK),
    Section("1750", "Eizeringen", 50.8240, 4.1140, _GAASBEEK),
    Section("1670", "Pepingen", 50.7580, 4.1600, "Pepingen en Heikruis"),
    Section("1670", "Heikruis", 50.7370, 4.1170, "Pepingen en Heikruis"),
    Section("1570", "Galmaarden", 50.7440, 3.9670, _GALMAARDEN),
    Section("1570", "Tollembeek", 50.7360, 4.0000, _TOLLEMBEEK),
    Section("1570", "Vollezele", 50.7620, 4.0250, _TOLLEMBEEK),
    Section("1540", "Herne", 50.7240, 4.0330, "Herne en Herfelingen"),
    Section("1540", "Herfelingen", 50.7370, 4.0980, "Herne en Herfelingen"),
    Section("1547", "Bever", 50.7170, 3.9450, "Bever"),
)

# Common Flemish street names, with the French name Bever gives them.
COMMON_STREETS = (
    ("Kerkstraat", "Rue de l'Église"),
    ("Stationsstraat", "Rue de la Gare"),
    ("Dorpsstraat", "Rue du Village"),
    ("Molenstraat", "Rue du Moulin"),
    ("Schoolstraat", "Rue de l'École"),
    ("Nieuwstraat", "Rue Neuve"),
    ("Kapelstraat", "Rue de la Chapelle"),
    ("Veldstraat", "Rue des Champs"),
    ("Beekstraat", "Rue du Ruisseau"),
    ("Bergstraat", "Rue de la Montagne"),
    ("Hoogstraat", "Rue Haute"),
    ("Processieweg", "Chemin de la Procession"),
    ("Kouterstraat", "Rue de la Couture"),
    ("Lindestraat", "Rue des Tilleuls"),
    ("Bosstraat", "Rue du Bois"),
    ("Pastorijstraat", "Rue du Presbytère"),
)
# Bever's own streets in French (the others keep their Dutch name in both languages).
BEVER_FRENCH = {"Plaats": "Place", "Akrenbos": "Bois d'Acren"}

HOUSES = (6, 20)  # a street has this many house numbers, at random...
# ...and a dozen beyond a police building's (the central office is Edingsesteenweg 308).
AT_LEAST = {(s.postcode, s.street): int(s.number) + 12 for s in demo.SITES}
STEP = 0.00012  # degrees between neighbouring house numbers (about ten metres)


@dataclass(frozen=True)
class GeneratedStreet:
    """A street the register holds: its names, where it lies, the district it belongs to."""

    postcode: str
    name_nl: str
    name_fr: str
    section: Section
    from_zone: bool  # one of the districts' own streets in zone.py


def streets() -> list[GeneratedStreet]:
    """Every street of the demo register: the districts' own, then the common names."""
    first_section: dict[str, Section] = {}
    for section in SECTIONS:
        first_section.setdefault(section.district, section)
    found: list[GeneratedStreet] = []
    taken: set[tuple[str, str]] = set()
    for district in demo.DISTRICTS:
        for spec in district.streets:
            if (spec.postcode, spec.street) not in taken:  # a split street is one street
                taken.add((spec.postcode, spec.street))
                found.append(
                    GeneratedStreet(
                        spec.postcode,
                        spec.street,
                        _french(spec.postcode, spec.street, BEVER_FRENCH.get(spec.street)),
                        first_section[district.name],
                        from_zone=True,
                    )
                )
    for postcode in dict.fromkeys(s.postcode for s in SECTIONS):
        sections = [s for s in SECTIONS if s.postcode == postcode]
        names = [(nl, fr) for nl, fr in COMMON_STREETS if (postcode, nl) not in taken]
        for turn, (nl, fr) in enumerate(names):
            section = sections[turn % len(sections)]
            found.append(
                GeneratedStreet(postcode, nl, _french(postcode, nl, fr), section, from_zone=False)
            )
    return found


def _french(postcode: str, name_nl: str, name_fr: str | None) -> str:
    """A French name in the municipalities that have one (Bever/Biévène), else none."""
    municipality = next(m for m in MUNICIPALITIES if m.postcode == postcode)
    return (name_fr or name_nl) if municipality.name_fr else ""


def common_streets() -> list[GeneratedStreet]:
    """The streets the demo adds to its districts (the districts' own are in zone.py)."""
    return [street for street in streets() if not street.from_zone]


@cache  # the same every time: made once per process
def best_csv() -> str:
    """The register as a BeST Address CSV (app/addresses/best.py reads it)."""
    rng = random.Random(SEED)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    address_id = 1_000_000
    for street_id, street in enumerate(streets(), start=100_001):
        municipality = next(m for m in MUNICIPALITIES if m.postcode == street.postcode)
        houses = max(rng.randint(*HOUSES), AT_LEAST.get((street.postcode, street.name_nl), 0))
        lat = street.section.lat + rng.uniform(-0.008, 0.008)
        lon = street.section.lon + rng.uniform(-0.008, 0.008)
        dlat, dlon = rng.choice(((STEP, 0.0), (0.0, STEP), (STEP * 0.7, STEP * 0.7)))
        for number in range(1, houses + 1):
            address_id += 1
            here = (lat + dlat * number, lon + dlon * number)
            x, y = _lambert72(*here)
            writer.writerow(
                {
                    "EPSG:31370_x": x,
                    "EPSG:31370_y": y,
                    "EPSG:4326_lat": f"{here[0]:.6f}",
                    "EPSG:4326_lon": f"{here[1]:.6f}",
                    "address_id": address_id,
                    "box_number": "",
                    "house_number": number,
                    "municipality_id": municipality.nis_code,
                    "municipality_name_de": "",
                    "municipality_name_fr": municipality.name_fr,
                    "municipality_name_nl": municipality.name_nl,
                    "postcode": municipality.postcode,
                    "postname_fr": municipality.name_fr,
                    "postname_nl": street.section.name,
                    "street_id": street_id,
                    "streetname_de": "",
                    "streetname_fr": street.name_fr,
                    "streetname_nl": street.name_nl,
                    "region_code": REGION,
                    "status": "current",
                }
            )
    return out.getvalue()


def _lambert72(lat: float, lon: float) -> tuple[str, str]:
    """Rough Belgian Lambert 72 metres (the importer ignores them; a real file has them)."""
    return f"{150_000 + (lon - 4.3674) * 70_400:.1f}", f"{170_000 + (lat - 50.7978) * 111_200:.1f}"
