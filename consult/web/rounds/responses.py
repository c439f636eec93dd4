"""The secretariat's responses: every standing comment of a round, answered one by one.

Responses are drafts for the secretariat until the round's responses are
published (after the round closes); the services record every change.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from consult import labels
from consult.models import Comment, Round, User
from consult.moments import Moment
from consult.services import responses, round_queries
from consult.services.errors import NotFound, ServiceError
from consult.services.reading import build_tree
from consult.services.responses import AnswerConflict
from consult.services.round_queries import RoundSummary, summarise
from consult.services.transactions import now
from consult.web.lookup import found
from consult.web.matrix.conflicts import conflict_page
from consult.web.rounds.blueprint import bp
from consult.web.rounds.confirm import Confirmation
from consult.web.rounds.forms import ConfirmForm, ResponseForm
from consult.web.rounds.present import paragraphs
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


@dataclass(frozen=True)
class ResponsesPage:
    """The responses page of a round."""

    round: RoundSummary
    rows: list[ResponseRow]
    answered: int
    published: Moment | None
    can_publish: bool


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


def _render(
    user: User, round_: Round, failed: tuple[int, ResponseForm] | None = None
) -> ResponseReturnValue:
    at = now()
    comments = round_queries.comments_for_responses(user, round_, at)
    _roots, nodes = build_tree(round_.version.clauses)
    citations = {key: node.citation for key, node in nodes.items()}
    rows = [
        _row(c, round_, citations, failed[1] if failed and failed[0] == c.id else None)
        for c in comments
    ]
    published = round_.responses_published_at
    page = ResponsesPage(
        round=summarise(round_, at),
        rows=rows,
        answered=sum(1 for c in comments if c.response is not None),
        published=Moment(published, round_.time_zone) if published else None,
        can_publish=published is None and round_.state(at) == "closed",
    )
    failed_anchor = _anchor(failed[0]) if failed else None
    return render_template(
        "rounds/responses.html", page=page, failed_anchor=failed_anchor
    ), 400 if failed else 200


@bp.get("/rounds/<int:round_id>/responses", endpoint="responses")
def responses_page(round_id: int) -> ResponseReturnValue:
    """Every standing comment of the round in document order, each with its response form."""
    return _render(*round_to_answer(round_id))


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
                _("The response to %(number)s is saved.", number=comment.tracking_number),
                "success",
            )
        return redirect(url_for("rounds.responses", round_id=round_id, _anchor=_anchor(comment.id)))
    return _render(user, round_, (comment.id, form))


def _publication_consequences(user: User, round_: Round) -> list[str]:
    comments = round_queries.comments_for_responses(user, round_, now())
    unanswered = sum(1 for c in comments if c.response is None)
    sentences = [
        _(
            "Every organisation that may read a comment of this round will then read its "
            "saved response, following the round's visibility rule. Corrections you save "
            "afterwards are shown at once."
        ),
        ngettext(
            "%(num)d comment has no saved response yet: it will be shown without one.",
            "%(num)d comments have no saved response yet: they will be shown without one.",
            unanswered,
        )
        if unanswered
        else _("Every comment has a saved response."),
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
                _("The responses can be published once, after the round has closed."),
                "error",
            )
            return redirect(back, 303)
        page = Confirmation(
            title=_("Publish the responses of “%(title)s”?", title=round_.title),
            consequences=_publication_consequences(user, round_),
            action=url_for("rounds.publish_responses", round_id=round_id),
            button=_("Publish the responses"),
            back_url=back,
            back_text=_("Not yet: back to the responses"),
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
            _("The responses are published: commenters can now read them."),
            "success",
        )
    return redirect(back, 303)
