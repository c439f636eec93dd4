"""Administration: organisations, accounts and the audit log (admins)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from consult.models import AuditEvent, User
from consult.moments import Moment, day_text, duration_text
from consult.services import accounts, audit_log, passwords
from consult.services.errors import ServiceError
from consult.web.admin_forms import (
    AuditFilterForm,
    OrganisationForm,
    UserForm,
)
from consult.web.bidi import isolate, sentence
from consult.web.lookup import acting_user, found

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_FILTER_KEYS = ("person", "object_type", "object_id", "action", "date_from", "date_to")
# How the services store days and times in an event's details (ISO 8601).
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@dataclass(frozen=True)
class EventRow:
    """An audit event ready to show."""

    at: Moment
    actor_name: str
    actor_email: str | None
    action: str
    object_type: str
    object_id: str
    details: list[tuple[str, str | Moment]]


def _detail_value(value: object) -> str | Moment:
    """Return a detail as shown: a stored time as a moment in UTC, like the event's own time,
    a stored day as words (moments), anything else as stored."""
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        if ISO_DAY.fullmatch(value):
            return day_text(date.fromisoformat(value))
        if ISO_MOMENT.match(value):
            moment = datetime.fromisoformat(value)
            return Moment(moment) if moment.tzinfo is not None else value
    except ValueError:
        pass
    return value


def event_row(event: AuditEvent) -> EventRow:
    """Return `event` as text: time in UTC, the person, the details as key and value."""
    return EventRow(
        at=Moment(event.at),
        actor_name=event.actor.name if event.actor else _("Command line / system"),
        actor_email=event.actor.email if event.actor else None,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        details=[(str(k), _detail_value(v)) for k, v in (event.details or {}).items()],
    )


@bp.route("/organisations", methods=["GET", "POST"])
def organisations() -> ResponseReturnValue:
    """List the organisations and create new ones."""
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            created = accounts.create_organisation(
                form.name.data, form.kind.data, form.country_code.data, acting_user()
            )
        except ServiceError as error:
            form.form_errors.append(error.message)
        else:
            flash(
                sentence(_("The organisation “%(name)s” is created."), name=isolate(created.name)),
                "success",
            )
            return redirect(url_for("admin.organisations"))
    return render_template(
        "admin/organisations.html",
        form=form,
        organisations=accounts.list_organisations(),
    )


@bp.route("/users", methods=["GET", "POST"])
def users() -> ResponseReturnValue:
    """List the accounts and create new ones."""
    form = UserForm()
    form.offer_organisations([row.organisation for row in accounts.list_organisations()])
    if form.validate_on_submit():
        try:
            created = accounts.create_user(
                form.name.data,
                form.email.data,
                form.role.data,
                form.password.data if form.sets_password_now() else None,
                form.chosen_organisation(),
                acting_user(),
            )
        except ServiceError as error:
            form.form_errors.append(error.message)
        else:
            if form.sets_password_now():
                flash(
                    sentence(
                        _("The account of %(email)s is created."), email=isolate(created.email)
                    ),
                    "success",
                )
            else:
                _send_welcome(created)
            return redirect(url_for("admin.users"))
    everyone = accounts.list_users()
    return render_template(
        "admin/users.html",
        form=form,
        users=everyone,
        me=acting_user(),
        password_hint=passwords.policy_hint(),
        welcome_valid_for=duration_text(passwords.welcome_valid_for()),
        # Accounts whose person has not chosen a password yet (nobody can sign in to them).
        without_password={user.id for user in everyone if not passwords.has_password(user)},
    )


def _send_welcome(created: User) -> None:
    """E-mail the new account its link to choose a password; say whether it went out.

    The account exists either way: if the mail cannot be handed over, the
    admin is told so, and how to send the link again.
    """
    try:
        sent = passwords.send_reset(created, acting_user())
    except ServiceError as error:
        flash(
            sentence(
                _(
                    "The account of %(email)s is created, but the link to choose a password "
                    "was not sent: %(reason)s. Nobody can sign in to the account until a "
                    "password is chosen. Send the link again with “E-mail a password link” "
                    "in the account's row below."
                ),
                email=isolate(created.email),
                reason=error.message,
            ),
            "error",
        )
        return
    flash(
        sentence(
            _(
                "Account created: a link to choose a password was e-mailed to %(email)s, "
                "valid for %(valid_for)s."
            ),
            email=isolate(created.email),
            valid_for=duration_text(sent.valid_for),
        ),
        "success",
    )


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user(user_id: int) -> ResponseReturnValue:
    """Deactivate an account: it cannot sign in, and its sessions end now."""
    user = found(accounts.get_user, user_id)
    try:
        accounts.deactivate_user(user, acting_user())
    except ServiceError as error:
        flash(_("Nothing changed: %(reason)s.", reason=error.message), "error")
    else:
        flash(
            sentence(
                _("The account of %(email)s is deactivated and its sessions ended."),
                email=isolate(user.email),
            ),
            "success",
        )
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reactivate")
def reactivate_user(user_id: int) -> ResponseReturnValue:
    """Let a deactivated account sign in again."""
    user = found(accounts.get_user, user_id)
    try:
        accounts.reactivate_user(user, acting_user())
    except ServiceError as error:
        flash(_("Nothing changed: %(reason)s.", reason=error.message), "error")
    else:
        flash(
            sentence(_("The account of %(email)s can sign in again."), email=isolate(user.email)),
            "success",
        )
    return redirect(url_for("admin.users"))


@bp.get("/audit")
def audit() -> ResponseReturnValue:
    """The audit log, newest first, filtered by person, object, action and dates."""
    form = AuditFilterForm(formdata=request.args)
    form.offer_choices(accounts.list_users(), audit_log.object_types(), audit_log.actions())
    page = None
    links: dict[str, str] = {}
    if form.validate():
        page = audit_log.search_events(form.to_filter(), max(request.args.get("page", 1, int), 1))
        kept: dict[str, Any] = {
            key: request.args[key] for key in AUDIT_FILTER_KEYS if request.args.get(key)
        }
        if page.has_previous:
            previous = min(page.page - 1, page.page_count)
            links["previous"] = url_for("admin.audit", **kept, page=previous)
        if page.has_next:
            links["next"] = url_for("admin.audit", **kept, page=page.page + 1)
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        rows=[event_row(event) for event in page.events] if page else [],
        links=links,
    )
