"""The matrix summary: counts of a document's comments, as tables and as bar charts.

Open to everyone who reads comments (the secretariat, drafters and
stakeholders; admins read none): each sees the counts of the comments the
rounds' rules let them see. The filters are the matrix's, in the query
string; a round of another document in them is left out, and the page says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from consult import labels, permissions
from consult.domain import charts
from consult.services.matrix import filters as matrix_filters
from consult.services.matrix.summary import matrix_summary
from consult.services.transactions import now
from consult.web.lookup import found, user_with
from consult.web.matrix.blueprint import bp

# The filters the summary's own form sets; the others ride along as hidden fields.
_FORM_FIELDS = frozenset({"round", "kind", "type"})
# Sorting, paging and layout mean nothing to counts.
_NOT_FILTERS = frozenset({"sort", "order", "view", "page", "per_page"})


class Counted(Protocol):
    """Anything the charts draw: a label and a count."""

    @property
    def label(self) -> str: ...

    @property
    def count(self) -> int: ...


def bar_chart(bars: Sequence[Counted], title: str, ident: str) -> Markup:
    """Return the SVG chart of `bars`; the table that follows it gives the same numbers."""
    svg = charts.bar_chart(
        [(bar.label, bar.count) for bar in bars],
        title=title,
        description=_(
            "A horizontal bar chart, one bar per line of the table that follows it, "
            "with each number written at the end of its bar."
        ),
        ident=ident,
    )
    return Markup(svg)  # charts.bar_chart escapes every text it draws


@bp.get("/documents/<slug>/matrix/summary")
def summary(slug: str) -> str:
    """Show the counts of the document's comments the reader may see, by the matrix's filters."""
    user = user_with(permissions.sees_comment_counts)
    chosen = matrix_filters.parse(request.args)
    result = found(matrix_summary, user, slug, chosen, now())
    args = chosen.to_args()
    kept = [
        (name, value)
        for name, values in args.items()
        if name not in _FORM_FIELDS | _NOT_FILTERS
        for value in (values if isinstance(values, list) else [values])
    ]
    # The matrix page is the lead's; link to it once it is registered.
    matrix_url = (
        url_for("matrix.page", slug=slug, **{k: v for k, v in args.items() if k != "page"})
        if "matrix.page" in current_app.view_functions
        else None
    )
    return render_template(
        "matrix/summary.html",
        summary=result,
        filters=chosen,
        hidden_fields=kept,
        matrix_url=matrix_url,
        bar_chart=bar_chart,
        kinds=labels.ORGANISATION_KINDS,
        types=labels.COMMENT_TYPES,
    )
