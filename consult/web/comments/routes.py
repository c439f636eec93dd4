"""The comment pages: write, read, edit, withdraw; an organisation's and a round's comments.

Handlers parse the form, check the named rules of consult.permissions, call
one service and render. A comment the reader may not see is a 404, never a
403 that would confirm it exists. Whenever a comment cannot be saved (round
closed, edit conflict, bad input), the page comes back with the text typed.
"""

from __future__ import annotations

import io
from datetime import datetime

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult import permissions
from consult.languages import LANGUAGES, reader_language
from consult.models import Clause, Comment, Round, User
from consult.services import (
    comment_queries,
    comments,
    language_texts,
    receipts,
    round_queries,
)
from consult.services.errors import Refused, ServiceError
from consult.services.transactions import now
from consult.web.comments.forms import CommentForm, EditForm
from consult.web.lookup import acting_user, found
from consult.web.rounds.forms import ConfirmForm

bp = Blueprint("comments", __name__)


def _clause(round_: Round, key: str) -> Clause | None:
    """Return the clause `key` of the round's version (None for ''), or 404."""
    if not key:
        return None
    return found(comment_queries.find_clause, round_, key)


def _visible_comment(
    comment_id: int, user: User, moment: datetime, *, in_full: bool = False
) -> Comment:
    """Return the comment if `user` may see it; otherwise, whether it exists or not, 404."""
    comment = found(comment_queries.get_comment, comment_id, in_full=in_full)
    if not permissions.can_see_comment(user, comment, moment):
        abort(404)
    return comment


def _own_comment(
    comment_id: int, user: User, moment: datetime, refusal: str | None = None
) -> Comment:
    """Return the comment if `user` speaks for its organisation; else 404, or 403 saying why."""
    comment = _visible_comment(comment_id, user, moment)
    if not permissions.owns_comment(user, comment):
        message = refusal or _("Only your organisation's own comments can be changed.")
        abort(make_response(_refused(message)))
    return comment


def _refused(message: str, status: int = 403) -> ResponseReturnValue:
    title = _("Not allowed") if status == 403 else _("Comments are not accepted now")
    return render_template("errors/error.html", title=title, message=message), status


def _closed_message(round_: Round, moment: datetime) -> str:
    if round_.state(moment) == "upcoming":
        return str(_("This round is not open yet: comments are accepted from its opening time."))
    return str(_("This round has closed: comments are no longer accepted or changed."))


def render_new(
    form: CommentForm,
    round_: Round,
    clause: Clause | None,
    status: int = 200,
    notice: str | None = None,
    closed: str | None = None,
) -> ResponseReturnValue:
    """Render the comment form page (also used to give text back after an expired form)."""
    user = acting_user()
    form.ensure_key()
    context = comment_queries.form_context(user, round_, clause, now(), form.text.data or "")
    action = url_for("comments.new", round_id=round_.id)
    page = render_template(
        "comments/new.html", form=form, context=context, action=action, notice=notice, closed=closed
    )
    return page, status


@bp.route("/rounds/<int:round_id>/comment", methods=["GET", "POST"])
def new(round_id: int) -> ResponseReturnValue:
    """Show the comment form; store the comment and show its receipt.

    A stakeholder's well-formed comment goes straight to the service, which
    reads the round and the clause once, under the round's lock, and decides
    on the deadline there (the last minutes before a close are this route's
    busiest). The form page, and any refusal, are answered below from the
    round as the reader may know it.
    """
    user = acting_user()
    form = CommentForm()
    refusal: ServiceError | None = None
    key = (request.form.get("clause") if request.method == "POST" else None) or request.args.get(
        "clause", ""
    )
    if (
        request.method == "POST"
        and permissions.speaks_for_organisation(user)
        and form.validate_on_submit()
    ):
        try:
            receipt = comments.submit_comment(
                round_id, key.strip() or None, form.comment_input(), user, form.idempotency_key.data
            )
        except ServiceError as error:
            refusal = error
        else:
            flash(
                _(
                    "Your comment is received: tracking number %(number)s.",
                    number=receipt.tracking_number,
                ),
                "success",
            )
            return redirect(url_for("comments.show", comment_id=receipt.comment_id), 303)
    round_ = found(round_queries.known_round, user, round_id)
    clause = _clause(round_, key.strip())
    if not permissions.takes_part(user, round_):
        return _refused(_("Your organisation is not invited to comment in this round."))
    moment = now()
    if request.method == "GET":
        form.clause.data = clause.key if clause else ""
        form.proposed_text.data = clause.text if clause else ""
        _read_in(form, round_, clause)
    if not permissions.can_comment(user, round_, moment):
        return render_new(form, round_, clause, 409, closed=_closed_message(round_, moment))
    if refusal is not None:  # bad input; or the round changed between the two reads
        form.form_errors.append(refusal.message)
    return render_new(form, round_, clause)


