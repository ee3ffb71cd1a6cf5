"""E-mail addresses: exactly one, normalized; lists, display names and header breaks refused."""

import pytest

from app.email_address import normalized_email, smtp_address
from scheduling.errors import InvalidRequest


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("jan.peeters@example.be", "jan.peeters@example.be"),
        ("  Jan.Peeters@Example.BE ", "Jan.Peeters@example.be"),  # the domain is case-free
        ("els+afspraak@pz5405.be", "els+afspraak@pz5405.be"),
        ("jan@exämple.be", "jan@exämple.be"),
    ],
)
def test_one_address_is_normalized(typed, stored):
    assert normalized_email(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "me@x.be, victim1@example.be, victim2@example.be",  # one confirmation to three people
        "me@x.be,victim1@example.be",
        "me@x.be;",
        "Jan <jan@example.be>",
        "jan@example.be\r\nBcc: victim@example.be",
        "jan\n@example.be",
        "jan@\u202eeb.elpmaxe",
        "jan\x00@example.be",
        "nope",
        "jan@localhost",
        "jän@example.be",  # an internationalized local part: a plain relay cannot carry it
        "a" * 190 + "@example.be",
        "",
    ],
)
def test_anything_but_one_address_is_refused_with_the_field(typed):
    with pytest.raises(InvalidRequest) as error:
        normalized_email(typed, field="citizen.email")
    assert error.value.field == "citizen.email"


def test_smtp_carries_an_internationalized_domain_in_ascii():
    assert smtp_address("jan@exämple.be") == "jan@xn--exmple-cua.be"
    with pytest.raises(InvalidRequest):
        smtp_address("me@x.be, victim1@example.be")
