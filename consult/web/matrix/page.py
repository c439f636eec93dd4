"""The matrix page: a document's comments as the secretariat's working table.

Filters, sorting and paging travel in the query string (a filtered matrix can
be bookmarked and shared). For the secretariat the table is also a form: each
row's disposition and observations can be saved on their own, and ticked rows
answered together (the answers module receives both).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue

from consult import labels, permissions
from consult.models import StandardAnswer
from consult.services.matrix import filters as matrix_filters
from consult.services.matrix.query import matrix_page
from consult.services.standard_answers import list_answers
from consult.services.transactions import now
from consult.web.lookup import found, user_with
from consult.web.matrix.blueprint import bp

# The columns of the table, in order: (sort key, label). Labels are the
# commenting template's, as the secretariat knows them.
COLUMNS = labels.MATRIX_COLUMNS


def page_url(slug: str, filters: matrix_filters.MatrixFilters, **changes: Any) -> str:
    """Return the URL of the matrix with `filters`, changed by `changes` (page=, sort=...)."""
    if "sort_by" in changes:
        filters = filters.sorted_by(changes.pop("sort_by"))
    if changes:
        filters = replace(filters, **changes)
    return url_for("matrix.page", slug=slug, **filters.to_args())


@bp.get("/documents/<slug>/matrix")
def page(slug: str) -> ResponseReturnValue:
    """The matrix of the document's rounds, filtered, sorted and paged by the query string."""
    user = user_with(permissions.sees_comment_counts)
    chosen = matrix_filters.parse(request.args)
    matrix = found(matrix_page, user, slug, chosen, now())
    answers: list[StandardAnswer] = list_answers() if permissions.can_manage_rounds(user) else []
    return render_template(
        "matrix/page.html",
        page=matrix,
        columns=COLUMNS,
        standard_answers=answers,
        page_url=page_url,
        can_answer=permissions.can_manage_rounds(user)
        and "matrix.answer" in current_app.view_functions,
        here=request.full_path.rstrip("?"),
        sizes=matrix_filters.PAGE_SIZES,
        next_statuses=matrix_filters.NEXT_STATUSES,
        # Pages other modules add (summary, files): linked only once they exist.
        url_rules=set(current_app.view_functions),
    )
