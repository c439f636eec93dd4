"""Answering comments from the matrix: one at a time, many at once, and the standard answers.

Every save names the revision of the answer its page showed; when a colleague
saved another answer meanwhile, the conflict page shows both and saves
nothing until the person chooses. All of this is the secretariat's: the guard
asks can_manage_rounds, and each handler asks can_answer on the comment's
round. After a save the person goes back to `next`, a path on this site.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult.models import User
from consult.moments import Moment
from consult.permissions import can_answer
from consult.plurals import ngettext
from consult.services import answer_queries, responses, standard_answers
from consult.services.answer_queries import CommentToAnswer
from consult.services.errors import NotFound, ServiceError
from consult.services.responses import AnswerConflict, BulkResult
from consult.web.bidi import isolate, sentence
from consult.web.lookup import acting_user, found
from consult.web.matrix.blueprint import bp
from consult.web.matrix.conflicts import conflict_page
from consult.web.matrix.forms import (
    AnswerForm,
    BulkAnswerForm,
    StandardAnswerForm,
    local_path,
)
from consult.web.rounds.views import optional_url


def _matrix_url(view: CommentToAnswer) -> str | None:
    """The matrix of the comment's round, at the comment (None while there is no matrix page)."""
    return optional_url(
        "matrix.page",
        slug=view.document_slug,
        round=view.round_id,
        _anchor=f"comment-{view.id}",
    )


def _answer_page(view: CommentToAnswer, form: AnswerForm, status: int = 200) -> ResponseReturnValue:
    back = local_path(form.next.data) or _matrix_url(view)
    return render_template("matrix/answer.html", view=view, form=form, back=back), status


def _comment_to_answer(user: User, comment_id: int) -> CommentToAnswer:
    """Return the comment if `user` may answer it; 404 when it does not exist, else 403."""
    round_ = found(answer_queries.round_of_comment, comment_id)
    if not can_answer(user, round_):
        abort(403)
    return found(answer_queries.comment_to_answer, comment_id)


@bp.route("/comments/<int:comment_id>/answer", methods=["GET", "POST"])
def answer(comment_id: int) -> ResponseReturnValue:
    """One comment in full with its answer form; save the answer, or show what stopped it."""
    user = acting_user()
    view = _comment_to_answer(user, comment_id)
    if request.method == "GET":
        form = AnswerForm(
            formdata=None,
            data={
                "disposition": view.answer.disposition if view.answer else "",
                "explanation": view.answer.explanation_text if view.answer else "",
                "revision": view.revision,
                "next": local_path(request.args.get("next")) or "",
            },
        )
        form.offer_standard_answers(standard_answers.list_answers())
        return _answer_page(view, form)
    form = AnswerForm()
    form.offer_standard_answers(standard_answers.list_answers())
    form.take_standard_answer()
    if not form.validate():
        return _answer_page(view, form, 400)
    here = url_for("matrix.answer", comment_id=comment_id)
    back = local_path(form.next.data) or here
    try:
        responses.respond(
            comment_id,
            form.disposition.data,
            form.explanation.data or "",
            user,
            expected_revision=form.shown_revision,
        )
    except AnswerConflict as conflict:
        return conflict_page([conflict], back)
    except NotFound:
        abort(404)
    except ServiceError as err:
        form.form_errors.append(_("Nothing was saved: %(reason)s.", reason=err.message))
        return _answer_page(view, form, 400)
    flash(_("The answer to %(number)s is saved.", number=view.tracking_number), "success")
    return redirect(back)


def _ticked(form: Mapping[str, str], ticked: Sequence[str]) -> list[tuple[int, int]] | None:
    """Return the ticked rows as (comment id, revision shown), or None if the form is malformed."""
    rows: dict[int, int] = {}
    for value in ticked:
        revision = form.get(f"revision-{value}", "")
        if not (value.isdecimal() and revision.isdecimal()):
            return None
        rows.setdefault(int(value), int(revision))
    return list(rows.items())


