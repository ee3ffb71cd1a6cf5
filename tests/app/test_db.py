"""Database URLs as hosting platforms give them reach the psycopg 3 driver."""

import pytest

from app.db import make_engine


@pytest.mark.parametrize("url", ["postgres://u@db.example/zone", "postgresql://u@db.example/zone"])
def test_plain_postgres_urls_use_psycopg(url):
    engine = make_engine(url)
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()
