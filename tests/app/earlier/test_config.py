"""EARLIER_OFFER_MINUTES: 30 unless set, a whole number of minutes from 5 to a day."""

from pathlib import Path

import pytest

from app.config import Config
from tests.factories import TEST_SECRET_KEY


def _config(tmp_path: Path, **env: str) -> Config:
    return Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, **env})


def test_thirty_minutes_unless_set(tmp_path):
    assert _config(tmp_path).earlier_offer_minutes == 30
    assert _config(tmp_path, EARLIER_OFFER_MINUTES="45").earlier_offer_minutes == 45


@pytest.mark.parametrize("value", ["4", "1441", "half an hour", "-10", "30.5"])
def test_anything_else_stops_the_start(tmp_path, value):
    with pytest.raises(ValueError, match="EARLIER_OFFER_MINUTES"):
        _config(tmp_path, EARLIER_OFFER_MINUTES=value)