def _read_in(form: CommentForm, round_: Round, clause: Clause | None) -> None:
    """Prefill the form for the language the clause was read in (`?text=`): its words to
    rewrite, and that language, else the page's, as the comment's."""
    asked = request.args.get("text", "")
    words = (
        language_texts.clause_in(round_.version_id, clause.key, asked)
        if clause is not None and asked in LANGUAGES
        else None
    )
    if words is not None:
        form.text.data = asked
        form.proposed_text.data = words[1]
    form.language.data = form.text.data or _page_language()


def _page_language() -> str:
    locale = reader_language()
    return locale if locale in LANGUAGES else "en"


@bp.get("/comments/<int:comment_id>")
def show(comment_id: int) -> ResponseReturnValue:
    """Show one comment, with its receipt, revisions and response for those who may see them."""
    user = acting_user()
    moment = now()
    comment = _visible_comment(comment_id, user, moment, in_full=True)
    detail = comment_queries.comment_detail(user, comment, moment)
    return render_template("comments/show.html", detail=detail)


@bp.get("/comments/<int:comment_id>/receipt.pdf")
def receipt_pdf(comment_id: int) -> ResponseReturnValue:
    """Send the comment's receipt as a one-page PDF, for its organisation and the staff.

    One page renders in well under a second, so it is made in the request, not as a job.
    """
    user = acting_user()
    moment = now()
    comment = _visible_comment(comment_id, user, moment)
    data = found(receipts.receipt_pdf, user, comment, moment)
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"receipt-{comment.tracking_number or comment.id}.pdf",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def render_edit(
    form: EditForm,
    comment: Comment,
    status: int = 200,
    notice: str | None = None,
    closed: str | None = None,
    newer: Comment | None = None,
) -> ResponseReturnValue:
    """Render the edit page (the conflict page when `newer` is given)."""
    user = acting_user()
    context = comment_queries.form_context(
        user, comment.round, comment.clause, now(), comment.text_language
    )
    page = render_template(
        "comments/edit.html",
        form=form,
        context=context,
        comment_id=comment.id,
        tracking_number=comment.tracking_number,
        action=url_for("comments.edit", comment_id=comment.id),
        notice=notice,
        closed=closed,
        newer=None
        if newer is None
        else {
            "revision": newer.revision,
            "type": newer.type,
            "body": newer.body,
            "proposed": newer.proposed_text,
        },
    )
    return page, status


