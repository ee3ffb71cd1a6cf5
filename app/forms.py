"""Reading form fields with errors in the user's language, and what was typed kept."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from flask import request
from flask_babel import gettext as _

from app.email_address import normalized_email
from app.phone import to_e164
from app.text import is_plain
from scheduling.errors import InvalidRequest

FIELD_LENGTH = 200  # what a name or a one-line answer may hold (the columns' length)


def not_plain_message() -> str:
    """The error next to a field that holds a control or direction character."""
    return _(
        "Remove the special characters (control or text direction characters) from this field."
    )


@dataclass
class Form:
    """The submitted values and the errors per field, for re-rendering next to each field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(
        cls,
        *names: str,
        source: Mapping[str, str] | None = None,
        multiline: Collection[str] = (),
    ) -> "Form":
        """The fields ``names`` of the posted form (or of ``source``, a query string),
        each refused when it holds a control or direction character (tabs and line
        breaks only in the ``multiline`` ones, the textareas)."""
        given = request.form if source is None else source
        form = cls({n: given.get(n, "").strip() for n in names})
        for name, value in form.values.items():
            if not is_plain(value, multiline=name in multiline):
                form.errors[name] = not_plain_message()
        return form

    def required(self, name: str, message: str) -> str:
        value = self.values.get(name, "")
        if name in self.errors:
            return value
        if not value:
            self.errors[name] = message
        elif not is_plain(value):
            self.errors[name] = not_plain_message()
        elif len(value) > FIELD_LENGTH:
            self.errors[name] = _(
                "Keep it to %(length)d characters (this is %(given)d).",
                length=FIELD_LENGTH,
                given=len(value),
            )
        return value

    def phone(self, name: str) -> str:
        raw = self.required(name, _("Enter your mobile number."))
        if raw and name not in self.errors:
            try:
                return to_e164(raw)
            except InvalidRequest:
                self.errors[name] = _("Enter a mobile number like 0470 12 34 56.")
        return raw

    def email(self, name: str, message: str) -> str:
        """The optional e-mail address in ``name``, normalized; ``message`` when it is not
        exactly one address. Empty stays empty."""
        raw = self.values.get(name, "")
        if not raw or name in self.errors:
            return raw
        try:
            return normalized_email(raw, field=name)
        except InvalidRequest:
            self.errors[name] = message
        return raw

    @property
    def ok(self) -> bool:
        return not self.errors
