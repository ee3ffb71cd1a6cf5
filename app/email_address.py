"""E-mail addresses at the edge: exactly one address in, its normalized form out."""

from email_validator import EmailNotValidError, ValidatedEmail, validate_email

from scheduling.errors import InvalidRequest

MAX_LENGTH = 200  # as Booking.citizen_email and Staff.email store it


def _validated(raw: str, field: str) -> ValidatedEmail:
    # No DNS look-up (a typo'd domain is the citizen's own loss, and tests run offline); no
    # internationalized local part, which a plain SMTP relay cannot carry.
    text = raw.strip()
    if len(text) > MAX_LENGTH:
        raise InvalidRequest("Not an e-mail address.", field=field)
    try:
        return validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise InvalidRequest("Not an e-mail address.", field=field) from exc


def normalized_email(raw: str, *, field: str = "email") -> str:
    """The one address ``raw`` holds, normalized (the domain in lower case), or
    InvalidRequest naming ``field``: a list (``a@x.be, b@y.be``), a display name, a line
    break or any other header trick is refused here, before it can reach a mail header."""
    return str(_validated(raw, field).normalized)


def smtp_address(address: str) -> str:
    """``address`` as SMTP carries it (an internationalized domain in its xn-- form), by the
    same rules; InvalidRequest when it is not exactly one valid address."""
    found = _validated(address, "email")
    return str(found.ascii_email or found.normalized)
