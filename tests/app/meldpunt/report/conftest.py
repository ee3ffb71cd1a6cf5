"""The report flow's zone: the demo categories, a wijkagent of Plaats (Bever), whose
street is in the address register (Place in French), and a restricted team member."""

from dataclasses import dataclass

import pytest

from app.demo.report_categories import category_rows
from app.reports.models import ReportCategory
from scheduling.addresses import street_key
from scheduling.enums import Role
from scheduling.models import RegisterAddress, Staff, Street
from tests.factories import make_district, make_staff


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
    street = Street(
        best_id="BE-VLG:PLAATS",
        nis_code="23009",
        municipality_nl="Bever",
        municipality_fr="Biévène",
        name_nl="Plaats",
        name_fr="Place",
        key_nl=street_key("Plaats"),
        key_fr=street_key("Place"),
    )
    session.add(street)
    session.flush()
    session.add(
        RegisterAddress(
            best_id="BE-VLG:PLAATS-3",
            street_id=street.id,
            postcode="1547",
            house_number="3",
            number=3,
            lat=50.715,
            lon=3.933,
        )
    )
    district.streets[0].street_id = street.id  # linked, as the register import does
    session.commit()
    return Zone(wijkagent, restricted, street)
