"""Reading documents, versions and clauses (every signed-in user).

A draft version is shown only to those `can_read_version` allows; to
anyone else it does not exist: a 404, and it is left out of every list.
"""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, render_template, request

from consult.models import Version
from consult.permissions import can_draft, can_read_version
from consult.services import comment_queries, drafts, home_queries, reading
from consult.services.comment_queries.views import VersionComments
from consult.services.errors import NotFound
from consult.services.transactions import now
from consult.web import reading_text
from consult.web.converters import bounded_int
from consult.web.lookup import acting_user, found
from consult.web.text_languages import TextChoice, text_choice

bp = Blueprint("reading", __name__)


def _readable_version(slug: str, number: int) -> Version:
    """Return the version if it exists and the reader may see it; else 404."""
    version = found(drafts.get_version, slug, number)
    if not can_read_version(acting_user(), version):
        abort(404)  # a draft the reader may not see does not exist for them
    return version


@bp.get("/")
def index() -> str:
    """The home page: the work of the reader's role first, then the documents they may see."""
    home = home_queries.home_page(acting_user(), now())
    return render_template("reading/index.html", home=home)


@bp.get("/documents/<slug>")
def document(slug: str) -> str:
    """Show one document and its versions, newest first."""
    user = acting_user()
    summary = found(
        reading.document_summary, slug, partial(can_read_version, user), can_draft(user)
    )
    return render_template("reading/document.html", document=summary)


@bp.get("/documents/<slug>/v<int:number>")
def version(slug: str, number: int) -> str:
    """Show one version as its tree of clauses, with a table of contents.

    With the version's consultation rounds, each clause shows how many
    comments of the round chosen (`?round=ID`, else the most recent open one)
    the reader may see, and a link to comment when they may.
    """
    shown = _readable_version(slug, number)
    choice = text_choice(shown)
    notes = comment_queries.version_comments(
        acting_user(), shown, now(), bounded_int(request.args.get("round"))
    )
    if choice.beside is not None:
        return _side_by_side(shown, choice, notes)
    # The text is the same for every reader (made once for a published version);
    # only the links and counts in the clauses' margins are this reader's.
    text = reading_text.version_text(shown, choice.translation, choice.carried)
    page = reading.version_header(shown, text.clause_count, choice.translation)
    return render_template(
        "reading/version.html", page=page, notes=notes, text=text.fill(notes), choice=choice
    )


def _side_by_side(version: Version, choice: TextChoice, notes: VersionComments | None) -> str:
    """The version in two languages, clause by clause, each clause's two texts in a row."""
    first = reading.version_page(version, choice.translation)
    second = reading.version_page(version, choice.beside_translation)
    rows = list(zip(reading.page_order(first.tree), reading.page_order(second.tree), strict=True))
    page = reading.version_header(version, first.version.clause_count, choice.translation)
    return render_template(
        "reading/version.html",
        page=page,
        notes=notes,
        text=None,
        parallel=rows,
        second=second.document,
        choice=choice,
    )


@bp.get("/documents/<slug>/v<int:number>/clauses/<path:key>")
def clause(slug: str, number: int, key: str) -> str:
    """Show one clause at its permanent address, with its place in the text."""
    shown = _readable_version(slug, number)
    choice = text_choice(shown)
    try:
        page = reading.clause_page(shown, key, choice.translation)
        beside = (
            None
            if choice.beside is None
            else reading.clause_page(shown, key, choice.beside_translation)
        )
        groups, open_rounds = comment_queries.clause_comments(
            acting_user(), shown, key, page.clause.citation, now()
        )
    except NotFound:
        abort(404)
    return render_template(
        "reading/clause.html",
        page=page,
        beside=beside,
        comment_groups=groups,
        open_rounds=open_rounds,
        choice=choice,
    )
