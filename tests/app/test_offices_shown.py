"""The citizen pages show each office in the page's language: its description (else the
zone's Dutch one), its walk-in hours as the zone entered them, and its hours by appointment
as the officers' weekly office windows make them — a window that ends, starts later or is
a one-off or a home visit does not count, so the text cannot drift from what is bookable."""

import dataclasses
import html
from datetime import date, time

import pytest
from freezegun import freeze_time

from scheduling.enums import LocationKind
from scheduling.hours import parse_hours
from scheduling.models import Site
from tests.api_calls import book_by_api
from tests.factories import make_one_off, make_site, make_staff, make_weekly

NOW = "2026-12-01T08:00:00Z"  # Tuesday 09:00 in Brussels
TEXTS = {"nl": "Bel aan bij de ingang.", "fr": "Sonnez à l'entrée."}


def _page(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, answer.status_code
    return html.unescape(answer.get_data(as_text=True))


def _office_block(page: str, name: str) -> str:
    """The start page's list item of one office."""
    items = [item for item in page.split("<li>") if f"<h3>{name}</h3>" in item]
    assert len(items) == 1, name
    return items[0].split("</li>")[0]


@pytest.fixture
def offices(session, officer):
    """The officer's wijkpost (Wednesday 9-12 by appointment, no walk-in) and a main office
    open on weekdays, with a split Monday."""
    wijkpost = session.query(Site).filter_by(name="Wijkpost Bever").one()
    wijkpost.description = dict(TEXTS)
    main = make_site(session, name="Politiehuis", is_central=True)
    split_monday = ((0, time(8), time(12)), (0, time(13), time(17)))
    main.hours = (*split_monday, *((day, time(8), time(16, 30)) for day in range(1, 5)))
    session.commit()
    return wijkpost


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("language", "walk_in", "by_appointment", "text"),
    [
        ("nl", "ma 08:00–12:00, 13:00–17:00; di–vr 08:00–16:30", "wo 09:00–12:00", TEXTS["nl"]),
        (
            "fr",
            "lun. 08:00–12:00, 13:00–17:00; mar.–ven. 08:00–16:30",
            "mer. 09:00–12:00",
            TEXTS["fr"],
        ),
        (
            "en",
            "Mon 08:00–12:00, 13:00–17:00; Tue–Fri 08:00–16:30",
            "Wed 09:00–12:00",
            TEXTS["nl"],  # no English text: the zone's own
        ),
    ],
)
def test_the_start_page_shows_each_offices_hours_in_the_pages_language(
    client, offices, language, walk_in, by_appointment, text
):
    page = _page(client, f"/?lang={language}")
    main = _office_block(page, "Politiehuis")
    assert f"<dd>{walk_in}</dd>" in main
    wijkpost = _office_block(page, "Wijkpost Bever")
    assert f"<dd>{by_appointment}</dd>" in wijkpost
    assert text in wijkpost
    assert walk_in not in wijkpost  # no walk-in hours: by appointment only


@freeze_time(NOW)
def test_hours_by_appointment_come_from_the_windows_in_force_this_coming_week(
    client, session, offices, officer
):
    colleague = make_staff(session, name="Inspecteur Claes")
    make_weekly(session, colleague, weekday=2, starts=time(11), ends=time(13), site=offices)
    make_weekly(session, colleague, weekday=0, starts=time(15), ends=time(19), site=offices)
    ended = date(2026, 11, 30)  # yesterday: its Thursday is gone
    make_weekly(
        session, officer, weekday=3, starts=time(9), ends=time(12), site=offices, valid_until=ended
    )
    ends_wednesday = date(2026, 12, 2)  # so its Friday does not come
    make_weekly(
        session,
        officer,
        weekday=4,
        starts=time(14),
        ends=time(17),
        site=offices,
        valid_until=ends_wednesday,
    )
    later = date(2026, 12, 20)  # a new pattern from a later week: not yet
    make_weekly(
        session, officer, weekday=4, starts=time(9), ends=time(12), site=offices, valid_from=later
    )
    make_weekly(
        session, officer, weekday=1, starts=time(13), ends=time(17), location=LocationKind.HOME
    )
    make_one_off(session, officer, on=date(2026, 12, 5), starts=time(9), ends=time(12))
    session.commit()
    wijkpost = _office_block(_page(client, "/?lang=nl"), "Wijkpost Bever")
    assert "<dt>Op afspraak</dt><dd>ma 15:00–19:00; wo 09:00–13:00</dd>" in wijkpost


@freeze_time(NOW)
def test_the_zones_closing_days_of_the_coming_month_are_named(client, app, offices, monkeypatch):
    config = app.config["BLAUWLIJN"]
    hours = parse_hours("mon-fri 07:00-21:00", "2026-12-24,2027-03-01")
    monkeypatch.setitem(app.config, "BLAUWLIJN", dataclasses.replace(config, calltaker_hours=hours))
    page = _page(client, "/?lang=fr")
    assert "Les bureaux sont fermés les jours fériés. Fermés aussi le jeudi 24 décembre." in page
    assert "mars" not in page  # more than a month ahead


@freeze_time(NOW)
def test_the_officer_page_says_where_and_when_that_officer_receives(client, session, offices):
    other = make_staff(session, name="Inspecteur Claes")
    make_weekly(session, other, weekday=0, starts=time(15), ends=time(19), site=offices)
    session.commit()
    page = _page(client, "/officer?postcode=1547&street=Plaats&number=3&lang=fr")
    assert "<h2>Wijkpost Bever</h2>" in page
    assert "<dd>mer. 09:00–12:00</dd>" in page
    assert "lun." not in page  # the colleague's Monday is not this officer's
    assert TEXTS["fr"] in page


@freeze_time(NOW)
def test_the_appointment_page_describes_the_office_in_the_pages_language(client, offices, officer):
    token = book_by_api(client, officer)["manage_token"]
    assert TEXTS["fr"] in _page(client, f"/appointment/{token}?lang=fr")
    assert TEXTS["nl"] in _page(client, f"/appointment/{token}?lang=nl")
