"""The report flow's zone: the demo categories, a wijkagent of Plaats (Bever), whose
street is in the address register (Place in French), and a restricted team member."""

from dataclasses import dataclass

import pytest

from app.demo.report_categories import category_rows
from app.reports.models import ReportCategory
from scheduling.enums import Role
from scheduling.models import Staff, Street
from tests.factories import make_district, make_register_street, make_staff


@dataclass(frozen=True)
class Zone:
    wijkagent: Staff
    restricted: Staff
    street: Street


@pytest.fixture
def zone(session) -> Zone:
    for row in category_rows():
        session.add(ReportCategory(**row))
    wijkagent = make_staff(session, name="Inspecteur Wouters")
    district = make_district(session, wijkagent, streets=(("1547", "Plaats"),))
    restricted = make_staff(session, name="Agent Discreet", roles=(Role.RESTRICTED_TEAM,))
    street = make_register_street(session, "Plaats", "Place", number=3, lat=50.715, lon=3.933)
    district.streets[0].street_id = street.id  # linked, as the register import does
    session.commit()
    return Zone(wijkagent, restricted, street)
