"""Menu 4, practical information: short, the caller's own office first and the others on
request, the emergency numbers once, the same facts in every language."""

import re
from datetime import time

import pytest
from freezegun import freeze_time
from sqlalchemy import select

from app.hours_text import hours_in_words
from scheduling.hours import Hours
from scheduling.models import District, Site
from tests.api_calls import book_by_api
from tests.factories import NOW, make_site
from tests.ivr.walks import LANGUAGES, dial_in

CENTRAL = "Politiehuis Pajottenland"


@pytest.fixture
def offices(session, officer):
    """A main office and a second wijkpost beside the officer's Wijkpost Bever, which is
    the office of the district of tests/factories.py's ADDRESS."""
    make_site(
        session,
        name=CENTRAL,
        street="Edingsesteenweg",
        number="308",
        postcode="1755",
        municipality="Gooik",
        is_central=True,
    )
    make_site(session, name="Wijkpost Herne", street="Centrum", number="15", municipality="Herne")
    bever = session.scalars(select(Site).where(Site.name == "Wijkpost Bever")).one()
    session.scalars(select(District)).one().site_id = bever.id
    session.commit()


def _information(phone, language: str, **kw: object) -> tuple[object, list[str]]:
    walker = dial_in(phone, language, **kw)
    return walker, walker.press("4")


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_caller_with_an_appointment_hears_their_own_office_first(
    client, officer, offices, phone, said, language
):
    book_by_api(client, officer)  # Plaats 3, Bever: the district of Wijkpost Bever
    walker, heard = _information(phone, language)
    assert heard[0] == said(
        language,
        "Your office is %(name)s, %(street)s %(number)s in %(municipality)s.",
        name="Wijkpost Bever",
        street="Plaats",
        number="10",
        municipality="Bever",
    )
    assert not any(CENTRAL in line or "Herne" in line for line in heard)  # on request
    others = walker.press("1")
    assert any(CENTRAL in line and "Wijkpost Herne" in line for line in others)
    assert not any("Wijkpost Bever" in line for line in others)
    assert walker.last.find("Gather").get("action").startswith("/ivr/info")


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_caller_hears_the_main_office_first(offices, phone, language):
    walker, heard = _information(phone, language, caller="+32475000111")
    assert CENTRAL in heard[0]
    assert not any("Wijkpost" in line for line in heard)
    assert any("Wijkpost Bever" in line for line in walker.press("1"))


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_emergency_numbers_once(offices, phone, language):
    walker, heard = _information(phone, language)
    assert sum("112" in line for line in heard) == 1
    assert sum("101" in line for line in heard) == 1
    assert not any("112" in line for line in walker.press("1"))  # the other offices


@freeze_time(NOW)
def test_the_same_facts_in_every_language(app, client, officer, offices, phone, said):
    book_by_api(client, officer)
    config = app.config["BLAUWLIJN"]

    def facts(language: str) -> tuple[list[str], list[str], bool]:
        walker, heard = _information(phone, language)
        hours = said(
            language,
            "Our call-takers answer this number %(hours)s, except on public holidays.",
            hours=hours_in_words(config.calltaker_hours, language),
        )
        # The hours are spoken as each language says them (7 p.m., 19 heures): compared as a
        # whole sentence; the rest by the offices' names and every number said.
        rest = " ".join(line for line in [*heard, *walker.press("1")] if line != hours)
        names = re.findall(r"(?:Wijkpost|Politiehuis) \w+", rest)
        return names, re.findall(r"\d+", rest), hours in heard

    assert facts("fr") == facts("nl") == facts("en")


@freeze_time(NOW)
def test_the_information_menu_keys(offices, phone, said):
    walker, _heard = _information(phone, "en")
    assert walker.press("7")[0] == said("en", "Sorry, that key is not in the menu.")
    assert CENTRAL in walker.press("0")[0]  # the caller's office again
    walker.press("*")
    assert walker.last.find("Gather").get("action").startswith("/ivr/menu")


@freeze_time(NOW)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_main_office_s_walk_in_hours_are_said_in_the_caller_s_language(
    session, offices, phone, said, language
):
    """Hours the zone enters once (the sites page) and the menu says in every language;
    an office by appointment only says no hours."""
    central = session.scalars(select(Site).where(Site.name == CENTRAL)).one()
    central.hours = tuple(
        (day, time(opens), time(closes))
        for day in range(5)
        for opens, closes in ((8, 12), (13, 17))
    )
    session.commit()
    _walker, heard = _information(phone, language, caller="+32475000111")
    spoken = hours_in_words(Hours(central.hours), language)
    assert heard[1] == said(language, "Open without appointment %(hours)s.", hours=spoken)
    assert {"nl": "maandag", "fr": "lundi", "en": "Monday"}[language] in heard[1]

    central.hours = ()
    session.commit()
    _walker, heard = _information(phone, language, caller="+32475000112")
    assert not any(spoken in line for line in heard)
