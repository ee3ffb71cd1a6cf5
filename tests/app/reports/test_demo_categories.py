"""The demo zone's categories: every one the issue names, in three languages, once."""

from sqlalchemy import select

from app.demo import seed
from app.reports.access import RESTRICTED_TEAM
from app.reports.enums import CategoryKind
from app.reports.models import ReportCategory


def test_the_demo_categories_are_loaded_once_with_three_languages(session):
    seed._insert_report_categories(session)
    seed._insert_report_categories(session)  # a zone loaded before: nothing twice
    categories = {c.code: c for c in session.scalars(select(ReportCategory))}
    assert set(categories) >= {
        "nuisance",
        "traffic_danger",
        "illegal_dumping",
        "found_object",
        "lost_object",
        "other",
        "question",
        "radicalisation",
        "extremism",
        "discrimination",
        "transgressive_behaviour",
    }
    assert all(
        set(c.names) == {"nl", "fr", "en"} and all(c.names.values()) for c in categories.values()
    )
    sensitive = {code for code, c in categories.items() if c.sensitive}
    assert sensitive == {"radicalisation", "extremism", "discrimination", "transgressive_behaviour"}
    assert {categories[code].handled_by for code in sensitive} == {RESTRICTED_TEAM}
    assert categories["illegal_dumping"].handled_by is None  # the address's wijkagent
    assert categories["question"].kind == CategoryKind.QUESTION
    assert (categories["lost_object"].kind, categories["found_object"].kind) == (
        CategoryKind.LOST,
        CategoryKind.FOUND,
    )
