"""The Flask application: citizen pages, staff pages, Twilio webhooks and the JSON API."""

from pathlib import Path

from flask import Flask

from app import api, cli, db
from app.config import Config


def create_app(config: Config | None = None) -> Flask:
    """Build the application; ``config`` defaults to the environment (SPEC §3)."""
    app = Flask(__name__, instance_relative_config=True)
    config = config or Config.from_env(Path(app.instance_path))
    app.config["BLAUWLIJN"] = config
    app.config["SECRET_KEY"] = config.secret_key
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep fields in contract order

    db.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    return app
