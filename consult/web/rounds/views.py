"""The list of rounds, a round's page, opening a round, moving its closing time, closing it now.

Closing a round earlier than planned is permanent for those who meant to
comment: it is confirmed on a page that says what will happen first.

Counts of comments come from round_queries, which filters every count with
permissions.visible_comments: a stakeholder never learns how many comments it
may not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from consult import labels
from consult.models import Round, User
from consult.moments import Moment, meeting_dates
from consult.permissions import (
    can_answer,
    can_close_now,
    can_comment,
    can_correct_round,
    can_manage_rounds,
    can_move_closing,
    knows_round,
    sees_comment_counts,
    sees_every_comment,
    sees_others_comments,
    takes_part,
)
from consult.services import accounts, drafts, round_queries, rounds
from consult.services.errors import NotFound, ServiceError
from consult.services.round_queries import CommentBreakdown, RoundSummary, summarise
from consult.services.rounds import ClosesBeforeOpening, ClosingInPast, RoundSettled
from consult.services.transactions import now
from consult.web.bidi import isolate, sentence
from consult.web.lookup import acting_user, found, user_with
from consult.web.rounds.blueprint import bp
from consult.web.rounds.confirm import Confirmation, closing_consequences
from consult.web.rounds.forms import DATETIME_FORMATS, ClosingForm, ConfirmForm, NewRoundForm
from consult.web.rounds.present import local_naive


def round_to_answer(round_id: int) -> tuple[User, Round]:
    """Return the signed-in user and the round if they may answer its comments; else 404 or 403."""
    user = acting_user()
    round_ = found(rounds.get_round, round_id)
    if not can_answer(user, round_):
        abort(403)
    return user, round_


def optional_url(endpoint: str, **values: Any) -> str | None:
    """Return the URL of a page of another blueprint, or None while it does not exist yet."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@dataclass(frozen=True)
class RoundRow:
    """One round in the list, with the number of comments its reader may see (None: not shown)."""

    round: RoundSummary
    count: int | None


@dataclass(frozen=True)
class OpenableVersion:
    """A published version the secretariat may open a round on."""

    slug: str
    title: str
    number: int


@dataclass(frozen=True)
class RoundPage:
    """Everything the round's page shows, decided for its reader."""

    round: RoundSummary
    place: str
    meeting: str
    invited: list[str]
    visibility_text: str
    attribution_text: str
    count: int | None
    count_label: str
    count_hint: str
    breakdown: CommentBreakdown | None
    type_counts: list[tuple[str, int]]
    comment_url: str | None
    comments_url: str | None
    manages: bool
    published: Moment | None
    can_move_closing: bool
    can_close_now: bool
    can_correct: bool


def _counts_for(user: User, round_: Round, at: datetime) -> tuple[int | None, str, str]:
    """Return the count a stakeholder may see, its label and a hint ('' when none)."""
    if not takes_part(user, round_):
        return None, "", ""
    count = round_queries.visible_comment_counts(user, [round_], at)[round_.id]
    if sees_others_comments(user, round_, at):
        return count, _("Comments you can read"), ""
    hint = (
        _("Until the round closes you see only your organisation's comments.")
        if round_.visibility == "own_until_close"
        else _("In this round you see only your organisation's comments.")
    )
    return count, _("Your organisation's comments"), hint


def round_page(user: User, round_: Round) -> RoundPage:
    """Return the round's page as `user` may see it."""
    at = now()
    breakdown = None
    count: int | None
    if sees_every_comment(user):
        breakdown = round_queries.comment_breakdown(user, round_, at)
        count, label, hint = breakdown.total, _("Comments"), ""
    else:
        count, label, hint = _counts_for(user, round_, at)
    return RoundPage(
        round=summarise(round_, at),
        place=round_.place,
        meeting=meeting_dates(round_.meeting_starts_on, round_.meeting_ends_on),
        invited=sorted(i.organisation.name for i in round_.invitations)
        if round_.participation == "invited"
        else [],
        visibility_text=labels.label(labels.VISIBILITY, round_.visibility),
        attribution_text=labels.label(labels.ATTRIBUTION, round_.attribution),
        count=count,
        count_label=label,
        count_hint=hint,
        breakdown=breakdown,
        type_counts=[(labels.label(labels.COMMENT_TYPES, t), n) for t, n in breakdown.by_type]
        if breakdown
        else [],
        comment_url=optional_url("comments.new", round_id=round_.id)
        if can_comment(user, round_, at)
        else None,
        comments_url=optional_url("comments.round_comments", round_id=round_.id)
        if sees_every_comment(user) or takes_part(user, round_)
        else None,
        manages=can_manage_rounds(user),
        published=Moment(round_.responses_published_at, round_.time_zone)
        if round_.responses_published_at
        else None,
        can_move_closing=can_move_closing(user, round_),
        can_close_now=can_close_now(user, round_, at),
        can_correct=can_correct_round(user, round_, at),
    )


