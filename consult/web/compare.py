"""Comparing versions: the comparison pages, the renumbering table, clause history,
and what became of an organisation's comments.

Every page works without JavaScript: the choice of versions, the side-by-side
view and the "changed only" filter are plain GET parameters. A version the
reader may not see (a draft, for a stakeholder) does not exist for them: 404.
"""

from __future__ import annotations

import csv
import io
from functools import partial

from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField
from wtforms.validators import InputRequired, ValidationError

from consult.permissions import can_read_version
from consult.services import clause_history, comparisons
from consult.services.comparisons import ComparisonPage, VersionRef
from consult.services.transactions import now
from consult.web.lookup import acting_user, found

bp = Blueprint("compare", __name__)


class PickForm(FlaskForm):  # type: ignore[misc]
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
    changed = BooleanField(_l("Only clauses that changed"))

    def validate_new(self, field: SelectField) -> None:
        """Two different versions are compared."""
        if field.data == self.old.data:
            raise ValidationError(_("Choose two different versions."))


def _page(slug: str, old: int | None, new: int | None, compare: bool = True) -> ComparisonPage:
    visible = partial(can_read_version, acting_user())
    return found(comparisons.comparison_page, slug, visible, old, new, compare=compare)


def _form(versions: tuple[VersionRef, ...]) -> PickForm:
    form = PickForm(request.args)
    form.old.choices = [
        SelectChoice(v.number, _("Version %(number)s: %(label)s", number=v.number, label=v.label))
        for v in versions
    ]
    form.new.choices = list(form.old.choices)
    return form


def _display() -> tuple[str, bool]:
    view = "side" if request.args.get("view") == "side" else "inline"
    return view, request.args.get("changed") in {"1", "y", "on", "true"}


@bp.get("/documents/<slug>/compare")
@bp.get("/documents/<slug>/compare/<int:old>/<int:new>")
def versions(slug: str, old: int | None = None, new: int | None = None) -> ResponseReturnValue:
    """Compare two versions: summary, then every clause with its diff (default: the last two)."""
    picked = old is None and "old" in request.args
    page = _page(slug, old, new, compare=not picked)
    form = _form(page.versions)
    view, changed_only = _display()
    if picked:
        if form.validate():
            target = url_for("compare.versions", slug=slug, old=form.old.data, new=form.new.data)
            query = "&".join(
                part
                for part in (
                    "view=side" if view == "side" else "",
                    "changed=1" if changed_only else "",
                )
                if part
            )
            return redirect(f"{target}?{query}" if query else target)
        shown = render_template(
            "compare/versions.html",
            page=page,
            form=form,
            comparison=None,
            view=view,
            changed_only=changed_only,
        )
        return shown, 400
    comparison = page.comparison
    if comparison is not None:
        form.old.data, form.new.data = comparison.old.number, comparison.new.number
        form.view.data, form.changed.data = view, changed_only
    return render_template(
        "compare/versions.html",
        page=page,
        form=form,
        comparison=comparison,
        view=view,
        changed_only=changed_only,
    )


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
        clause_history.clause_history, user, slug, key, partial(can_read_version, user), now()
    )
    return render_template("compare/history.html", history=history)


@bp.get("/rounds/<int:round_id>/outcome")
def our_comments(round_id: int) -> str:
    """What became of our comments: each of the organisation's comments beside its clause's fate."""
    outcome = found(clause_history.comment_outcomes, acting_user(), round_id, now())
    return render_template("compare/outcome.html", outcome=outcome)
