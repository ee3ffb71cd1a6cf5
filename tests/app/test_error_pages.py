"""Errors answer calmly in the visitor's language with the blue number; the API keeps
problem details."""

import pytest
from flask import abort

from app import create_app
from app.config import Config
from tests.factories import TEST_SECRET_KEY

BLUE_NUMBER = "054 31 35 01"
NOT_FOUND = {
    "nl": "Deze pagina bestaat niet",
    "fr": "Cette page n'existe pas",
    "en": "This page does not exist",
}
TITLES = {
    429: {"nl": "Te veel pogingen", "fr": "Trop de tentatives", "en": "Too many attempts"},
    500: {
        "nl": "Er ging bij ons iets mis",
        "fr": "Un problème est survenu de notre côté",
        "en": "Something went wrong on our side",
    },
    400: {"nl": "Dit is niet gelukt", "fr": "Cela n'a pas fonctionné", "en": "This did not work"},
}


def _is_calm_page(response, language: str, title: str) -> None:
    page = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert f'<html lang="{language}">' in page
    assert f"<h1>{title}</h1>" in page.replace("&#39;", "'")
    assert BLUE_NUMBER in page.split("<footer")[0]  # in the message itself, not only the footer
    assert "werkzeug" not in page.lower()


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_stale_sms_link_gets_a_calm_page_in_the_visitors_language(client, language):
    response = client.get(f"/appointment/{'x' * 32}?lang={language}")
    assert response.status_code == 404
    _is_calm_page(response, language, NOT_FOUND[language])


def test_an_unknown_page_is_answered_in_the_browsers_language(client):
    response = client.get("/no/such/page", headers={"Accept-Language": "fr-BE,fr;q=0.9"})
    assert response.status_code == 404
    _is_calm_page(response, "fr", NOT_FOUND["fr"])


def test_the_api_keeps_problem_details(client):
    response = client.get("/api/v1/bookings/" + "x" * 32)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404
    assert unknown.mimetype == "application/problem+json"


@pytest.fixture
def failing_app(tmp_path):
    """An app as production runs it (errors are not re-raised to the test), with pages that
    refuse or fail."""
    app = create_app(Config.from_env(tmp_path, env={"SECRET_KEY": TEST_SECRET_KEY}))

    @app.get("/book/too-often")
    def too_often() -> str:
        abort(429)

    @app.get("/book/broken")
    def broken() -> str:
        raise RuntimeError("boom")

    @app.get("/api/v1/broken")
    def api_broken() -> str:
        raise RuntimeError("boom")

    yield app
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize(("path", "status"), [("/book/too-often", 429), ("/book/broken", 500)])
def test_too_many_attempts_and_our_own_failure_get_calm_pages(failing_app, language, path, status):
    response = failing_app.test_client().get(f"{path}?lang={language}")
    assert response.status_code == status
    _is_calm_page(response, language, TITLES[status][language])


def test_a_form_without_its_csrf_token_gets_a_calm_page(failing_app):
    response = failing_app.test_client().post("/book?lang=nl", data={"service": "wijkagent"})
    assert response.status_code == 400
    _is_calm_page(response, "nl", TITLES[400]["nl"])


def test_an_api_failure_stays_a_problem(failing_app):
    response = failing_app.test_client().get("/api/v1/broken")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
