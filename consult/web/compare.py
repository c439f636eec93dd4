"""Comparing versions: the comparison pages, the renumbering table, clause history,
and what became of an organisation's comments.

Every page works without JavaScript: the choice of versions, the side-by-side
view, what is done with unchanged clauses (folded, left out, shown) and the run
of unchanged clauses opened are plain GET parameters. A version the
reader may not see (a draft, for a stakeholder) does not exist for them: 404.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectField
from wtforms.validators import InputRequired, ValidationError

from consult import labels
from consult.languages import reader_language
from consult.permissions import can_read_version
from consult.services import clause_history, comparison_choice, comparison_view
from consult.services.comparison_choice import ComparisonPage
from consult.services.comparisons import Comparison, VersionRef
from consult.services.transactions import now
from consult.web.bidi import isolate_text
from consult.web.clean_form import CleanForm
from consult.web.lookup import acting_user, found

bp = Blueprint("compare", __name__)


class PickForm(CleanForm):
    """The choice of two versions and how to show their comparison (a GET form)."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    old = SelectField(_l("From version"), coerce=int, validators=[InputRequired()])
    new = SelectField(_l("To version"), coerce=int, validators=[InputRequired()])
    view = RadioField(
        _l("Show"),
        choices=[
            SelectChoice("inline", _l("Changes inline")),
            SelectChoice("side", _l("Side by side")),
        ],
        default="inline",
    )
    unchanged = RadioField(
        _l("Unchanged clauses"),
        choices=[
            SelectChoice("fold", _l("Folded")),
            SelectChoice("hide", _l("Left out")),
            SelectChoice("show", _l("Shown")),
        ],
        default="fold",
    )

    def validate_new(self, field: SelectField) -> None:
        """Two different versions are compared."""
        if field.data == self.old.data:
            raise ValidationError(_("Choose two different versions."))


def _page(slug: str, old: int | None, new: int | None, compare: bool = True) -> ComparisonPage:
    visible = partial(can_read_version, acting_user())
    return found(comparison_choice.comparison_page, slug, visible, old, new, compare=compare)


def _form(versions: tuple[VersionRef, ...]) -> PickForm:
    form = PickForm(request.args)
    form.old.choices = [
        SelectChoice(
            v.number,
            labels.version_name(v.number, isolate_text(v.label) if v.label else ""),
        )
        for v in versions
    ]
    form.new.choices = list(form.old.choices)
    return form


@dataclass(frozen=True)
class Display:
    """How the reader asked to see a comparison (all plain GET parameters)."""

    view: str  # "inline" or "side"
    unchanged: str  # one of comparison_view.UNCHANGED
    opened: int | None  # the first row of the run of unchanged clauses shown in full

    @property
    def query(self) -> dict[str, str]:
        """The parameters that say this display in a URL (none for the defaults)."""
        query = {"view": "side"} if self.view == "side" else {}
        if self.unchanged != "fold":
            query["unchanged"] = self.unchanged
        return query


def _text_query() -> dict[str, str]:
    """The language of the text compared, kept when the versions are picked again."""
    text = request.args.get("text", "")
    return {"text": text} if text else {}


def _display() -> Display:
    args = request.args
    view = "side" if args.get("view") == "side" else "inline"
    unchanged = args.get("unchanged", "")
    if unchanged not in comparison_view.UNCHANGED:
        # "changed=1" was the page's "only clauses that changed" before runs were folded.
        unchanged = "hide" if args.get("changed") in {"1", "y", "on", "true"} else "fold"
    opened = args.get("open", type=int) if unchanged == "fold" else None
    return Display(view, unchanged, opened if opened is not None and opened >= 0 else None)


