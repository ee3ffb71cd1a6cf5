"""MUNICIPALITY_EMAILS: where the intake desk forwards a report, per municipality."""

import pytest

from app.config import DEMO_MUNICIPALITY_EMAILS, Config
from tests.factories import TEST_SECRET_KEY


def _config(tmp_path, **env: str) -> Config:
    return Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, **env})


def test_pairs_are_read_and_looked_up_by_municipality_in_any_case(tmp_path):
    config = _config(tmp_path, MUNICIPALITY_EMAILS="Gooik=Milieu@Gooik.example.be; Lennik = a@b.be")
    assert config.municipality_email("gooik") == "Milieu@gooik.example.be"
    assert config.municipality_email("Lennik") == "a@b.be"
    assert config.municipality_email("Herne") is None
    assert config.municipality_email(None) is None


def test_unset_there_are_none_except_the_demo_zones_in_demo_mode(tmp_path):
    assert _config(tmp_path).municipality_emails == ()
    demo = _config(tmp_path, BLAUWLIJN_DEMO="1")
    assert demo.municipality_emails == DEMO_MUNICIPALITY_EMAILS
    assert len(demo.municipality_emails) == 6


@pytest.mark.parametrize(
    "bad", ["Gooik", "=a@b.be", "Gooik=a@b.be, c@d.be", "Gooik=not-an-address"]
)
def test_a_bad_pair_stops_the_start(tmp_path, bad):
    with pytest.raises(ValueError, match="MUNICIPALITY_EMAILS"):
        _config(tmp_path, MUNICIPALITY_EMAILS=bad)
