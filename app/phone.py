"""Phone numbers at the edge: any usual Belgian or international form in, E.164 out."""

import phonenumbers

from scheduling.errors import InvalidRequest


def to_e164(raw: str, *, field: str = "phone") -> str:
    """Parse with Belgium as the default region; refuse what cannot be a real number."""
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException as exc:
        raise InvalidRequest("Not a phone number.", field=field) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidRequest("Not a valid phone number.", field=field)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
