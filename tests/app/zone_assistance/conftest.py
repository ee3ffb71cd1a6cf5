"""A bailiff-assistance team for the zone's pages: two officers on site Wednesday 08–12 in
the district of Kerkstraat, Bever; the service (two officers, up to four); a kind of
execution; an office; and ``book`` to book assistance as the office's case software does."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from app.assistance import commands as assistance
from app.assistance.models import ExecutionKind
from scheduling.addresses import Address
from scheduling.enums import Channel, LocationKind
from scheduling.models import BailiffAccount, Booking, Service, Staff
from tests.factories import (
    ZONE,
    make_assistance_service,
    make_bailiff,
    make_district,
    make_staff,
    make_weekly,
)

NOW_UTC = datetime(2026, 12, 1, 8, tzinfo=UTC)  # tests.factories.NOW: Tuesday 09:00 in Brussels
WEDNESDAY = date(2026, 12, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE).astimezone(UTC)


@dataclass
class Team:
    app: Flask
    session: Session
    lead: Staff
    second: Staff
    service: Service
    office: BailiffAccount
    kind: ExecutionKind

    def book(self, start: datetime, *, risks: assistance.Risks | None = None, **kw: Any) -> Booking:
        request = assistance.AssistanceRequest(
            address=Address("1547", "Kerkstraat", "1"),
            file_reference=kw.pop("file_reference", "DW/2026/0042"),
            execution_kind=self.kind.code,
            officers=kw.pop("officers", 2),
            duration_minutes=kw.pop("duration_minutes", 120),
            risks=risks or assistance.Risks(),
            notes=kw.pop("notes", ""),
        )
        booked = assistance.book(
            self.session,
            request,
            start=start,
            who=kw.pop("who", None) or assistance.OfficeActor(self.office, Channel.API, token_id=1),
            now=kw.pop("now", NOW_UTC),
            config=self.app.config["BLAUWLIJN"],
        )
        return booked.booking


@pytest.fixture
def team(app: Flask, session: Session) -> Team:
    lead = make_staff(session, name="Inspecteur Lemmens")
    second = make_staff(session, name="Inspecteur Dewaele")
    make_district(session, lead, streets=(("1547", "Kerkstraat"),))
    for person in (lead, second):
        make_weekly(
            session, person, weekday=2, starts=time(8), ends=time(12), location=LocationKind.ON_SITE
        )
    service = make_assistance_service(session, team=(lead, second), min_notice_minutes=60)
    kind = ExecutionKind(
        code="eviction", name_nl="Uithuiszetting", name_fr="Expulsion", name_en="Eviction"
    )
    session.add(kind)
    office = make_bailiff(session, name="Deurwaarders Van Damme", language="fr")
    session.flush()
    return Team(app, session, lead, second, service, office, kind)
