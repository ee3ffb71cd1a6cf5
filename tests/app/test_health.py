"""/healthz answers without the database; /readyz only when the database answers at the
migrations' head."""

import socket

from alembic.script import ScriptDirectory
from sqlalchemy import text

from app import create_app
from app.config import Config
from app.health import schema_heads
from app.migrate import MIGRATIONS
from tests.factories import TEST_SECRET_KEY


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _app_without_database(tmp_path):
    url = f"postgresql://nobody@127.0.0.1:{_closed_port()}/blauwlijn?connect_timeout=2"
    return create_app(
        Config.from_env(tmp_path, env={"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET_KEY})
    )


def test_healthz_answers_without_a_database(tmp_path):
    answer = _app_without_database(tmp_path).test_client().get("/healthz")
    assert (answer.status_code, answer.text) == (200, "ok\n")
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers


def test_readyz_at_head(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ready"}
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers


def test_readyz_refuses_a_schema_behind_the_code(client, session):
    (head,) = schema_heads()
    older = ScriptDirectory(str(MIGRATIONS)).get_revision(head).down_revision
    assert isinstance(older, str)
    session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": older})
    session.flush()
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json == {
        "status": "unavailable",
        "reason": "schema behind the code: run the release step (migrations)",
    }


def test_readyz_stays_ready_on_a_newer_releases_schema(client, session):
    """Migrations run before the processes are replaced: the old ones keep serving."""
    session.execute(text("UPDATE alembic_version SET version_num = 'zz_next_release'"))
    session.flush()
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ready", "schema": "newer than this code"}


def test_readyz_refuses_a_database_never_migrated(client, session):
    session.execute(text("DELETE FROM alembic_version"))
    session.flush()
    assert client.get("/readyz").status_code == 503


def test_readyz_refuses_when_the_database_is_unreachable(tmp_path):
    answer = _app_without_database(tmp_path).test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json == {"status": "unavailable", "reason": "database unreachable"}
    assert "nobody" not in answer.text  # the error's text (user, host) stays out
