"""Addresses as people type them: street spellings, house numbers, number ranges."""

import pytest

from scheduling.addresses import Address, canonical, district_for, house_number, street_key
from scheduling.errors import AddressNotInZone, InvalidRequest
from scheduling.models import DistrictStreet
from tests.factories import make_district, make_staff


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Edingensesteenweg", "edingensesteenweg"),
        ("edingense stwg", "edingensesteenweg"),
        ("Ninoofse-steenweg", "ninoofsesteenweg"),
        ("Alfred Algoetstr.", "alfredalgoetstraat"),
        ("  Sint-Kwintens-Lennik  ", "sintkwintenslennik"),
        ("Église", "eglise"),
    ],
)
def test_street_key_reads_spellings_alike(typed, stored):
    assert street_key(typed) == stored


@pytest.mark.parametrize(
    ("typed", "number"), [("12", 12), ("12A", 12), ("12 bus 3", 12), ("7/2", 7)]
)
def test_house_number_takes_the_numeric_part(typed, number):
    assert house_number(typed) == number


@pytest.mark.parametrize("typed", ["", "abc", "12-14-16", "-3"])
def test_not_a_house_number(typed):
    with pytest.raises(InvalidRequest):
        house_number(typed)


def test_a_street_split_between_two_districts_by_number(session):
    low, high = make_staff(session), make_staff(session)
    first = make_district(session, low, streets=())
    second = make_district(session, high, streets=())
    session.add_all(
        [
            DistrictStreet(
                district_id=first.id,
                postcode="1755",
                street="Edingensesteenweg",
                street_key="edingensesteenweg",
                number_from=1,
                number_to=199,
            ),
            DistrictStreet(
                district_id=second.id,
                postcode="1755",
                street="Edingensesteenweg",
                street_key="edingensesteenweg",
                number_from=200,
                number_to=None,
            ),
        ]
    )
    session.flush()
    assert district_for(session, Address("1755", "Edingense stwg", "199")).officer_id == low.id
    assert (
        district_for(session, Address("1755", "Edingensesteenweg", "200 bus 1")).officer_id
        == high.id
    )
    with pytest.raises(AddressNotInZone):
        district_for(session, Address("1750", "Edingensesteenweg", "10"))


def test_a_booked_address_is_stored_as_the_zone_spells_it(session):
    officer = make_staff(session)
    make_district(session, officer, streets=(("1547", "Plaats"),))
    assert canonical(session, Address("1547", " plaats ", " 1 bus 2 ")) == Address(
        "1547", "Plaats", "1 bus 2"
    )