def render_round(
    user: User, round_: Round, closing_form: ClosingForm | None = None, status: int = 200
) -> ResponseReturnValue:
    """Render the round's page; the secretariat gets the closing-time form until it is settled."""
    if closing_form is None and can_move_closing(user, round_):
        closing_form = ClosingForm(
            formdata=None,
            data={
                "closes_at": local_naive(round_.closes_at, round_.time_zone),
                "time_zone": round_.time_zone,
            },
        )
    page = round_page(user, round_)
    return render_template("rounds/show.html", page=page, closing_form=closing_form), status


@bp.get("/rounds")
def index() -> ResponseReturnValue:
    """List the rounds the reader may know about, with their state and counts."""
    user = acting_user()
    at = now()
    found = round_queries.rounds_for_reader(user)
    counted = sees_comment_counts(user)
    counts = round_queries.visible_comment_counts(user, found, at) if counted else {}
    rows = [RoundRow(summarise(r, at), counts.get(r.id) if counted else None) for r in found]
    manages = can_manage_rounds(user)
    openable = (
        [
            OpenableVersion(document.slug, document.title, version.number)
            for document in drafts.list_documents()
            for version in document.versions
            if version.is_published
        ]
        if manages
        else []
    )
    return render_template(
        "rounds/index.html", rows=rows, counted=counted, manages=manages, openable=openable
    )


@bp.get("/rounds/<int:round_id>")
def show(round_id: int) -> ResponseReturnValue:
    """A round's page: its dates, state, rules and the counts its reader may see.

    A stakeholder whose organisation is not invited to an invitation-only round
    does not learn that it exists: 404, as the list of rounds leaves it out.
    """
    user = acting_user()
    round_ = found(rounds.get_round, round_id)
    if not knows_round(user, round_):
        abort(404)
    return render_round(user, round_)


@bp.route("/documents/<slug>/v<int:number>/rounds/new", methods=["GET", "POST"])
def new(slug: str, number: int) -> ResponseReturnValue:
    """Open a round on a published version; show the form again with its problems."""
    user = user_with(can_manage_rounds)
    version = found(drafts.get_version, slug, number)
    if not version.is_published:
        status = 409 if request.method == "POST" else 200
        return render_template("rounds/new.html", form=None, version=version), status
    form = NewRoundForm()
    form.offer_organisations([row.organisation for row in accounts.list_organisations()])
    if form.validate_on_submit():
        try:
            created = rounds.create_round(version, form.settings(), user)
        except ClosingInPast:
            form.closes_at.errors.append(_past_message())
        except ServiceError as err:
            form.form_errors.append(err.message)
        else:
            flash(
                sentence(_("The round “%(title)s” is created."), title=isolate(created.title)),
                "success",
            )
            return redirect(url_for("rounds.show", round_id=created.id))
    return render_template("rounds/new.html", form=form, version=version)


def _past_message() -> str:
    return str(_("This time has passed. Choose a closing time still to come."))


def _closes_earlier(round_: Round, closes_at: datetime) -> bool:
    """Whether `closes_at` ends an open round sooner than announced (still to come)."""
    at = now()
    return round_.state(at) == "open" and at < closes_at < round_.closes_at


