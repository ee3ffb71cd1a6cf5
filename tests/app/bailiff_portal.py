"""Helpers of the portal tests: an office with a signed-in user, the kinds of execution, and
the request form as the portal posts it."""

from datetime import UTC, datetime
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assistance.models import ExecutionKind, OfficeUser
from tests.factories import NOW, make_bailiff
from tests.office_login import make_office_user
from tests.staff_login import csrf_of

NOW_UTC = datetime.fromisoformat(NOW)
THURSDAY_8 = datetime(2026, 12, 3, 7, 0, tzinfo=UTC)  # 08:00 in Brussels


def make_kinds(session: Session) -> None:
    """Eviction and seizure (the ``bailiff_service`` fixture may have made eviction)."""
    have = set(session.scalars(select(ExecutionKind.code)))
    kinds = [
        ExecutionKind(
            code="eviction", name_nl="Uithuiszetting", name_fr="Expulsion", name_en="Eviction"
        ),
        ExecutionKind(code="seizure", name_nl="Beslag", name_fr="Saisie", name_en="Seizure"),
    ]
    session.add_all(k for k in kinds if k.code not in have)
    session.flush()


def open_session(client: FlaskClient, user: OfficeUser, *, at: datetime = NOW_UTC) -> None:
    """Signed in at ``at`` (the frozen now) as the sign-in pages leave the session, without
    walking them (tests/office_login.py walks them)."""
    t = int(at.timestamp())
    with client.session_transaction() as state:
        state["office"] = {"id": user.id, "v": user.auth_version, "at": t, "seen": t}


def signed_in_office(
    client: FlaskClient, session: Session, *, token: str = "office-token", **kw: Any
) -> OfficeUser:
    """A new office (nl unless ``language=``) with one user, signed in on ``client``."""
    office = make_bailiff(session, token=token, **kw)
    user = make_office_user(
        session, office, email=f"griet-{office.id}@kantoor.example.be", name="Griet Van Damme"
    )
    session.commit()
    open_session(client, user)
    return user


def request_form(**overrides: str) -> dict[str, str]:
    """The request as an office fills it in: Plaats 3 in Bever, Thursday's window."""
    return {
        "postcode": "1547",
        "street": "Plaats",
        "number": "3",
        "file_reference": "DOS-2026-0042",
        "execution_kind": "eviction",
        "duration_minutes": "120",
        "officers": "2",
        "known_aggression": "yes",
        "weapons": "no",
        "dogs": "yes",
        "vulnerable_persons": "no",
        "interpreter_needed": "no",
        "notes": "Achterdeur via de tuin.",
        "first_day": "2026-12-03",
        "last_day": "2026-12-10",
        **overrides,
    }


def post_request(client: FlaskClient, **overrides: str) -> Any:
    data = {"csrf_token": csrf_of(client, "/deurwaarder/aanvraag"), **request_form(**overrides)}
    return client.post("/deurwaarder/aanvraag", data=data)
