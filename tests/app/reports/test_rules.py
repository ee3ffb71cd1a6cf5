"""Routing, duplicates and lost/found matches (on both databases, without Flask)."""

from datetime import timedelta

from app.reports.commands import Place
from app.reports.enums import CategoryKind
from app.reports.matching import (
    Facts,
    duplicate_candidates,
    is_duplicate,
    is_possible_match,
    lost_found_matches,
)
from app.reports.routing import INTAKE, Assignment, route
from scheduling.addresses import Address
from tests.app.reports.factories import BXL, NOW, make_category, submit
from tests.factories import make_district, make_staff


def test_an_address_goes_to_its_wijkagent_unless_the_category_names_a_team(session):
    officer = make_staff(session)
    make_district(session, officer, streets=(("1547", "Plaats"),))
    plaats = Address("1547", "plaats", "3")
    assert route(session, handled_by=None, address=plaats) == Assignment(staff_id=officer.id)
    assert route(session, handled_by="integrity", address=plaats) == Assignment(team="integrity")
    assert route(session, handled_by=None, address=Address("1547", "Elders", "3")) == INTAKE
    assert route(session, handled_by=None, address=Address("15", "Plaats", "x")) == INTAKE
    assert route(session, handled_by=None, address=None).intake


def facts(**kw) -> Facts:
    base = {
        "id": 1,
        "category_id": 1,
        "kind": CategoryKind.REPORT,
        "street_id": 7,
        "postcode": "1547",
        "street_name": "Plaats",
        "municipality": "Bever",
        "object_type": None,
        "occurred_at": None,
        "created_at": NOW,
    }
    return Facts(**{**base, **kw})


def test_duplicates_are_one_category_one_street_a_few_days_apart():
    a = facts()
    assert is_duplicate(a, facts(id=2, created_at=NOW + timedelta(days=7)))
    assert not is_duplicate(a, facts(id=2, created_at=NOW + timedelta(days=8)))
    assert not is_duplicate(a, facts(id=2, category_id=2))
    assert not is_duplicate(a, facts(id=2, street_id=8))
    assert not is_duplicate(a, a)
    by_name = facts(street_id=None, street_name="Plaats")
    assert is_duplicate(by_name, facts(id=2, street_id=None, street_name="plaats "))
    assert not is_duplicate(
        facts(street_id=None, street_name=None), facts(id=2, street_id=None, street_name=None)
    )


def test_lost_and_found_match_on_type_municipality_and_iso_week():
    lost = facts(kind=CategoryKind.LOST, object_type="wallet", street_id=None)
    found = facts(
        id=2, category_id=2, kind=CategoryKind.FOUND, object_type="Wallet", street_id=None
    )
    assert is_possible_match(lost, found, zone=BXL)
    assert not is_possible_match(
        lost, facts(id=2, kind=CategoryKind.LOST, object_type="wallet"), zone=BXL
    )
    assert not is_possible_match(lost, facts(**{**found.__dict__, "object_type": "keys"}), zone=BXL)
    assert not is_possible_match(
        lost, facts(**{**found.__dict__, "municipality": "Herne"}), zone=BXL
    )
    # Tuesday 1 December and Monday 7 December 2026 lie in different ISO weeks.
    next_week = facts(**{**found.__dict__, "occurred_at": NOW + timedelta(days=6)})
    assert not is_possible_match(lost, next_week, zone=BXL)
    # Sunday 6 December 23:30 in Brussels (22:30 UTC) is still that ISO week.
    sunday_night = facts(
        **{**found.__dict__, "occurred_at": NOW + timedelta(days=5, hours=13, minutes=30)}
    )
    assert is_possible_match(lost, sunday_night, zone=BXL)


def test_the_queries_find_the_candidates_the_rules_name(session):
    dumping = make_category(session)
    first = submit(session, dumping)
    same = submit(session, dumping, now=NOW + timedelta(days=2))
    submit(session, dumping, now=NOW + timedelta(days=9))  # too late
    submit(session, dumping, place=Place(street_name="Markt", house_number="1", postcode="1547"))
    assert duplicate_candidates(session, first) == [same]

    lost_kind = make_category(session, kind=CategoryKind.LOST)
    found_kind = make_category(session, kind=CategoryKind.FOUND)
    bever = Place(municipality="Bever", landmark="Bushalte Kerk")
    lost = submit(session, lost_kind, place=bever, object_type="wallet")
    found = submit(
        session, found_kind, place=bever, object_type="WALLET", now=NOW + timedelta(days=1)
    )
    submit(session, found_kind, place=bever, object_type="keys")
    assert lost_found_matches(session, lost, zone=BXL) == [found]
    assert lost_found_matches(session, found, zone=BXL) == [lost]
