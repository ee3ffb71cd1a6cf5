"""The start page, every page's footer and the call-back SMS say when a call-taker answers as
the zone configured it (CALLTAKER_HOURS), in the reader's language — never a fixed 07–21."""

import pytest

from app import create_app
from app.config import Config
from app.notify.messages import compose_callback
from tests.factories import TEST_SECRET_KEY

HOURS = "mon-fri 08:00-18:30; sat 09:00-12:00"
SAID = {
    "nl": "maandag tot vrijdag van 8 tot 18:30 uur, zaterdag van 9 tot 12 uur",
    "fr": "du lundi au vendredi de 8 à 18:30 heures, le samedi de 9 à 12 heures",
    "en": "Monday to Friday from 8 a.m. to 6:30 p.m., on Saturday from 9 a.m. to 12 p.m.",
}


@pytest.fixture
def zone_app(database_url, tmp_path):
    env = {"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET_KEY, "CALLTAKER_HOURS": HOURS}
    app = create_app(Config.from_env(tmp_path, env=env))
    yield app
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_start_page_and_footer_show_the_configured_hours(zone_app, language):
    page = zone_app.test_client().get(f"/?lang={language}").get_data(as_text=True)
    assert page.count(SAID[language]) == 2  # the start page's blue-number line and the footer
    for fixed in ("07:00", "7 tot 21", "7 à 21"):
        assert fixed not in page


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_call_back_sms_promises_the_configured_hours(zone_app, language):
    with zone_app.app_context():
        text = compose_callback(zone_app.config["BLAUWLIJN"], language=language)
    assert SAID[language] in text.body
