"""The privacy page and the legal notice: what they show comes from the zone's configuration
(the same periods the purge applies), and every citizen page links to them."""

import html

import pytest
from freezegun import freeze_time

from app import create_app
from app.config import Config
from tests.app.web_walk import walk_to_check
from tests.factories import NOW, TEST_SECRET_KEY


@pytest.fixture
def zone_app(database_url, postgres_only, tmp_path):
    config = Config.from_env(
        tmp_path,
        env={
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET_KEY,
            "RETENTION_APPOINTMENT_DAYS": "200",
            "RETENTION_CONTACT_DAYS": "30",
            "DPO_NAME": "Els Vermeulen",
            "DPO_EMAIL": "dpo@pzvoorbeeld.be",
            "ZONE_PUBLISHER": "Politiezone Voorbeeld",
            "ZONE_ADDRESS": "Markt 1, 9999 Voorbeeld",
            "ZONE_ENTERPRISE_NUMBER": "BE 0212 345 668",
        },
    )
    app = create_app(config)
    yield app
    app.extensions["db_engine"].dispose()


def test_the_privacy_page_shows_the_periods_the_purge_applies_and_the_dpo(zone_app):
    page = zone_app.test_client().get("/privacy?lang=nl").get_data(as_text=True)
    assert "200 dagen na de dag van de afspraak" in page
    assert "30 dagen na de oproep" in page
    assert "Els Vermeulen" in page
    assert 'href="mailto:dpo@pzvoorbeeld.be"' in page
    assert "Controleorgaan op de politionele informatie" in page
    assert 'href="https://www.controleorgaan.be"' in page
    assert "2 uur na uw laatste antwoord" in page  # a booking draft's lifetime
    assert "365" not in page


def test_the_privacy_page_in_french_names_the_coc_as_it_calls_itself(zone_app):
    page = zone_app.test_client().get("/privacy?lang=fr").get_data(as_text=True)
    assert "Organe de contrôle de l'information policière" in html.unescape(page)
    assert 'href="https://www.organedecontrole.be"' in page
    assert "200 jours après le jour du rendez-vous" in page


def test_the_legal_notice_names_the_publisher_and_the_one_cookie(zone_app):
    page = zone_app.test_client().get("/legal?lang=en").get_data(as_text=True)
    assert "Politiezone Voorbeeld" in page
    assert "Markt 1, 9999 Voorbeeld" in page
    assert "0212.345.668" in page  # written as the register writes it
    assert "one cookie, the session cookie" in page
    assert 'href="/privacy"' in page


@pytest.mark.parametrize("value", ["0212.345.669", "212345668", "BE0212345668X"])
def test_a_mistyped_enterprise_number_stops_the_start(tmp_path, value):
    with pytest.raises(ValueError, match="ZONE_ENTERPRISE_NUMBER"):
        Config.from_env(
            tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, "ZONE_ENTERPRISE_NUMBER": value}
        )


def test_a_dpo_address_that_is_not_one_address_stops_the_start(tmp_path):
    with pytest.raises(ValueError, match="DPO_EMAIL"):
        Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY, "DPO_EMAIL": "dpo at zone"})


@pytest.mark.parametrize(
    "path", ["/", "/officer", "/book", "/accessibility", "/privacy", "/legal", "/no-such-page"]
)
def test_every_citizen_page_links_privacy_and_legal_notice_in_its_footer(client, officer, path):
    page = client.get(path + "?lang=nl").get_data(as_text=True)
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert '<a href="/privacy">Privacy</a>' in footer
    assert '<a href="/legal">Juridische informatie</a>' in footer


@freeze_time(NOW)
def test_the_details_step_links_the_privacy_page_and_states_the_configured_period(client, officer):
    client.get("/?lang=nl")
    walk_to_check(client)
    details = client.get("/book/details").get_data(as_text=True)
    form = details.split('<details class="privacy">', 1)[1]
    assert "We wissen ze 365 dagen na de dag van de afspraak" in form
    assert 'href="/privacy"' in form


def test_the_privacy_page_states_each_categorys_period_as_the_purge_reads_it(app, client, session):
    """The reporting point's periods are data per category (ReportCategory.retention_days)."""
    from tests.app.reports.factories import make_category

    make_category(session, names={"nl": "Sluikstort", "fr": "Dépôt", "en": "Dumping"})
    make_category(
        session,
        names={"nl": "Discriminatie", "fr": "Discrimination", "en": "Discrimination"},
        sensitive=True,
        retention_days=730,
    )
    make_category(session, names={"nl": "Oud", "fr": "Vieux", "en": "Old"}, active=False)
    page = html.unescape(client.get("/privacy?lang=nl").get_data(as_text=True))
    assert "730 dagen: Discriminatie." in page
    assert "Sluikstort" in page
    assert "Oud" not in page  # an inactive category takes no new reports
