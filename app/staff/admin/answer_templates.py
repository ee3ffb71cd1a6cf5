"""Answer templates (/staff/admin/answer-templates): the ready answers the intake desk starts
from when it answers a question, each with a title and a text in Dutch, French and English
(all three required: the citizen is answered in their own language). Admins and supervisors
list, add, edit and deactivate them (a deactivated template is kept, not offered); each
change is an audit entry (``answer_template_added`` / ``answer_template_updated``).

Templates are the zone's wording, not a case: they are written here, like the other
managers' pages, not through app.reports.commands (which writes reports)."""

import re
import unicodedata

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app import ratelimit
from app.db import get_session
from app.forms import Form
from app.i18n import LANGUAGES, language
from app.reports.models import AnswerTemplate
from app.staff import bp
from app.staff.access import MANAGERS, staff_required
from app.staff.admin import common
from app.staff.labels import LANGUAGE_NAMES
from scheduling.models import Staff

TITLE_LIMIT = 200
TEXT_LIMIT = 5000  # as long as an answer may be (app.reports.commands.MAX_MESSAGE)
TITLES = tuple(f"title_{lang}" for lang in LANGUAGES)
TEXTS = tuple(f"text_{lang}" for lang in LANGUAGES)
CODE_LIMIT = 40


@bp.get("/admin/answer-templates")
@staff_required(*MANAGERS)
def admin_answer_templates(me: Staff) -> str:
    templates = get_session().scalars(
        select(AnswerTemplate).order_by(AnswerTemplate.active.desc(), AnswerTemplate.code)
    )
    return render_template(
        "staff/admin/answer_templates.html", templates=list(templates), lang=language()
    )


def _values_of(template: AnswerTemplate) -> dict[str, str]:
    values = {f"title_{lang}": template.titles.get(lang, "") for lang in LANGUAGES}
    values |= {f"text_{lang}": template.texts.get(lang, "") for lang in LANGUAGES}
    return values | {"active": "yes" if template.active else ""}


def _read(form: Form) -> tuple[dict[str, str], dict[str, str]] | None:
    """The titles and texts per language, each required; None with the errors in ``form``."""
    titles = {
        lang: common.read_text(
            form,
            f"title_{lang}",
            limit=TITLE_LIMIT,
            missing=_("Enter the title in %(language)s.", language=LANGUAGE_NAMES[lang]),
        )
        for lang in LANGUAGES
    }
    texts = {
        lang: common.read_text(
            form,
            f"text_{lang}",
            limit=TEXT_LIMIT,
            lines=True,
            missing=_("Enter the text in %(language)s.", language=LANGUAGE_NAMES[lang]),
        )
        for lang in LANGUAGES
    }
    return (titles, texts) if form.ok else None


def _posted() -> Form:
    return Form.read(*TITLES, *TEXTS, "active", multiline=TEXTS)


def new_code(english_title: str) -> str:
    """A code made from the English title ("Not a police matter" → "not-a-police-matter"),
    numbered when taken: staff never type one, the demo seed finds its own by it."""
    plain = unicodedata.normalize("NFKD", english_title).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[: CODE_LIMIT - 4] or "template"
    taken = set(get_session().scalars(select(AnswerTemplate.code)))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


@bp.route("/admin/answer-templates/new", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_answer_template_new(me: Staff) -> str | WerkzeugResponse:
    form = Form({"active": "yes"})
    if request.method == "POST":
        ratelimit.hit_or_refuse("admin-staff", str(me.id))
        form = _posted()
        read = _read(form)
        if read is not None:
            titles, texts = read
            template = AnswerTemplate(
                code=new_code(titles["en"]), titles=titles, texts=texts, active=True
            )
            session = get_session()
            session.add(template)
            session.flush()
            common.audit(
                "answer_template_added", {"template_id": template.id, "code": template.code}
            )
            flash(_("The answer template is added."), "success")
            return redirect(url_for("staff.admin_answer_templates"))
    return render_template(
        "staff/admin/answer_template_edit.html", template=None, form=form, languages=LANGUAGE_NAMES
    )


@bp.route("/admin/answer-templates/<int:ident>", methods=["GET", "POST"])
@staff_required(*MANAGERS)
def admin_answer_template(me: Staff, ident: int) -> str | WerkzeugResponse:
    template = common.load(AnswerTemplate, ident)
    form = Form(_values_of(template))
    if request.method == "POST":
        ratelimit.hit_or_refuse("admin-staff", str(me.id))
        form = _posted()
        read = _read(form)
        if read is not None:
            titles, texts = read
            values = {"titles": titles, "texts": texts, "active": form.values["active"] == "yes"}
            changed = common.apply_changes(template, values)
            if changed:
                get_session().flush()
                common.audit(
                    "answer_template_updated",
                    {"template_id": template.id, "code": template.code, "changed": changed},
                )
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("staff.admin_answer_templates"))
    return render_template(
        "staff/admin/answer_template_edit.html",
        template=template,
        form=form,
        languages=LANGUAGE_NAMES,
    )
