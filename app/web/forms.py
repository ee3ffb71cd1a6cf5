"""Reading form fields with errors in the user's language, and what was typed kept."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import request
from flask_babel import gettext as _

from app.phone import to_e164
from scheduling.errors import InvalidRequest


@dataclass
class Form:
    """The submitted values and the errors per field, for re-rendering next to each field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, *names: str) -> "Form":
        return cls({n: request.form.get(n, "").strip() for n in names})

    def required(self, name: str, message: str) -> str:
        value = self.values.get(name, "")
        if not value:
            self.errors[name] = message
        elif len(value) > 200 or any(ord(c) < 32 for c in value):
            self.errors[name] = _("This is not valid.")
        return value

    def phone(self, name: str) -> str:
        raw = self.required(name, _("Enter your mobile number."))
        if raw and name not in self.errors:
            try:
                return to_e164(raw)
            except InvalidRequest:
                self.errors[name] = _("Enter a mobile number like 0470 12 34 56.")
        return raw

    @property
    def ok(self) -> bool:
        return not self.errors


# The browser's date input sends ISO dates; people type Belgian ones.
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(raw: str) -> date | None:
    """A date as a browser sends it or a person types it (31/12/2026), else None."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(raw.strip(), pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None
