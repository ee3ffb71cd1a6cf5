"""Belgian public holidays: no bookable moment on them."""

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _belgian_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BE", years=year).keys())


def is_public_holiday(day: date) -> bool:
    return day in _belgian_holidays(day.year)
