"""The secretariat's responses: an overview of a round's answers, and saving one answer.

The overview counts the answers and lists the comments, filtered and paged,
each leading to the page that answers it (matrix.answer).

Responses are drafts for the secretariat until the round's responses are
published (after the round closes); the services record every change.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult import labels
from consult.models import Comment, Round, User
from consult.moments import Moment
from consult.plurals import ngettext
from consult.services import response_overview, responses, round_queries
from consult.services.clause_tree import build_tree
from consult.services.errors import NotFound, ServiceError
from consult.services.response_overview import OverviewFilters
from consult.services.responses import AnswerConflict
from consult.services.round_queries import summarise
from consult.services.transactions import now
from consult.web.bidi import isolate, sentence
from consult.web.lookup import found
from consult.web.matrix.conflicts import conflict_page
from consult.web.rounds.blueprint import bp
from consult.web.rounds.confirm import Confirmation
from consult.web.rounds.forms import ConfirmForm, ResponseForm
from consult.web.rounds.present import paragraphs
from consult.web.rounds.response_filters import OverviewForm
from consult.web.rounds.views import round_to_answer


@dataclass(frozen=True)
class SavedResponse:
    """A response as stored, ready to show."""

    disposition: str
    explanation: list[str]
    responder: str
    updated: Moment


@dataclass(frozen=True)
class ResponseRow:
    """One comment with its saved response and the form to answer it."""

    comment_id: int
    anchor: str
    organisation: str
    tracking_number: str
    type: str
    clause_number: str
    clause_url: str | None
    body: list[str]
    proposed: list[str]
    saved: SavedResponse | None
    form: ResponseForm


def _anchor(comment_id: int) -> str:
    return f"comment-{comment_id}"


def _form_for(comment: Comment) -> ResponseForm:
    saved = comment.response
    return ResponseForm(
        formdata=None,
        prefix=f"c{comment.id}",
        data={
            "disposition": saved.disposition if saved else "",
            "explanation": saved.explanation if saved else "",
            "revision": saved.revision if saved else 0,
        },
    )


def _row(
    comment: Comment, round_: Round, citations: dict[str, str], form: ResponseForm | None
) -> ResponseRow:
    saved = comment.response
    clause = comment.clause
    version = round_.version
    return ResponseRow(
        comment_id=comment.id,
        anchor=_anchor(comment.id),
        organisation=comment.organisation.name,
        tracking_number=comment.tracking_number,
        type=labels.label(labels.COMMENT_TYPES, comment.type),
        clause_number=citations.get(clause.key, clause.number) if clause else _("Whole document"),
        clause_url=url_for(
            "reading.clause", slug=version.document.slug, number=version.number, key=clause.key
        )
        if clause
        else None,
        body=paragraphs(comment.body),
        proposed=paragraphs(comment.proposed_text),
        saved=SavedResponse(
            disposition=labels.label(labels.DISPOSITIONS, saved.disposition),
            explanation=paragraphs(saved.explanation),
            responder=saved.responder.name,
            updated=Moment(saved.updated_at, round_.time_zone),
        )
        if saved
        else None,
        form=form or _form_for(comment),
    )


def _render_failed(
    user: User, round_: Round, comment: Comment, form: ResponseForm
) -> ResponseReturnValue:
    """Show the one comment whose response was not saved, with the form as sent (400)."""
    at = now()
    _roots, nodes = build_tree(round_.version.clauses)
    citations = {key: node.citation for key, node in nodes.items()}
    row = _row(comment, round_, citations, form)
    return render_template("rounds/response_form.html", round=summarise(round_, at), row=row), 400


def _publication(round_: Round) -> tuple[Moment | None, bool]:
    """When the responses were published (None: not yet), and whether they may be now."""
    published = round_.responses_published_at
    return (
        Moment(published, round_.time_zone) if published else None,
        published is None and round_.state(now()) == "closed",
    )


@bp.get("/rounds/<int:round_id>/responses", endpoint="responses")
def responses_page(round_id: int) -> ResponseReturnValue:
    """An overview of the round's answers: counts, and a filtered, paged list of comments.

    Each comment leads to its own answer page; the filters are a GET form.
    """
    user, round_ = round_to_answer(round_id)
    at = now()
    form = OverviewForm(request.args)
    filters = form.filters() if form.validate() else OverviewFilters()
    overview = response_overview.responses_overview(user, round_, filters, at)
    form.offer(overview.clause_choices, overview.organisation_choices)
    published, can_publish = _publication(round_)
    here = request.full_path if request.args else request.path
    return render_template(
        "rounds/responses.html",
        round=summarise(round_, at),
        overview=overview,
        form=form,
        filters=filters,
        published=published,
        can_publish=can_publish,
        here=here,
    )


@bp.post("/rounds/<int:round_id>/comments/<int:comment_id>/response")
def respond(round_id: int, comment_id: int) -> ResponseReturnValue:
    """Save the response to one comment; show the page again with the problem."""
    user, round_ = round_to_answer(round_id)
    comment = found(round_queries.comment_of_round, round_, comment_id)
    form = ResponseForm(prefix=f"c{comment.id}")
    if form.validate():
        try:
            responses.respond(
                comment.id,
                form.disposition.data,
                form.explanation.data or "",
                user,
                expected_revision=form.revision.data or 0,
            )
        except AnswerConflict as conflict:
            back = url_for("rounds.responses", round_id=round_id, _anchor=_anchor(comment.id))
            return conflict_page([conflict], back)
        except ServiceError as err:
            flash(_("Nothing was saved: %(reason)s.", reason=err.message), "error")
        else:
            flash(
                _("The answer to %(number)s is saved.", number=comment.tracking_number),
                "success",
            )
        return redirect(url_for("rounds.responses", round_id=round_id, _anchor=_anchor(comment.id)))
    return _render_failed(user, round_, comment, form)


def _publication_consequences(user: User, round_: Round) -> list[str]:
    comments = round_queries.comments_for_responses(user, round_, now())
    unanswered = sum(1 for c in comments if c.response is None)
    sentences = [
        _(
            "Every organisation that may read a comment of this round will then read its "
            "saved answer, following the round's visibility rule. Corrections you save "
            "afterwards are shown at once."
        ),
        ngettext(
            "%(num)s comment has no saved answer yet: it will be shown without one.",
            "%(num)s comments have no saved answer yet: they will be shown without one.",
            unanswered,
        )
        if unanswered
        else _("Every comment has a saved answer."),
        _(
            "Publishing cannot be undone. The round can then no longer be reopened or have "
            "its closing time moved, and its comments can no longer be edited or withdrawn."
        ),
    ]
    return [str(s) for s in sentences]


@bp.route("/rounds/<int:round_id>/responses/publish", methods=["GET", "POST"])
def publish_responses(round_id: int) -> ResponseReturnValue:
    """Publish the round's responses, once it has closed, after a confirmation page (GET).

    A POST without the confirmation field publishes nothing and leads to that page.
    """
    user, round_ = round_to_answer(round_id)
    back = url_for("rounds.responses", round_id=round_id)
    form = ConfirmForm()
    if request.method == "POST" and not form.confirmed():
        return redirect(url_for("rounds.publish_responses", round_id=round_id), 303)
    if request.method == "GET":
        if round_.responses_published_at is not None or round_.state(now()) != "closed":
            flash(
                _("The answers can be published once, after the round has closed."),
                "error",
            )
            return redirect(back, 303)
        page = Confirmation(
            title=sentence(_("Publish the answers of “%(title)s”?"), title=isolate(round_.title)),
            consequences=_publication_consequences(user, round_),
            action=url_for("rounds.publish_responses", round_id=round_id),
            button=_("Publish the answers"),
            back_url=back,
            back_text=_("Not yet: back to the answers"),
        )
        return render_template(
            "rounds/confirm.html", page=page, round_id=round_.id, round_title=round_.title
        )
    try:
        responses.publish_responses(round_.id, user)
    except NotFound:
        abort(404)
    except ServiceError as err:
        flash(_("Nothing was published: %(reason)s.", reason=err.message), "error")
    else:
        flash(
            _("The answers are published: commenters can now read them."),
            "success",
        )
    return redirect(back, 303)
