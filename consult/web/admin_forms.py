"""The administration forms: an organisation, an account, the audit log's filters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
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
from consult.models import ORGANISATION_KINDS, ROLES, Organisation, User
from consult.services import accounts, audit_log, passwords
from consult.web.bidi import isolate_text
from consult.web.clean_form import CleanForm
from consult.web.dates import check_in_calendar

SYSTEM_ACTOR = "system"


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
            *((key, isolate_text(org.name)) for key, org in self.organisations_by_id.items()),
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
        self.object_type.choices = _choices(
            ("", pgettext("a filter: any type of object", "Any")), *((t, t) for t in object_types)
        )
        named = ((a, f"{labels.label(labels.AUDIT_ACTIONS, a)} ({a})") for a in actions)
        self.action.choices = _choices(("", pgettext("a filter: any action", "Any")), *named)

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
