"""Belgian enterprise numbers (KBO/BCE), the one place they are read: the zone's own on the
legal notice (app.config) and a bailiff office's (the zone's admin pages)."""

from scheduling.errors import InvalidRequest


def enterprise_number(raw: str, *, field: str = "enterprise_number") -> str:
    """``raw`` as the register writes it, 0123.456.749, or InvalidRequest naming ``field``.

    Ten digits, the last two 97 minus the first eight modulo 97; "BE", dots and spaces are
    allowed around them (people copy it from a VAT number or a letterhead)."""
    digits = raw.strip().upper().removeprefix("BE").replace(".", "").replace(" ", "")
    if not (
        len(digits) == 10
        and digits.isascii()
        and digits.isdigit()
        and int(digits[-2:]) == 97 - int(digits[:8]) % 97
    ):
        raise InvalidRequest("Not a valid Belgian enterprise number.", field=field)
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
