"""A small reporting point for the staff pages' tests: ordinary and sensitive categories, a
question category, reports on two streets of two municipalities, English pages."""

from dataclasses import dataclass

import pytest
from freezegun import freeze_time

from app.reports.enums import CategoryKind
from app.reports.models import ReportCategory
from tests.app.reports.factories import NOW, make_category


@dataclass
class Categories:
    dumping: ReportCategory
    noise: ReportCategory
    question: ReportCategory
    sensitive: ReportCategory
    sensitive_other: ReportCategory


@pytest.fixture
def frozen():
    with freeze_time(NOW) as clock:
        yield clock


@pytest.fixture
def categories(session) -> Categories:
    def named(en: str, **kw):
        return make_category(session, names={"nl": en, "fr": en, "en": en}, **kw)

    return Categories(
        dumping=named("Illegal dumping"),
        noise=named("Noise nuisance"),
        question=named("General question", kind=CategoryKind.QUESTION),
        sensitive=named("Discrimination", sensitive=True, handled_by="restricted"),
        sensitive_other=named("Extremism", sensitive=True, handled_by="restricted"),
    )


@pytest.fixture
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
