"""The bookable-moments form: rows of weekly hours, openings and closures read into a
``scheduling.moments.Plan`` with an error next to each field, and a plan written back into
fields. Rows have numbered names (``week-0-starts``); removed and empty rows are dropped and
the rest renumbered, so the page comes back exactly as it will be read next time."""

import re
from dataclasses import dataclass, field
from datetime import date, time

from flask import request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.forms import Form
from app.values import parse_clock, parse_date
from scheduling.enums import LocationKind
from scheduling.moments import Closure, Hours, Opening, Plan, Problem, problems

MAX_ROWS = 50  # per table: more is a mistake or an attack, not a week
# The fields of a row in each table (after the prefix and the row's number).
TABLES = {
    "week": ("day", "starts", "ends", "where"),
    "open": ("day", "starts", "ends", "where"),
    "close": ("day", "starts", "ends"),
}
PART_PREFIX = {"weekly": "week", "openings": "open", "closures": "close"}
PROBLEM_MESSAGES: dict[Problem, LazyString] = {
    Problem.IN_THE_PAST: _l("This day has passed: choose today or later."),
    Problem.ENDS_BEFORE_IT_STARTS: _l("The end must come after the start."),
    Problem.OUTSIDE_HOURS: _l("Choose a time between 06:00 and 22:00."),
    Problem.OVERLAPS: _l("This overlaps another row on the same day."),
}


@dataclass(frozen=True)
class Place:
    """One choice of "where": the central office, a wijkpost, home visits..."""

    value: str  # in the form: office-3, home, on_site
    label: str
    location: LocationKind
    site_id: int | None = None


def place_value(location: LocationKind, site_id: int | None) -> str:
    return f"{location.value}-{site_id}" if site_id is not None else location.value


@dataclass
class MomentsForm:
    """The fields as typed, the errors by field name, and how many rows each table shows."""

    form: Form = field(default_factory=Form)
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))

    def add_row(self, table: str) -> None:
        self.rows[table] += 1

    def hidden_fields(self) -> list[tuple[str, str]]:
        """Every value of the plan, to carry it through the confirm step unchanged."""
        return [(k, v) for k, v in self.form.values.items() if v and not k.startswith("decision-")]


def read(*, keep_empty: bool = False) -> MomentsForm:
    """The submitted rows (``keep_empty``: with their empty ones, when a row is being added)."""
    values = {"from_day": request.form.get("from_day", "").strip()[:20]}
    counts: dict[str, int] = {}
    for table, names in TABLES.items():
        shown = sorted(
            {int(m[1]) for k in request.form if (m := re.fullmatch(rf"{table}-(\d{{1,3}})-\w+", k))}
        )[:MAX_ROWS]
        kept = 0
        for i in shown:
            row = {n: request.form.get(f"{table}-{i}-{n}", "").strip()[:20] for n in names}
            empty = not (row["day"] or row["starts"] or row["ends"])
            if request.form.get(f"{table}-{i}-remove") or (empty and not keep_empty):
                continue
            values.update({f"{table}-{kept}-{n}": v for n, v in row.items()})
            kept += 1
        counts[table] = kept
    return MomentsForm(Form(values), counts)


def filled(plan: Plan) -> MomentsForm:
    """The form showing ``plan`` (the stored moments, on a first visit)."""
    values = {"from_day": plan.from_day.isoformat()}
    for i, h in enumerate(plan.weekly):
        values |= _row("week", i, str(h.weekday), h.starts, h.ends, h.location, h.site_id)
    for i, o in enumerate(plan.openings):
        values |= _row("open", i, o.on_date.isoformat(), o.starts, o.ends, o.location, o.site_id)
    for i, c in enumerate(plan.closures):
        whole = c.starts == time(0) and c.ends is None
        values |= {
            f"close-{i}-day": c.on_date.isoformat(),
            f"close-{i}-starts": "" if whole else _clock(c.starts),
            f"close-{i}-ends": _clock(c.ends) if c.ends else "",
        }
    counts = {"week": len(plan.weekly), "open": len(plan.openings), "close": len(plan.closures)}
    return MomentsForm(Form(values), counts)


