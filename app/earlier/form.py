"""The "text me if an earlier moment frees up" fields, read the same way on the booking's
details step and on the manage page: ``earlier`` (the box), ``earlier_location`` (any place,
only the office, only at home) and ``earlier_not_before`` (a day, optional). Errors go next
to their field in the visitor's language; what was typed stays in the form."""

import re
from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _

from app.earlier.wishes import Wish
from app.forms import Form
from scheduling.enums import LocationKind

FIELDS = ("earlier", "earlier_location", "earlier_not_before")
ANY = "any"  # the place choice's value for "wherever"
_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def choices(places: Sequence[str]) -> list[tuple[str, str]]:
    """The place choices a service allows (none when it is given in one kind of place)."""
    if len(places) < 2:
        return []
    labels = {
        LocationKind.OFFICE.value: _("Only at the office"),
        LocationKind.HOME.value: _("Only a home visit"),
    }
    return [(ANY, _("Any place"))] + [(p, labels[p]) for p in places if p in labels]


def read(
    form: Form,
    *,
    places: Sequence[str],
    mobile: bool,
    today: date,
    before: date | None,
    asked: bool = False,
) -> Wish | None:
    """The wish in ``form`` (which read ``FIELDS``), or None when the box is not ticked or a
    field is wrong (its error then in ``form.errors``). ``asked``: the form's button itself
    asks (the manage page), no box; ``before``: the appointment's day."""
    if not (asked or form.values.get("earlier")):
        return None
    if not mobile:
        form.errors["earlier"] = _(
            "We can only text a mobile number. Give a mobile number, or untick this box."
        )
    place = form.values.get("earlier_location") or ANY
    if place != ANY and place not in {value for value, _label in choices(places)}:
        form.errors["earlier_location"] = _("Choose where the earlier moment may be.")
    try:
        not_before = _day(form.values.get("earlier_not_before", ""))
    except ValueError:
        not_before = None
        form.errors["earlier_not_before"] = _("Enter a day like 14/12/2026, or leave it empty.")
    if not_before is not None and (
        not_before < today or (before is not None and not_before >= before)
    ):
        form.errors["earlier_not_before"] = _(
            "Choose a day from today on and before your appointment, or leave it empty."
        )
    if any(name in form.errors for name in FIELDS):
        return None
    return Wish(location=None if place == ANY else LocationKind(place), not_before=not_before)


def _day(raw: str) -> date | None:
    """A day typed as 2026-12-14 (the date field) or 14/12/2026; None when empty; ValueError
    when it is no day."""
    raw = raw.strip()
    if not raw:
        return None
    if found := _DAY.fullmatch(raw):
        return date(int(found[3]), int(found[2]), int(found[1]))
    return date.fromisoformat(raw)


def stored(wish: Wish | None) -> tuple[str, str]:
    """The wish as two strings (the booking draft keeps them): place ("" when none asked),
    first day (ISO or "")."""
    if wish is None:
        return "", ""
    place = wish.location.value if wish.location else ANY
    return place, wish.not_before.isoformat() if wish.not_before else ""


def from_stored(place: str, not_before: str) -> Wish | None:
    """The wish ``stored`` gave, or None."""
    if not place:
        return None
    return Wish(
        location=None if place == ANY else LocationKind(place),
        not_before=date.fromisoformat(not_before) if not_before else None,
    )


def values(wish: Wish | None) -> dict[str, str]:
    """The form's values for a wish already given (the details step shown again)."""
    place, not_before = stored(wish)
    return {
        "earlier": "1" if wish else "",
        "earlier_location": place or ANY,
        "earlier_not_before": not_before,
    }


def summary(location: LocationKind | None, not_before: date | None) -> str:
    """The wish in a few words: "any place", "only at home, not before 14/12"."""
    where = {
        None: _("any place"),
        LocationKind.OFFICE: _("only at the office"),
        LocationKind.HOME: _("only a home visit"),
    }[location]
    if not_before is None:
        return where
    return _("%(where)s, not before %(day)s", where=where, day=not_before.strftime("%d/%m"))
