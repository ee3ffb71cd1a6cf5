"""Phone numbers in any usual form become E.164; nonsense is refused with the field named."""

import pytest

from app.phone import to_e164
from scheduling.errors import InvalidRequest


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("0470 12 34 56", "+32470123456"),
        ("0470/12.34.56", "+32470123456"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0032470123456", "+32470123456"),
        ("054 31 35 01", "+3254313501"),
        ("+31 6 12345678", "+31612345678"),
    ],
)
def test_usual_forms(typed, e164):
    assert to_e164(typed) == e164


@pytest.mark.parametrize("typed", ["", "12", "hallo", "+32 470", "0470 12 34 56 78 90"])
def test_refused_with_the_field(typed):
    with pytest.raises(InvalidRequest) as error:
        to_e164(typed, field="citizen.phone")
    assert error.value.field == "citizen.phone"
