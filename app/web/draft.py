"""The booking being put together, question by question, kept in the signed session cookie."""

from dataclasses import asdict, dataclass, fields
from datetime import datetime

from flask import session

from scheduling.addresses import Address

KEY = "draft"


@dataclass
class Draft:
    service: str = ""
    invitation_code: str = ""
    postcode: str = ""
    street: str = ""
    number: str = ""
    location: str = ""
    start: str = ""  # ISO 8601 with offset
    staff_id: int = 0
    name: str = ""
    phone: str = ""
    email: str = ""
    topic: str = ""

    @property
    def address(self) -> Address | None:
        if self.postcode and self.street and self.number:
            return Address(self.postcode, self.street, self.number)
        return None

    @property
    def start_at(self) -> datetime | None:
        return datetime.fromisoformat(self.start) if self.start else None


def load() -> Draft:
    stored = session.get(KEY) or {}
    known = {f.name for f in fields(Draft)}
    return Draft(**{k: v for k, v in stored.items() if k in known})


def save(draft: Draft) -> None:
    session[KEY] = asdict(draft)


def clear() -> None:
    session.pop(KEY, None)
