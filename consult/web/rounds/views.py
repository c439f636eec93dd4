"""The list of rounds, a round's page, opening a round and moving its closing time.

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
from consult.moments import Moment
from consult.permissions import (
    can_answer,
    can_comment,
    can_manage_rounds,
    knows_round,
    sees_comment_counts,
    sees_every_comment,
    sees_others_comments,
    takes_part,
)
from consult.services import accounts, drafts, round_queries, rounds
from consult.services.errors import NotFound, ServiceError
from consult.services.round_queries import CommentBreakdown, RoundSummary, summarise
from consult.services.transactions import now
from consult.web.lookup import acting_user, found, user_with
from consult.web.rounds.blueprint import bp
from consult.web.rounds.forms import ClosingForm, NewRoundForm
from consult.web.rounds.present import local_naive, meeting_dates


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
    )


def render_round(
    user: User, round_: Round, closing_form: ClosingForm | None = None, status: int = 200
) -> ResponseReturnValue:
    """Render the round's page; the secretariat gets the closing-time form."""
    if closing_form is None and can_manage_rounds(user):
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
        except ServiceError as err:
            form.form_errors.append(err.message)
        else:
            flash(_("The round “%(title)s” is created.", title=created.title), "success")
            return redirect(url_for("rounds.show", round_id=created.id))
    return render_template("rounds/new.html", form=form, version=version)


@bp.post("/rounds/<int:round_id>/closing")
def change_closing(round_id: int) -> ResponseReturnValue:
    """Move the round's closing time; show the round's page again with the problem."""
    user = user_with(can_manage_rounds)
    round_ = found(rounds.get_round, round_id)
    form = ClosingForm()
    if form.validate_on_submit():
        try:
            changed = rounds.change_closing_time(round_, form.closes_at_utc(), user)
        except NotFound:
            abort(404)
        except ServiceError:
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
