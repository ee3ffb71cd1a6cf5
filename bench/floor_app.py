"""The product app plus two bench routes, so the floor runs in the same server process.

    gunicorn -w 4 'bench.floor_app:app'

``/bench/floor`` touches no database and no template: what it costs is gunicorn, Werkzeug
routing and Flask's request cycle (including the app's own before/after hooks), the least
any API request pays. ``/bench/one-query`` adds one trivial SQL query. The product app
itself (``create_app``) gains no route.
"""

from app import create_app

app = create_app()


@app.get("/bench/floor")
def bench_floor() -> str:
    return "ok"


@app.get("/bench/one-query")
def bench_one_query() -> str:
    """The floor plus what any database-backed request pays: a pooled session, one
    trivial SELECT and the commit of the app's one-transaction-per-request hook."""
    from sqlalchemy import text

    from app.db import get_session

    return str(get_session().execute(text("SELECT 1")).scalar_one())