def _report(result: BulkResult) -> None:
    """Flash what a bulk save did: how many saved, which were refused and why."""
    if result.saved:
        flash(
            ngettext("%(num)s answer is saved.", "%(num)s answers are saved.", len(result.saved)),
            "success",
        )
    if result.unchanged:
        flash(
            ngettext(
                "%(num)s comment had this answer already.",
                "%(num)s comments had this answer already.",
                len(result.unchanged),
            ),
            "success",
        )
    if result.refused:
        rows = "; ".join(f"{number} ({reason})" for number, reason in result.refused)
        flash(_("Not saved: %(rows)s.", rows=rows), "error")


@bp.post("/matrix/answer-in-bulk")
def answer_in_bulk() -> ResponseReturnValue:
    """Give the ticked comments one answer; report conflicts on their page, the rest in messages."""
    user = acting_user()
    form = BulkAnswerForm()
    back = local_path(form.next.data) or url_for("rounds.index")
    rows = _ticked(request.form, request.form.getlist("comment"))
    if rows is None:
        flash(_("Nothing was saved: the form was incomplete. Load the page again."), "error")
        return redirect(back)
    if not rows:
        flash(_("Nothing was saved: tick the comments to answer first."), "error")
        return redirect(back)
    for round_ in answer_queries.rounds_of_comments([comment_id for comment_id, _revision in rows]):
        if not can_answer(user, round_):
            abort(403)
    form.offer_standard_answers(standard_answers.list_answers())
    form.take_standard_answer()
    if not form.validate():
        problems = " ".join(e for field in form for e in field.errors)
        flash(_("Nothing was saved: %(problems)s", problems=problems), "error")
        return redirect(back)
    try:
        result = responses.respond_in_bulk(
            rows, form.disposition.data, form.explanation.data or "", user
        )
    except ServiceError as err:
        flash(_("Nothing was saved: %(reason)s.", reason=err.message), "error")
        return redirect(back)
    _report(result)
    if result.conflicts:
        return conflict_page(result.conflicts, back)
    return redirect(back)


@dataclass(frozen=True)
class StandardAnswerRow:
    """A standard answer as its page lists it."""

    id: int
    text: str
    disposition: str | None
    added_by: str
    added: Moment


def _standard_answers_page(form: StandardAnswerForm, status: int = 200) -> ResponseReturnValue:
    answers = [
        StandardAnswerRow(
            a.id,
            a.text,
            a.disposition,
            a.created_by.name if a.created_by else "",
            Moment(a.created_at),
        )
        for a in standard_answers.list_answers()
    ]
    return render_template("matrix/standard_answers.html", answers=answers, form=form), status


@bp.get("/standard-answers", endpoint="standard_answers")
def standard_answers_page() -> ResponseReturnValue:
    """The saved standard answers, and the form to add one."""
    return _standard_answers_page(StandardAnswerForm(formdata=None))


@bp.post("/standard-answers", endpoint="add_standard_answer")
def add_standard_answer() -> ResponseReturnValue:
    """Save a new standard answer; show the page again with the problem and the text typed."""
    user = acting_user()
    form = StandardAnswerForm()
    if form.validate():
        try:
            standard_answers.add_answer(form.text.data, form.disposition.data or None, user)
        except ServiceError as err:
            form.text.errors = [*form.text.errors, _("Not saved: %(reason)s.", reason=err.message)]
        else:
            flash(_("The standard answer is saved."), "success")
            return redirect(url_for("matrix.standard_answers"))
    return _standard_answers_page(form, 400)


@bp.post("/standard-answers/<int:answer_id>/remove", endpoint="remove_standard_answer")
def remove_standard_answer(answer_id: int) -> ResponseReturnValue:
    """Remove a standard answer; answers given with it stay as they are."""
    user = acting_user()
    text = found(standard_answers.remove_answer, answer_id, user)
    flash(sentence(_("The standard answer “%(text)s” is removed."), text=isolate(text)), "success")
    return redirect(url_for("matrix.standard_answers"))
