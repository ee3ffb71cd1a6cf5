"""The report's question flow: which category a page is about, which questions are
answered, and where a page sends people back to when an earlier one is not.

A public category's pages live under ``/melden/<code>/...``. Every sensitive category
shares one slug, ``discreet``: the category is chosen by a form on /melden/discreet and kept
in the draft, so the address bar, the browser's history and a proxy's log never name the
subject.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import abort, redirect, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from app.db import get_session
from app.meldpunt import draft
from app.reports.enums import CategoryKind
from app.reports.models import ReportCategory

Redirect = WerkzeugResponse
ViewAnswer = str | Redirect | tuple[str, int]
DISCREET = "discreet"  # the slug of every sensitive category's pages
STEPS = ("where", "when", "what", "photos", "who", "check")  # in the order asked
REPORT_KINDS = (CategoryKind.REPORT, CategoryKind.LOST, CategoryKind.FOUND)


@dataclass
class Flow:
    slug: str  # in the URL: the category's code, or DISCREET
    category: ReportCategory
    draft: draft.Draft

    @property
    def discreet(self) -> bool:
        return self.category.sensitive

    @property
    def lost_or_found(self) -> bool:
        return self.category.kind in (CategoryKind.LOST, CategoryKind.FOUND)

    def url(self, step: str) -> str:
        return url_for(f"meldpunt.{step}", slug=self.slug)

    def next_step(self) -> str:
        """The first question not answered yet: every page sends people back there."""
        return next(s for s in STEPS if s == "check" or s not in self.draft.answered)

    def go_on(self) -> Redirect:
        return redirect(self.url(self.next_step()))

    def back(self, step: str) -> str:
        """Where "Back" leads: the question before, or the page the flow started from."""
        index = STEPS.index(step)
        if index == 0:
            return url_for("meldpunt.discreet" if self.discreet else "meldpunt.start")
        return self.url(STEPS[index - 1])


def report_categories(*, sensitive: bool) -> list[ReportCategory]:
    """The active categories a citizen reports through these pages (questions go through
    the contact form), in the order the zone made them."""
    return list(
        get_session().scalars(
            select(ReportCategory)
            .where(
                ReportCategory.active,
                ReportCategory.sensitive == sensitive,
                ReportCategory.kind.in_(REPORT_KINDS),
            )
            .order_by(ReportCategory.id)
        )
    )


def category_by_code(code: str, *, sensitive: bool) -> ReportCategory | None:
    return next((c for c in report_categories(sensitive=sensitive) if c.code == code), None)


def resolve(slug: str, step: str) -> Flow | Redirect:
    """The flow of a page: its category and this visitor's draft for it. A draft for
    another category (or one already sent) is not this flow's: the first question starts
    anew, a later one sends back to the start."""
    d = draft.load()
    if d.sent and step == "check":  # a second click on "send": the same confirmation
        return redirect(url_for("meldpunt.done"))
    if slug == DISCREET:
        category = category_by_code(d.category, sensitive=True) if not d.sent else None
        if category is None:
            return redirect(url_for("meldpunt.discreet"))
        return Flow(slug, category, d)
    category = category_by_code(slug, sensitive=False)
    if category is None:
        abort(404)
    if d.category != slug or d.sent:
        if step != STEPS[0]:
            return redirect(url_for("meldpunt.where", slug=slug))
        d = draft.new(slug)
    return Flow(slug, category, d)


def question(step: str) -> Callable[[Callable[[Flow], ViewAnswer]], Callable[[str], ViewAnswer]]:
    """A question page: called with its flow, or sent back to an earlier question."""

    def wrap(view: Callable[[Flow], ViewAnswer]) -> Callable[[str], ViewAnswer]:
        @wraps(view)
        def page(slug: str) -> ViewAnswer:
            flow = resolve(slug, step)
            if not isinstance(flow, Flow):
                return flow
            wanted = flow.next_step()
            if STEPS.index(wanted) < STEPS.index(step):
                return redirect(flow.url(wanted))
            return view(flow)

        return page

    return wrap


def answered(flow: Flow, step: str) -> Redirect:
    """Keep ``step`` as answered and go on to the next question not answered yet (after
    a change from the check page: back to the check page)."""
    if step not in flow.draft.answered:
        flow.draft.answered.append(step)
    draft.save(flow.draft)
    return flow.go_on()
