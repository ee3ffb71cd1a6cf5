"""The capacity rule's form: rows of rule lines (weekday, from, until, officers) and rows of
closed days (date, reason), read with an error next to each field, and the stored rule
written back into fields. As on the bookable-moments form (app/staff/moments_form.py): rows
have numbered names (``rule-0-starts``), removed and empty rows are dropped and the rest
renumbered, so the page comes back exactly as it will be read next time."""

import re
from dataclasses import dataclass, field
from datetime import date, time

from flask import request
from flask_babel import gettext as _

from app.forms import Form
from app.staff.admin import common
from app.values import parse_clock, parse_date
from scheduling.models import AssistanceCapacityRule, AssistanceClosedDay

MAX_ROWS = 50  # per table: more is a mistake or an attack, not a week
MAX_OFFICERS = 50
REASON_LIMIT = 200  # AssistanceClosedDay.reason
TABLES = {"rule": ("day", "starts", "ends", "officers"), "closed": ("day", "reason")}


@dataclass
class CapacityForm:
    """The fields as typed, the errors by field name, and how many rows each table shows."""

    form: Form = field(default_factory=Form)
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))


@dataclass(frozen=True)
class Rule:
    """What the form describes, ready to replace the stored rule."""

    lines: list[tuple[int, time, time, int]]
    closed: list[tuple[date, str]]


def read(*, keep_empty: bool = False) -> CapacityForm:
    """The submitted rows (``keep_empty``: with their empty ones, when a row is being added)."""
    values: dict[str, str] = {}
    counts: dict[str, int] = {}
    for table, names in TABLES.items():
        shown = sorted(
            {int(m[1]) for k in request.form if (m := re.fullmatch(rf"{table}-(\d{{1,3}})-\w+", k))}
        )[:MAX_ROWS]
        kept = 0
        for i in shown:
            row = {n: request.form.get(f"{table}-{i}-{n}", "").strip() for n in names}
            empty = not any(row.values())
            if request.form.get(f"{table}-{i}-remove") or (empty and not keep_empty):
                continue
            values.update({f"{table}-{kept}-{n}": v for n, v in row.items()})
            kept += 1
        counts[table] = kept
    form = Form(values)
    for name in values:  # the check Form.read makes (control characters...)
        if name.endswith("-reason"):
            common.read_text(form, name, limit=REASON_LIMIT)
    return CapacityForm(form, counts)


def filled(lines: list[AssistanceCapacityRule], closed: list[AssistanceClosedDay]) -> CapacityForm:
    """The form showing the stored rule."""
    values: dict[str, str] = {}
    for i, line in enumerate(lines):
        values |= {
            f"rule-{i}-day": str(line.weekday),
            f"rule-{i}-starts": line.starts.strftime("%H:%M"),
            f"rule-{i}-ends": line.ends.strftime("%H:%M"),
            f"rule-{i}-officers": str(line.officers),
        }
    for i, day in enumerate(closed):
        values |= {f"closed-{i}-day": day.day.isoformat(), f"closed-{i}-reason": day.reason}
    return CapacityForm(Form(values), {"rule": len(lines), "closed": len(closed)})


def rule_of(capacity: CapacityForm, *, today: date) -> Rule | None:
    """The rule the form describes, or None with an error next to each field at fault."""
    form = capacity.form
    lines, closed = [], []
    for i in range(capacity.rows["rule"]):
        p = f"rule-{i}-"
        day = form.values.get(p + "day", "")
        if day not in {str(d) for d in range(7)}:
            form.errors[p + "day"] = _("Choose a day.")
        starts, ends = _time(form, p + "starts"), _time(form, p + "ends")
        if starts and ends and ends <= starts:
            form.errors[p + "ends"] = _("The end must come after the start.")
        officers = common.read_int(form, p + "officers", 0, MAX_OFFICERS)
        if starts and ends and officers is not None and p + "day" not in form.errors:
            lines.append((int(day), starts, ends, officers))
    seen: set[date] = set()
    for i in range(capacity.rows["closed"]):
        p = f"closed-{i}-"
        raw = form.values.get(p + "day", "")
        on = parse_date(raw) if raw else None
        if on is None:
            form.errors[p + "day"] = _("Enter a date like 31/12/2027.")
        elif on < today:
            form.errors[p + "day"] = _("This day has passed: choose today or later.")
        elif on in seen:
            form.errors[p + "day"] = _("This day is already in the list.")
        else:
            seen.add(on)
            closed.append((on, form.values.get(p + "reason", "")))
    return Rule(lines, closed) if form.ok else None


def _time(form: Form, name: str) -> time | None:
    """A time on the quarter hour: the rule is counted out per quarter hour, and a part of
    one would silently count for nothing."""
    at = parse_clock(form.values.get(name, ""))
    if at is None:
        form.errors[name] = _("Enter a time like 08:00.")
        return None
    if at.minute % 15:
        form.errors[name] = _("Choose a time on the quarter hour, like 08:15.")
        return None
    return at
