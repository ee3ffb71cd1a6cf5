"""Phone numbers, the one place they are read and written: any usual Belgian or international
form in, E.164 stored, national (Belgian) or international form shown.

Every channel goes through here — the web and staff forms, the API, GALOP, the phone menu's
caller id, the console's dialler, SMS replies — so a number means the same everywhere.
"""

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

from scheduling.errors import InvalidRequest

REGION = "BE"  # how a number without +32 is read
_TEXTABLE = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


def _valid(raw: str) -> PhoneNumber | None:
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def e164_or_none(raw: str) -> str | None:
    """``raw`` as E.164, or None when it is not a real number (a withheld caller id, say)."""
    number = _valid(raw)
    return None if number is None else phonenumbers.format_number(number, PhoneNumberFormat.E164)


def to_e164(raw: str, *, field: str = "phone") -> str:
    """``raw`` as E.164; refuse (InvalidRequest on ``field``) what cannot be a real number."""
    try:
        number = phonenumbers.parse(raw, REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidRequest("Not a phone number.", field=field) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidRequest("Not a valid phone number.", field=field)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_mobile(number: str | None) -> bool:
    """Whether an SMS can reach this number (a landline gets none)."""
    parsed = _valid(number) if number else None
    return parsed is not None and phonenumbers.number_type(parsed) in _TEXTABLE


def national(number: str) -> str:
    """As people write it here: ``0470 12 34 56`` (a foreign number: ``+31 6 12345678``)."""
    parsed = phonenumbers.parse(number, REGION)
    if parsed.country_code != phonenumbers.country_code_for_region(REGION):
        return phonenumbers.format_number(parsed, PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(parsed, PhoneNumberFormat.NATIONAL)
