"""Correcting a round: its details until it opens, its invitations until it closes."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult.models import Round
from consult.moments import Moment
from consult.permissions import can_correct_round, can_manage_rounds
from consult.services import accounts, round_corrections, rounds
from consult.services.errors import ServiceError
from consult.services.round_queries import summarise
from consult.services.rounds import ClosesBeforeOpening
from consult.services.transactions import now
from consult.web.lookup import found, user_with
from consult.web.rounds.blueprint import bp
from consult.web.rounds.forms import CorrectRoundForm
from consult.web.rounds.present import local_naive


def _form(round_: Round, details: bool) -> CorrectRoundForm:
    """Return the form for what may still change, filled from the round on a GET."""
    form = CorrectRoundForm(
        data={
            "title": round_.title,
            "place": round_.place,
            "meeting_starts_on": round_.meeting_starts_on,
            "meeting_ends_on": round_.meeting_ends_on,
            "opens_at": local_naive(round_.opens_at, round_.time_zone),
            "invited": [str(i.organisation_id) for i in round_.invitations],
        }
    )
    if not details:
        for name in ("title", "place", "meeting_starts_on", "meeting_ends_on", "opens_at"):
            delattr(form, name)
    if round_.participation == "invited":
        form.offer_organisations([row.organisation for row in accounts.list_organisations()])
    else:
        del form.invited
    return form


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def correct(round_id: int) -> ResponseReturnValue:
    """Correct the round's details and invitations; show the form again with its problems."""
    user = user_with(can_manage_rounds)
    round_ = found(rounds.get_round, round_id)
    at = now()
    summary = summarise(round_, at)
    if not can_correct_round(user, round_, at):
        status = 409 if request.method == "POST" else 200
        if round_.state(at) == "open" and round_.responses_published_at is None:
            reason = _(
                "Every organisation may comment in this round and it has opened: there is "
                "nothing left to correct. Its closing time is changed on the round's page."
            )
        else:
            reason = _(
                "This round can no longer be corrected: it has closed, or its answers are "
                "published."
            )
        return render_template("rounds/correct.html", form=None, r=summary, reason=reason), status
    details = round_.state(at) == "upcoming"
    form = _form(round_, details)
    if form.validate_on_submit():
        try:
            correction = round_corrections.correct_round(
                round_.id,
                user,
                details=form.details(round_.time_zone) if details else None,
                invited=form.invited_organisations() if "invited" in form else None,
            )
        except ClosesBeforeOpening:
            form.opens_at.errors.append(
                _(
                    "The round must open before it closes (%(closes)s).",
                    closes=Moment(round_.closes_at, round_.time_zone).text,
                )
            )
        except ServiceError as err:
            form.form_errors.append(_("Nothing was changed: %(reason)s.", reason=err.message))
        else:
            if correction.changed:
                flash(_("The round's corrections are saved."), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("rounds.show", round_id=round_id), 303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "rounds/correct.html", form=form, r=summary, zone=round_.time_zone, details=details
    ), status
