"""GET services and a service's definition: the zone's active, public report categories.

Sensitive categories are never listed nor defined (their existence is shown on the citizen
pages, where the help lines are; a map of them is not ours to give). Questions of the
contact form are not geographic reports: they are left out too."""

from typing import Any

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.db import get_session
from app.open311 import bp, params
from app.open311.render import Failure, answer, check_format
from app.reports.enums import CategoryKind, QuestionType
from app.reports.models import ReportCategory

PUBLIC_KINDS = (CategoryKind.REPORT, CategoryKind.LOST, CategoryKind.FOUND)
OBJECT_TYPE = "object_type"
# Lost and found reports say what the object is (a wallet, keys): a question every such
# category asks first, as the citizen pages do, though it is no question of the category's.
_OBJECT_QUESTION: dict[str, Any] = {
    "code": OBJECT_TYPE,
    "names": {
        "nl": "Wat voor voorwerp?",
        "fr": "Quel type d'objet ?",
        "en": "What kind of object?",
    },
    "type": QuestionType.TEXT,
    "required": True,
}


def questions_of(category: ReportCategory) -> list[dict[str, Any]]:
    """The category's questions as Open311 attributes (lost and found: the object first)."""
    lost_or_found = category.kind in (CategoryKind.LOST, CategoryKind.FOUND)
    return [*([_OBJECT_QUESTION] if lost_or_found else []), *category.questions]


def public_categories() -> list[ReportCategory]:
    """What Open311 may show: active, not sensitive, not the contact form's questions."""
    return list(
        get_session().scalars(
            select(ReportCategory)
            .where(
                ReportCategory.active.is_(True),
                ReportCategory.sensitive.is_(False),
                ReportCategory.kind.in_(PUBLIC_KINDS),
            )
            .order_by(ReportCategory.id)
        )
    )


@bp.get("/services.<response_format>")
def list_services(response_format: str) -> Response:
    check_format(response_format)
    lang = params.language()
    with force_locale(lang):
        rows = [_service(category, lang) for category in public_categories()]
    return answer(rows, response_format, root="services", item="service")


@bp.get("/services/<code>.<response_format>")
def service_definition(code: str, response_format: str) -> Response:
    check_format(response_format)
    lang = params.language()
    category = next((c for c in public_categories() if c.code == code), None)
    if category is None:
        raise Failure(404, "No such service_code.")
    body = {
        "service_code": category.code,
        "attributes": [
            _attribute(question, order, lang)
            for order, question in enumerate(questions_of(category), start=1)
        ],
    }
    return answer(body, response_format, root="service_definition")


def _service(category: ReportCategory, lang: str) -> dict[str, Any]:
    lost_or_found = category.kind in (CategoryKind.LOST, CategoryKind.FOUND)
    return {
        "service_code": category.code,
        "service_name": category.name(lang),
        "description": _description(category.kind),
        "metadata": bool(questions_of(category)),
        "type": "realtime",
        # Its names in the other languages: a client searching in French finds it too.
        "keywords": ", ".join(
            name for language, name in sorted(category.names.items()) if language != lang
        ),
        "group": _("Lost and found") if lost_or_found else _("Reports to the police"),
    }


def _description(kind: CategoryKind) -> str:
    if kind == CategoryKind.LOST:
        return _("An object that was lost in the zone.")
    if kind == CategoryKind.FOUND:
        return _("An object that was found in the zone.")
    return _("Something to report to the local police that is not an emergency.")


def _attribute(question: dict[str, Any], order: int, lang: str) -> dict[str, Any]:
    choice = question.get("type") == QuestionType.CHOICE
    names: dict[str, str] = question.get("names", {})
    return {
        "variable": True,
        "code": question["code"],
        "datatype": "singlevaluelist" if choice else "string",
        "required": bool(question.get("required", False)),
        "datatype_description": None,
        "order": order,
        "description": names.get(lang) or names.get("nl") or question["code"],
        "values": [
            {
                "key": option["code"],
                "name": option["names"].get(lang) or option["names"].get("nl") or option["code"],
            }
            for option in question.get("options", [])
        ]
        if choice
        else [],
    }