def _row(
    table: str,
    i: int,
    day: str,
    starts: time,
    ends: time,
    location: LocationKind,
    site_id: int | None,
) -> dict[str, str]:
    return {
        f"{table}-{i}-day": day,
        f"{table}-{i}-starts": _clock(starts),
        f"{table}-{i}-ends": _clock(ends),
        f"{table}-{i}-where": place_value(location, site_id),
    }


def _clock(at: time) -> str:
    return at.strftime("%H:%M")


# --- Reading into a plan --------------------------------------------------------------------


def plan_of(
    moments: MomentsForm, *, staff_id: int, places: list[Place], today: date
) -> Plan | None:
    """The plan the form describes, or None with ``form.errors`` next to each field (the rows
    that can be read are checked too, so every error shows at once)."""
    form = moments.form
    from_day = _date(form, "from_day")
    by_value = {p.value: p for p in places}
    weekly, openings, closures = [], [], []
    shown: dict[str, list[int]] = {"weekly": [], "openings": [], "closures": []}  # form rows
    for i in range(moments.rows["week"]):
        day = form.values.get(f"week-{i}-day", "")
        if day not in {str(d) for d in range(7)}:
            form.errors[f"week-{i}-day"] = _("Choose a day.")
        span = _span(form, f"week-{i}")
        place = _place(form, f"week-{i}-where", by_value)
        if span and place and f"week-{i}-day" not in form.errors:
            weekly.append(Hours(int(day), *span, place.location, place.site_id))
            shown["weekly"].append(i)
    for i in range(moments.rows["open"]):
        on = _date(form, f"open-{i}-day")
        span = _span(form, f"open-{i}")
        place = _place(form, f"open-{i}-where", by_value)
        if on and span and place:
            openings.append(Opening(on, *span, place.location, place.site_id))
            shown["openings"].append(i)
    for i in range(moments.rows["close"]):
        on = _date(form, f"close-{i}-day")
        starts = _time(form, f"close-{i}-starts", optional=True)
        ends = _time(form, f"close-{i}-ends", optional=True)
        if on and f"close-{i}-starts" not in form.errors and f"close-{i}-ends" not in form.errors:
            closures.append(Closure(on, starts or time(0), ends))
            shown["closures"].append(i)
    plan = Plan(staff_id, from_day or today, tuple(weekly), tuple(openings), tuple(closures))
    for fault in problems(plan, today=today):
        if fault.part == "from_day":
            name = "from_day"
        else:
            name = f"{PART_PREFIX[fault.part]}-{shown[fault.part][fault.index]}-{fault.field}"
        form.errors.setdefault(name, str(PROBLEM_MESSAGES[fault.problem]))
    return plan if form.ok else None


def _date(form: Form, name: str) -> date | None:
    raw = form.values.get(name, "")
    if not raw:
        form.errors[name] = _("Enter a date like 31/12/2027.")
        return None
    day = parse_date(raw)
    if day is None:
        form.errors[name] = _("Enter a date like 31/12/2027.")
    return day


def _time(form: Form, name: str, *, optional: bool = False) -> time | None:
    raw = form.values.get(name, "")
    if not raw and optional:
        return None
    at = parse_clock(raw)
    if at is None:
        form.errors[name] = _("Enter a time like 09:00.")
    return at


def _span(form: Form, row: str) -> tuple[time, time] | None:
    starts, ends = _time(form, f"{row}-starts"), _time(form, f"{row}-ends")
    return (starts, ends) if starts and ends else None


def _place(form: Form, name: str, places: dict[str, Place]) -> Place | None:
    place = places.get(form.values.get(name, ""))
    if place is None:
        form.errors[name] = _("Choose where.")
    return place
