"""The demo zone's villages (its sections, deelgemeenten, as the register lays them out) and
the driving times between them, as plain data: what a zone enters on its villages page.

Invented: the minutes are made from the distance between the centres (roads about 1.4 times
the straight line, 45 km/h on country roads) plus five minutes to park and walk up; within
one village a drive takes four minutes."""

from math import asin, cos, radians, sin, sqrt

from app.demo import zone as demo
from app.demo.register import SECTIONS, Section

ROAD_FACTOR = 1.4
SPEED_KMH = 45
PARKING_MINUTES = 5
WITHIN_VILLAGE_MINUTES = 4

# Where each police building stands (a section of register.SECTIONS).
SITE_VILLAGES = {
    demo.CENTRAL_SITE: "Kester",
    "wp-kester": "Kester",
    "wp-lennik": "Sint-Kwintens-Lennik",
    "wp-pepingen": "Pepingen",
    "wp-galmaarden": "Galmaarden",
    "wp-herne": "Herne",
    "wp-bever": "Bever",
}


def villages() -> tuple[Section, ...]:
    return SECTIONS


def _km(a: Section, b: Section) -> float:
    """Great-circle distance between two centres."""
    lat1, lon1, lat2, lon2 = map(radians, (a.lat, a.lon, b.lat, b.lon))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * asin(sqrt(h))


def minutes(a: Section, b: Section) -> int:
    """The demo's driving time from one village to another."""
    if a == b:
        return WITHIN_VILLAGE_MINUTES
    return round(PARKING_MINUTES + _km(a, b) * ROAD_FACTOR / SPEED_KMH * 60)
