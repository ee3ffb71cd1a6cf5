"""app.assistance.commands' two searches: first_moments (the whole request checked, as the
portal sends it) and team_moments (before a file or kind is known, as the API searches)."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from app.assistance.commands import AssistanceRequest, first_moments, team_moments
from scheduling.addresses import Address
from scheduling.errors import SchedulingError
from tests.factories import NOW, make_api_officer

THURSDAY = date(2026, 12, 3)
REQUEST = AssistanceRequest(
    address=Address("1547", "Plaats", "3"),
    file_reference="DW-2026-0042",
    execution_kind="eviction",
    officers=2,
    duration_minutes=120,
)


@pytest.fixture
def officer(session):
    return make_api_officer(session)


def _window(app, first_day=THURSDAY, last_day=THURSDAY):
    return {
        "first_day": first_day,
        "last_day": last_day,
        "now": datetime.fromisoformat(NOW),
        "config": app.config["BLAUWLIJN"],
    }


def test_both_searches_find_the_same_moments(app, session, bailiff_service):
    found = first_moments(session, REQUEST, **_window(app))
    assert [m.start.isoformat() for m in found] == [
        "2026-12-03T07:00:00+00:00",
        "2026-12-03T09:00:00+00:00",
    ]
    assert (
        team_moments(session, REQUEST.address, officers=2, duration_minutes=120, **_window(app))
        == found
    )
    assert (
        team_moments(session, REQUEST.address, officers=None, duration_minutes=None, **_window(app))
        == found
    )  # the service's own two officers for two hours


@pytest.mark.parametrize(
    ("change", "window", "field"),
    [
        ({"file_reference": " "}, {}, "file_reference"),
        ({"execution_kind": "bribery"}, {}, "execution_kind"),
        ({"officers": 5}, {}, "officers"),
        ({"duration_minutes": 500}, {}, "duration_minutes"),
        ({}, {"first_day": date(2026, 11, 30)}, "first_day"),
        ({}, {"last_day": date(2026, 12, 2)}, "last_day"),
        ({"address": Address("1000", "Wetstraat", "16")}, {}, "street"),
    ],
)
def test_first_moments_checks_the_whole_request(
    app, session, bailiff_service, change, window, field
):
    with pytest.raises(SchedulingError) as refused:
        first_moments(session, replace(REQUEST, **change), **_window(app, **window))
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("kw", "window", "field"),
    [
        ({"officers": 5}, {}, "officers"),
        ({"duration_minutes": 50}, {}, "duration_minutes"),
        ({}, {"first_day": date(2026, 11, 30)}, "first_day"),
        ({"address": Address("1000", "Wetstraat", "16")}, {}, "street"),
    ],
)
def test_team_moments_checks_what_it_is_given(app, session, bailiff_service, kw, window, field):
    given = {"address": REQUEST.address, "officers": None, "duration_minutes": None, **kw}
    with pytest.raises(SchedulingError) as refused:
        team_moments(session, given.pop("address"), **given, **_window(app, **window))
    assert refused.value.field == field
