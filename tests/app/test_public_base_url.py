"""Links in SMS, calendar files and invitations point where the zone's web server answers."""

from app.config import Config
from tests.factories import TEST_SECRET_KEY


def _base(tmp_path, **env: str) -> str:
    return Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, **env}).public_base_url


def test_without_port_or_address_links_point_at_make_runs_default(tmp_path):
    assert _base(tmp_path) == "http://127.0.0.1:5000"


def test_port_alone_moves_the_links_with_the_server(tmp_path):
    assert _base(tmp_path, PORT="8000") == "http://127.0.0.1:8000"


def test_a_configured_address_wins_over_the_port(tmp_path):
    assert _base(tmp_path, PORT="8000", PUBLIC_BASE_URL="https://blauw.example/") == (
        "https://blauw.example"
    )
