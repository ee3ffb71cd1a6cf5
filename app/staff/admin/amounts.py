"""A service's rules as staff say them — "30 minutes", "24 hours", "2 days", "6 weeks" — and
read back from a number and a unit. The database keeps minutes (the horizon: days); nobody
should have to type 1440 to mean a day."""

from dataclasses import dataclass

from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.forms import Form

MINUTES_IN = {"minutes": 1, "hours": 60, "days": 24 * 60, "weeks": 7 * 24 * 60}
UNIT_NAMES = {
    "minutes": _l("minutes"),
    "hours": _l("hours"),
    "days": _l("days"),
    "weeks": _l("weeks"),
}


@dataclass(frozen=True)
class Rule:
    """A number of a service, stored in ``stored`` units, entered in one of ``units``
    (smallest first), kept between ``low`` and ``high`` stored units."""

    field: str
    label: LazyString
    units: tuple[str, ...]
    low: int
    high: int
    stored: str = "minutes"

    @property
    def unit_field(self) -> str:
        return f"{self.field}_unit"

    def minutes(self, value: int) -> int:
        return value * MINUTES_IN[self.stored]

    def split(self, value: int) -> tuple[int, str]:
        """The stored value in the largest unit that says it exactly: 1440 → (1, "days")."""
        minutes = self.minutes(value)
        for unit in reversed(self.units):
            if minutes and minutes % MINUTES_IN[unit] == 0:
                return minutes // MINUTES_IN[unit], unit
        return minutes // MINUTES_IN[self.units[0]], self.units[0]

    def in_words(self, value: int) -> str:
        return in_words(*self.split(value))

    def form_values(self, value: int) -> dict[str, str]:
        number, unit = self.split(value)
        return {self.field: str(number), self.unit_field: unit}

    def read(self, form: Form) -> int | None:
        """The stored value the form's number and unit say, else None with the error next to
        the number field (what was typed stays in the form)."""
        raw, unit = form.values.get(self.field, ""), form.values.get(self.unit_field, "")
        if not raw:
            form.errors[self.field] = _("Enter a number.")
            return None
        if not raw.isascii() or not raw.isdigit():
            form.errors[self.field] = _("Enter a whole number, like %(example)d.", example=1)
            return None
        if unit not in self.units:
            form.errors[self.field] = _("Choose a unit from the list.")
            return None
        number = int(raw) if len(raw) <= 9 else 10**9  # no need to read a million digits
        minutes = number * MINUTES_IN[unit]
        per_stored = MINUTES_IN[self.stored]
        if minutes % per_stored or not self.low <= minutes // per_stored <= self.high:
            form.errors[self.field] = _(
                "Enter from %(low)s to %(high)s.",
                low=self.in_words(self.low),
                high=self.in_words(self.high),
            )
            return None
        return minutes // per_stored


def in_words(number: int, unit: str) -> str:
    if unit == "weeks":
        return ngettext("%(num)d week", "%(num)d weeks", number)
    if unit == "days":
        return ngettext("%(num)d day", "%(num)d days", number)
    if unit == "hours":
        return ngettext("%(num)d hour", "%(num)d hours", number)
    return ngettext("%(num)d minute", "%(num)d minutes", number)
