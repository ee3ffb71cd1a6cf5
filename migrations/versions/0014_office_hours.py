"""Offices: structured walk-in opening hours and a description per language, instead of one
free text in one language that drifted from the real hours.

Each site's free text becomes hours when it reads as hours ("ma-vr 08:00-12:00, 13:00-17:00;
za 09:00-12:00", days in Dutch, French or English); any other text is kept whole as the
Dutch description, for the zone to split into hours and texts on the sites page. Going down
writes the hours and the Dutch description back into one text.

Revision ID: 0014
Revises: 0013
"""

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Frozen here (not imported): what this migration reads must not change with the app.
_DAYS = {
    **dict.fromkeys(("ma", "maandag", "mon", "monday", "lun", "lundi"), 0),
    **dict.fromkeys(("di", "dinsdag", "tue", "tuesday", "mar", "mardi"), 1),
    **dict.fromkeys(("wo", "woensdag", "wed", "wednesday", "mer", "mercredi"), 2),
    **dict.fromkeys(("do", "donderdag", "thu", "thursday", "jeu", "jeudi"), 3),
    **dict.fromkeys(("vr", "vrijdag", "fri", "friday", "ven", "vendredi"), 4),
    **dict.fromkeys(("za", "zaterdag", "sat", "saturday", "sam", "samedi"), 5),
    **dict.fromkeys(("zo", "zondag", "sun", "sunday", "dim", "dimanche"), 6),
}
_DASH = r"\s*[-\u2013]\s*"
_CLOCK = r"(\d{1,2})[:.h](\d{2})"
_RANGE = re.compile(_CLOCK + _DASH + _CLOCK)
_PART = re.compile(
    r"([a-z]+)\.?(?:"
    + _DASH
    + r"([a-z]+)\.?)?\s+("
    + _CLOCK
    + _DASH
    + _CLOCK
    + r"(?:\s*,\s*"
    + _CLOCK
    + _DASH
    + _CLOCK
    + r")*)"
)
_EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

sites = sa.table(
    "sites",
    sa.column("id", sa.Integer),
    sa.column("opening_hours", sa.JSON),
    sa.column("description", sa.JSON),
)


def _hours(text: str) -> list[list[object]] | None:
    """The weekly windows the text states, or None when it is anything else."""
    windows: list[list[object]] = []
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text.lower()))):
        found = _PART.fullmatch(part)
        first = _DAYS.get(found[1]) if found else None
        last = _DAYS.get(found[2] or found[1]) if found else None
        if found is None or first is None or last is None or last < first:
            return None
        for span in _RANGE.finditer(found[3]):
            opens, closes = (int(span[1]), int(span[2])), (int(span[3]), int(span[4]))
            if not (opens < closes and closes[0] < 24 and max(opens[1], closes[1]) < 60):
                return None
            windows += [
                [day, f"{opens[0]:02d}:{opens[1]:02d}", f"{closes[0]:02d}:{closes[1]:02d}"]
                for day in range(first, last + 1)
            ]
    return sorted(windows) or None


def upgrade() -> None:
    bind = op.get_bind()
    texts = bind.execute(sa.text("SELECT id, opening_hours FROM sites")).all()
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_column("opening_hours")
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(
            sa.Column("opening_hours", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("description", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("sites") as batch_op:  # the app writes both, as the model says
        batch_op.alter_column("opening_hours", server_default=None)
        batch_op.alter_column("description", server_default=None)
    for ident, text in texts:
        hours = _hours(text or "")
        kept = {} if hours is not None or not (text or "").strip() else {"nl": text.strip()}
        bind.execute(
            sites.update()
            .where(sites.c.id == ident)
            .values(opening_hours=hours or [], description=kept)
        )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(sites.c.id, sites.c.opening_hours, sites.c.description)).all()
    with op.batch_alter_table("sites") as batch_op:
        batch_op.drop_column("description")
        batch_op.drop_column("opening_hours")
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(
            sa.Column("opening_hours", sa.String(length=400), nullable=False, server_default="")
        )
    with op.batch_alter_table("sites") as batch_op:
        batch_op.alter_column("opening_hours", server_default=None)
    for ident, hours, description in rows:
        stored = hours if isinstance(hours, list) else json.loads(hours or "[]")
        said = "; ".join(f"{_EN_DAYS[day]} {opens}-{closes}" for day, opens, closes in stored)
        texts = description if isinstance(description, dict) else json.loads(description or "{}")
        text = "\n".join(filter(None, (said, texts.get("nl", ""))))[:400]
        bind.execute(
            sa.text("UPDATE sites SET opening_hours = :text WHERE id = :id"),
            {"text": text, "id": ident},
        )
