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
from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    Field,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, ValidationError

from consult import labels
from consult.domain.countries import is_assigned_code, normalise_code
from consult.domain.password_policy import MAX_LENGTH, MIN_LENGTH
from consult.models import ORGANISATION_KINDS, ROLES, AuditEvent, Organisation, User
from consult.moments import Moment, day_text, duration_text
from consult.services import accounts, audit_log, passwords
from consult.services.errors import ServiceError
from consult.web.bidi import isolate, isolate_text, sentence
from consult.web.clean_form import CleanForm
from consult.web.dates import check_in_calendar
from consult.web.lookup import acting_user, found

bp = Blueprint("admin", __name__, url_prefix="/admin")

SYSTEM_ACTOR = "system"
AUDIT_FILTER_KEYS = ("person", "object_type", "object_id", "action", "date_from", "date_to")
# How the services store days and times in an event's details (ISO 8601).
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _choices(*pairs: tuple[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class OrganisationForm(CleanForm):
    """A new organisation: name, kind and, for a Member State, its country code."""

    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the organisation's name.")), Length(max=200)],
    )
    kind = SelectField(
        _l("Kind"),
        choices=_choices(("", _l("Choose a kind")), *labels.ORGANISATION_KINDS.items()),
        validate_choice=False,
    )
    country_code = StringField(_l("Country code (ISO 3166 alpha-2)"), filters=[_strip])

    def validate_name(self, field: Field) -> None:
        """Refuse a name that exists already, whatever its case."""
        if accounts.organisation_name_taken(field.data):
            raise ValidationError(_("An organisation with this name exists already."))

    def validate_kind(self, field: Field) -> None:
        """Accept only the kinds offered (a forged value gets a message)."""
        if field.data not in ORGANISATION_KINDS:
            raise ValidationError(_("Choose a kind of organisation from the list."))

    def validate_country_code(self, field: Field) -> None:
        """A Member State needs an assigned ISO code; nobody else may have one."""
        code = normalise_code(field.data)
        if self.kind.data != "member_state":
            if code is not None:
                raise ValidationError(_("Only a Member State has a country code: leave it empty."))
            return
        if code is None:
            raise ValidationError(_("A Member State needs its two-letter ISO 3166 country code."))
        if not is_assigned_code(code):
            raise ValidationError(
                _("“%(code)s” is not an assigned ISO 3166 country code.", code=field.data)
            )


#: How a new account gets its password: the person chooses it through an e-mailed
#: link (the default: an admin need not know anyone's password), or the admin sets it.
EMAIL_LINK = "email_link"
SET_NOW = "set_now"


class UserForm(CleanForm):
    """A new account: name, e-mail, organisation, role, and how it gets its password.

    Either a link to choose a password is e-mailed to the person, or the admin
    types an initial password, which only then is required and checked against
    the policy (decided here, on the server, by the choice sent).
    """

    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the person's name.")), Length(max=200)],
    )
    email = EmailField(
        _l("E-mail"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter an e-mail address.")), Length(max=254)],
    )
    organisation = SelectField(_l("Organisation"), validate_choice=False)
    role = SelectField(
        _l("Role"),
        choices=_choices(("", _l("Choose a role")), *labels.ROLES.items()),
        validate_choice=False,
    )
    password_choice = RadioField(
        _l("Password"),
        choices=_choices(
            (EMAIL_LINK, _l("E-mail a link to choose a password")),
            (SET_NOW, _l("Set an initial password now")),
        ),
        default=EMAIL_LINK,
        validate_choice=False,
    )
    password = PasswordField(
        _l("Initial password"),
        # Required and checked in validate_password, only when it is to be set now;
        # the policy's message counts in the reader's language.
        render_kw={"minlength": MIN_LENGTH, "maxlength": MAX_LENGTH},
    )

    def offer_organisations(self, organisations: list[Organisation]) -> None:
        """Fill the organisation select; remember the choices to look them up."""
        self.organisations_by_id = {str(o.id): o for o in organisations}
        self.organisation.choices = _choices(
            ("", _("No organisation")),
            *((key, org.name) for key, org in self.organisations_by_id.items()),
        )

    def chosen_organisation(self) -> Organisation | None:
        """Return the organisation chosen, or None."""
        return self.organisations_by_id.get(self.organisation.data or "")

    def validate_email(self, field: Field) -> None:
        """Refuse what is not an e-mail address, and an address in use (whatever its case)."""
        if not accounts.EMAIL_PATTERN.match(field.data):
            raise ValidationError(_("Enter an e-mail address such as name@example.org."))
        if accounts.email_taken(field.data):
            raise ValidationError(_("An account with this e-mail address exists already."))

    def validate_password_choice(self, field: Field) -> None:
        """One of the two ways, sent by the form (a missing or forged value gets a message)."""
        if not field.raw_data or field.data not in (EMAIL_LINK, SET_NOW):
            field.data = None  # shown again with neither option ticked, as it was sent
            raise ValidationError(
                _(
                    "Choose how the person gets a password: a link e-mailed to them, "
                    "or an initial password you set now."
                )
            )

    def sets_password_now(self) -> bool:
        """Return whether the admin chose to set an initial password now."""
        return bool(self.password_choice.raw_data) and self.password_choice.data == SET_NOW

    def validate_password(self, field: Field) -> None:
        """With a password set now: required, and the policy (long enough, not common, not
        the account's e-mail or name). With a link: left empty."""
        if not self.sets_password_now():
            if field.data and self.password_choice.data == EMAIL_LINK:
                raise ValidationError(
                    _(
                        "You chose to e-mail a link: leave the password empty, "
                        "or choose “Set an initial password now”."
                    )
                )
            return
        if not field.data:
            raise ValidationError(_("Enter an initial password."))
        problem = passwords.new_password_problem(
            field.data, email=self.email.data or "", name=self.name.data or ""
        )
        if problem is not None:
            raise ValidationError(problem)

    def validate_role(self, field: Field) -> None:
        """Accept only the roles offered."""
        if field.data not in ROLES:
            raise ValidationError(_("Choose a role from the list."))

    def validate_organisation(self, field: Field) -> None:
        """Accept only organisations offered; a stakeholder must have one."""
        if field.data and field.data not in self.organisations_by_id:
            raise ValidationError(_("Choose an organisation from the list."))
        if not field.data and self.role.data == "stakeholder":
            raise ValidationError(_("A stakeholder acts for an organisation: choose one."))


def _parse_date(field: Field) -> date | None:
    if not field.data:
        return None
    try:
        day = datetime.strptime(field.data, "%Y-%m-%d").date()
    except ValueError:
        raise ValidationError(
            _("Enter the date as year-month-day, for example 2026-03-31.")
        ) from None
    check_in_calendar(day)
    return day


class AuditFilterForm(CleanForm):
    """Filters for the audit log, sent by GET (nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    person = SelectField(_l("Person"), validate_choice=False)
    object_type = SelectField(_l("Kind of object"), validate_choice=False)
    object_id = StringField(_l("Object number"), filters=[_strip], validators=[Length(max=80)])
    action = SelectField(_l("Action"), validate_choice=False)
    date_from = StringField(_l("From (UTC)"), filters=[_strip])
    date_to = StringField(_l("To (UTC)"), filters=[_strip])

    def offer_choices(self, users: list[User], object_types: list[str], actions: list[str]) -> None:
        """Fill the selects with what the trail and the accounts hold."""
        self.person.choices = _choices(
            ("", _("Anyone")),
            (SYSTEM_ACTOR, _("Command line / system")),
            *((str(user.id), f"{isolate_text(user.name)} ({user.email})") for user in users),
        )
        self.object_type.choices = _choices(("", _("Any")), *((t, t) for t in object_types))
        named = ((a, f"{labels.label(labels.AUDIT_ACTIONS, a)} ({a})") for a in actions)
        self.action.choices = _choices(("", _("Any")), *named)

    def _offered(self, field: SelectField, message: str) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(message)

    def validate_person(self, field: SelectField) -> None:
        """Accept anyone, the system or a listed account."""
        self._offered(field, _("Choose a person from the list."))

    def validate_object_type(self, field: SelectField) -> None:
        """Accept the kinds of object listed."""
        self._offered(field, _("Choose a kind of object from the list."))

    def validate_object_id(self, field: Field) -> None:
        """An object number means something only with its kind."""
        if field.data and not self.object_type.data:
            raise ValidationError(_("Choose the kind of object as well."))

    def validate_action(self, field: SelectField) -> None:
        """Accept the actions listed."""
        self._offered(field, _("Choose an action from the list."))

    def validate_date_from(self, field: Field) -> None:
        """A real date, or nothing."""
        _parse_date(field)

    def validate_date_to(self, field: Field) -> None:
        """A real date, or nothing, not before the start date."""
        end = _parse_date(field)
        try:
            start = _parse_date(self.date_from)
        except ValidationError:
            return
        if start and end and end < start:
            raise ValidationError(_("The end date comes before the start date."))

    def to_filter(self) -> audit_log.AuditFilter:
        """Return the filter the (valid) form describes."""
        person = self.person.data or None
        return audit_log.AuditFilter(
            actor=person if person in (None, SYSTEM_ACTOR) else int(person),
            object_type=self.object_type.data or None,
            object_id=self.object_id.data or None,
            action=self.action.data or None,
            date_from=_parse_date(self.date_from),
            date_to=_parse_date(self.date_to),
        )


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