def _change_refusal(comment: Comment, user: User, moment: datetime) -> str | None:
    """Return why `user` may not change the comment now (None if they may)."""
    if permissions.can_change_comment(user, comment, moment):
        return None
    if comment.is_withdrawn:
        return str(_("This comment was withdrawn: it can no longer be changed."))
    if comment.round.responses_published_at is not None:
        return str(
            _(
                "The answers of this round are published: its comments can no longer be "
                "edited or withdrawn."
            )
        )
    return _closed_message(comment.round, moment)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(comment_id: int) -> ResponseReturnValue:
    """Edit a comment, keeping the earlier text; a conflicting save gets a conflict page."""
    user = acting_user()
    moment = now()
    comment = _own_comment(comment_id, user, moment)
    form = EditForm()
    if request.method == "GET":
        form.type.data = comment.type
        form.body.data = comment.body
        clause_text = comment.clause.text if comment.clause else ""
        if comment.clause is not None and comment.text_language:
            words = language_texts.clause_in(
                comment.round.version_id, comment.clause.key, comment.text_language
            )
            clause_text = words[1] if words is not None else clause_text
        form.proposed_text.data = comment.proposed_text or clause_text
        form.language.data = comment.language if comment.language in LANGUAGES else _page_language()
        form.text.data = comment.text_language
        form.revision.data = str(comment.revision)
    refusal = _change_refusal(comment, user, moment)
    if refusal is not None:
        return render_edit(form, comment, 409, closed=refusal)
    if form.validate_on_submit():
        try:
            comments.edit_comment(
                comment.id,
                form.comment_input(),
                user,
                expected_revision=form.expected_revision(),
            )
        except comments.EditConflict as conflict:
            form.revision.data = str(conflict.comment.revision)
            return render_edit(form, conflict.comment, 409, newer=conflict.comment)
        except (comments.RoundClosed, Refused) as error:
            return render_edit(form, comment, 409, closed=error.message)
        except ServiceError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("Your changes are saved; the earlier text is kept."), "success")
            return redirect(url_for("comments.show", comment_id=comment.id), 303)
    return render_edit(form, comment)


@bp.route("/comments/<int:comment_id>/withdraw", methods=["GET", "POST"])
def withdraw(comment_id: int) -> ResponseReturnValue:
    """Withdraw a comment: kept and marked, hidden from other organisations.

    The GET is the confirmation page saying what withdrawing does; a POST
    without its confirmation field changes nothing and leads to that page.
    """
    user = acting_user()
    moment = now()
    comment = _own_comment(
        comment_id, user, moment, _("Only your organisation's own comments can be withdrawn.")
    )
    refusal = _change_refusal(comment, user, moment)
    if refusal is not None:
        return _refused(refusal, 409)
    form = ConfirmForm()
    if request.method == "POST" and not form.confirmed():
        return redirect(url_for("comments.withdraw", comment_id=comment_id), 303)
    if request.method == "GET":
        return render_template(
            "comments/withdraw.html",
            comment_id=comment.id,
            tracking_number=comment.tracking_number,
            round_title=comment.round.title,
        )
    try:
        comments.withdraw_comment(comment.id, user)
    except (comments.RoundClosed, Refused) as error:
        return _refused(error.message, 409)
    flash(_("The comment is withdrawn. It is kept, marked as withdrawn."), "success")
    return redirect(url_for("comments.show", comment_id=comment_id), 303)


@bp.get("/our-comments")
def ours() -> ResponseReturnValue:
    """The organisation's comments across all rounds, with their state and responses."""
    user = acting_user()
    groups = comment_queries.our_comments(user, now())
    organisation = user.organisation.name if user.organisation else ""
    return render_template("comments/ours.html", groups=groups, organisation=organisation)


@bp.get("/rounds/<int:round_id>/comments")
def round_comments(round_id: int) -> ResponseReturnValue:
    """The round's comments the reader may see, in document order.

    For the staff who read every comment and the organisations taking part:
    an administrator, who sees no comment, is refused rather than shown an
    empty list.
    """
    user = acting_user()
    round_ = found(round_queries.known_round, user, round_id)
    if not (permissions.sees_every_comment(user) or permissions.takes_part(user, round_)):
        abort(403)
    moment = now()
    group = comment_queries.round_comments(user, round_, moment)
    return render_template(
        "comments/round.html",
        group=group,
        can_comment=permissions.can_comment(user, round_, moment),
    )


def form_again(round_id: int, notice: str) -> ResponseReturnValue:
    """Show the posted comment form again, unsaved, with `notice` (status 400)."""
    user = acting_user()
    round_ = found(round_queries.known_round, user, round_id)
    clause = _clause(round_, (request.form.get("clause") or request.args.get("clause", "")).strip())
    if not permissions.takes_part(user, round_):
        abort(403)
    return render_new(CommentForm(), round_, clause, 400, notice=notice)


def edit_form_again(comment_id: int, notice: str) -> ResponseReturnValue:
    """Show the posted edit form again, unsaved, with `notice` (status 400)."""
    user = acting_user()
    comment = _own_comment(comment_id, user, now())
    return render_edit(EditForm(), comment, 400, notice=notice)