@bp.post("/rounds/<int:round_id>/closing")
def change_closing(round_id: int) -> ResponseReturnValue:
    """Move the round's closing time; show the round's page again with the problem.

    An earlier close of an open round is asked to be confirmed first: the
    answer is the confirmation page, and nothing changes until it is sent.
    """
    user = user_with(can_manage_rounds)
    round_ = found(rounds.get_round, round_id)
    form = ClosingForm()
    if form.validate_on_submit():
        closes_at = form.closes_at_utc()
        if form.confirm.data != "yes" and _closes_earlier(round_, closes_at):
            return _confirm_earlier_close(round_, form, closes_at)
        try:
            changed = rounds.change_closing_time(round_, closes_at, user)
        except NotFound:
            abort(404)
        except RoundSettled as err:
            form.closes_at.errors.append(_("Nothing was changed: %(reason)s.", reason=err.message))
        except ClosingInPast:
            form.closes_at.errors.append(_past_message())
        except ClosesBeforeOpening:
            form.closes_at.errors.append(
                _(
                    "The round must close after it opens (%(opens)s).",
                    opens=Moment(round_.opens_at, round_.time_zone).text,
                )
            )
        else:
            flash(
                _(
                    "The round now closes at %(closes)s.",
                    closes=Moment(changed.closes_at, changed.time_zone).text,
                ),
                "success",
            )
            return redirect(url_for("rounds.show", round_id=round_id))
    return render_round(user, round_, form, status=400)


def _confirm_earlier_close(
    round_: Round, form: ClosingForm, closes_at: datetime
) -> ResponseReturnValue:
    new = Moment(closes_at, round_.time_zone).text
    page = Confirmation(
        title=sentence(_("Close “%(title)s” earlier?"), title=isolate(round_.title)),
        consequences=[
            _(
                "The round is announced to close at %(old)s. It will close at %(new)s instead.",
                old=Moment(round_.closes_at, round_.time_zone).text,
                new=new,
            ),
            *closing_consequences(round_, new),
        ],
        action=url_for("rounds.change_closing", round_id=round_.id),
        button=_("Close the round earlier, at %(new)s", new=new),
        back_url=url_for("rounds.show", round_id=round_.id, _anchor="closing"),
        back_text=_("Keep the announced closing time"),
        fields={
            "closes_at": form.closes_at.data.strftime(DATETIME_FORMATS[0]),
            "time_zone": form.time_zone.data,
        },
    )
    return render_template(
        "rounds/confirm.html", page=page, round_id=round_.id, round_title=round_.title
    )


@bp.route("/rounds/<int:round_id>/close", methods=["GET", "POST"])
def close_now(round_id: int) -> ResponseReturnValue:
    """Close an open round at once, after a confirmation page (GET) says what will happen.

    A POST without the confirmation field changes nothing and leads to that page.
    """
    user = user_with(can_manage_rounds)
    round_ = found(rounds.get_round, round_id)
    back = url_for("rounds.show", round_id=round_id)
    if not can_close_now(user, round_, now()):
        flash(_("This round is not open: there is nothing to close now."), "error")
        return redirect(back, 303)
    form = ConfirmForm()
    if request.method == "GET" or not form.confirmed():
        if request.method == "POST":
            return redirect(url_for("rounds.close_now", round_id=round_id), 303)
        page = Confirmation(
            title=sentence(_("Close “%(title)s” now?"), title=isolate(round_.title)),
            consequences=[
                _(
                    "The round is announced to close at %(old)s.",
                    old=Moment(round_.closes_at, round_.time_zone).text,
                ),
                *closing_consequences(round_, None),
            ],
            action=url_for("rounds.close_now", round_id=round_id),
            button=_("Close the round now"),
            back_url=back,
            back_text=_("Keep the round open"),
            fields={},
        )
        return render_template(
            "rounds/confirm.html", page=page, round_id=round_.id, round_title=round_.title
        )
    try:
        closed = rounds.close_round_now(round_.id, user)
    except NotFound:
        abort(404)
    except ServiceError as err:
        flash(_("The round was not closed: %(reason)s.", reason=err.message), "error")
    else:
        flash(
            _(
                "The round closed at %(closes)s.",
                closes=Moment(closed.closes_at, closed.time_zone).text,
            ),
            "success",
        )
    return redirect(back, 303)