def _variant(display: Display) -> str:
    """Everything but the two versions that the stored clauses' HTML depends on."""
    env = current_app.jinja_env
    assert env.loader is not None
    digest = hashlib.sha256()
    for name in ("compare/_clauses.html", "_macros.html"):
        digest.update(env.loader.get_source(env, name)[0].encode())
    locale = str(get_locale())
    catalogue = Path(current_app.root_path, "translations", locale, "LC_MESSAGES", "messages.mo")
    if catalogue.is_file():  # the words of the page in its language
        digest.update(catalogue.read_bytes())
    return "\n".join(
        (
            digest.hexdigest(),
            locale,
            request.script_root,
            display.view,
            display.unchanged,
            str(display.opened),
            request.args.get("text", ""),  # the links carry the language chosen
        )
    )


def _render(display: Display) -> comparison_view.Render:
    def render(comparison: Comparison, runs: list[comparison_view.Run]) -> str:
        return render_template(
            "compare/_clauses.html",
            comparison=comparison,
            runs=runs,
            view=display.view,
            unchanged=display.unchanged,
            text_language=request.args.get("text", ""),
        )

    return render


@bp.get("/documents/<slug>/compare")
@bp.get("/documents/<slug>/compare/<int:old>/<int:new>")
def versions(slug: str, old: int | None = None, new: int | None = None) -> ResponseReturnValue:
    """Compare two versions: summary, then the clauses that changed, runs of unchanged
    clauses folded (by default the last two versions)."""
    picked = old is None and "old" in request.args
    display = _display()
    page = found(
        comparison_view.comparison_view,
        slug,
        partial(can_read_version, acting_user()),
        old,
        new,
        compare=not picked,
        unchanged=display.unchanged,
        opened=display.opened,
        variant=_variant(display),
        render=_render(display),
        language=request.args.get("text", ""),
    )
    form = _form(page.versions)
    if picked:
        if form.validate():
            target = url_for("compare.versions", slug=slug, old=form.old.data, new=form.new.data)
            query = urlencode(display.query | _text_query())
            return redirect(f"{target}?{query}" if query else target)
        return render_template("compare/versions.html", page=page, form=form), 400
    links: list[tuple[str, str]] = []
    if page.old is not None and page.new is not None:
        form.old.data, form.new.data = page.old.number, page.new.number
        form.view.data, form.unchanged.data = display.view, display.unchanged
        links = [
            (
                code,
                url_for("compare.versions", slug=slug, old=page.old.number, new=page.new.number)
                + "?"
                + urlencode(display.query | {"text": code}),
            )
            for code in page.languages
        ]
    return render_template("compare/versions.html", page=page, form=form, language_links=links)


@bp.get("/documents/<slug>/compare/<int:old>/<int:new>/renumbering")
def renumbering(slug: str, old: int, new: int) -> str:
    """The renumbering table: each clause whose number changed, old number beside new."""
    page = _page(slug, old, new)
    return render_template("compare/renumbering.html", page=page, comparison=page.comparison)


@bp.get("/documents/<slug>/compare/<int:old>/<int:new>/renumbering.csv")
def renumbering_csv(slug: str, old: int, new: int) -> Response:
    """The renumbering table as CSV (UTF-8, a header row), to download."""
    comparison = _page(slug, old, new).comparison
    assert comparison is not None  # both versions were named
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["status", "old_key", "old_number", "new_key", "new_number"])
    for status, before, after in comparison.renumbering():
        writer.writerow([status, before.key, before.number, after.key, after.number])
    filename = f"{slug}-v{old}-v{new}-renumbering.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@bp.get("/documents/<slug>/history/<path:key>", endpoint="clause_history")
def history(slug: str, key: str) -> str:
    """One clause through every version: its number and text, the diffs, the comments."""
    user = acting_user()
    history = found(
        clause_history.clause_history,
        user,
        slug,
        key,
        partial(can_read_version, user),
        now(),
        request.args.get("text", ""),
        reader_language(),
    )
    return render_template("compare/history.html", history=history)


@bp.get("/rounds/<int:round_id>/outcome")
def our_comments(round_id: int) -> str:
    """What became of our comments: each of the organisation's comments beside its clause's fate."""
    outcome = found(clause_history.comment_outcomes, acting_user(), round_id, now())
    return render_template("compare/outcome.html", outcome=outcome)
