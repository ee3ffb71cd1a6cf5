"""/melden/discreet: the calm entry for a witness or victim of a sensitive phenomenon
(radicalisation, extremism, racism and discrimination, transgressive behaviour). The
category is chosen here by a form, not a link, and the questions that follow all live under
/melden/discreet/...: nothing in the address bar or the history names the subject."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import current
from app.forms import Form
from app.i18n import language
from app.meldpunt import bp, draft
from app.meldpunt.flow import DISCREET, ViewAnswer, category_by_code, report_categories


@bp.route("/melden/discreet", methods=["GET", "POST"])
def discreet() -> ViewAnswer:
    d = draft.load()
    going = not d.sent and category_by_code(d.category, sensitive=True) is not None
    form = Form({"category": d.category if going else ""})
    if request.method == "POST":
        form = Form.read("category")
        chosen = category_by_code(form.values["category"], sensitive=True)
        if chosen is None:
            form.errors["category"] = _("Choose what you want to tell us about.")
        else:
            if going:  # back here to choose again: the answers so far stay
                d.category = chosen.code
            else:
                if not d.sent:
                    draft.drop_photos(d, current.config().report_uploads_dir)
                d = draft.new(chosen.code)
            draft.save(d)
            return redirect(url_for("meldpunt.where", slug=DISCREET))
    options = [(c.code, c.name(language()), "") for c in report_categories(sensitive=True)]
    return render_template("meldpunt/discreet.html", form=form, options=options, discreet=True)
