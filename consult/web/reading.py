"""Reading documents, versions and clauses."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template
from markupsafe import Markup

from consult.domain.rendering import markdown_to_html
from consult.models import Clause
from consult.services import drafts
from consult.services.errors import NotFound

bp = Blueprint("reading", __name__)


@dataclass(frozen=True)
class ClauseView:
    """A clause ready to show: its depth in the tree and its body as safe HTML."""

    clause: Clause
    depth: int
    html: Markup


def clause_views(clauses: list[Clause]) -> list[ClauseView]:
    """Return the clauses in document order with their depth and rendered text."""
    depth: dict[str, int] = {}
    views = []
    for clause in clauses:
        level = depth.get(clause.parent_key, -1) + 1 if clause.parent_key else 0
        depth[clause.key] = level
        views.append(ClauseView(clause, level, Markup(markdown_to_html(clause.text))))
    return views


@bp.get("/")
def index() -> str:
    """List every document with its versions."""
    return render_template("reading/index.html", documents=drafts.list_documents())


@bp.get("/documents/<slug>/v<int:number>")
def version(slug: str, number: int) -> str:
    """Show one version as its tree of clauses."""
    try:
        found = drafts.get_version(slug, number)
    except NotFound:
        abort(404)
    return render_template(
        "reading/version.html", version=found, clauses=clause_views(found.clauses)
    )
