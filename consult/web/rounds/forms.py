"""The secretariat's forms: a new round, its corrections, a new closing time, a confirmation,
a response to a comment.

Dates and times are typed as wall-clock times in a chosen IANA time zone and
converted to UTC here, before any service sees them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from consult import labels
from consult.models import ATTRIBUTION, DISPOSITIONS, PARTICIPATION, VISIBILITY, Organisation
from consult.plurals import ngettext
from consult.services.errors import ServiceError
from consult.services.responses import MAX_EXPLANATION
from consult.services.round_corrections import RoundDetails
from consult.services.rounds import RoundSettings, check_time_zone
from consult.web.clean_form import CleanForm
from consult.web.dates import in_calendar, within_calendar

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _choices(names: labels.Labels) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in names.items()]


def _known_zone(_form: FlaskForm, field: Field) -> None:
    try:
        check_time_zone(field.data or "")
    except ServiceError:
        raise ValidationError(
            _(
                "“%(zone)s” is not a time zone we know. Use a name such as UTC, "
                "Europe/Zurich or America/New_York.",
                zone=field.data,
            )
        ) from None


def to_utc(local: datetime | None, zone_name: str) -> datetime | None:
    """Return the wall-clock time `local` in the zone `zone_name` as UTC (None if unknowable).

    A time outside the calendar forms accept (consult.web.dates) is unknowable:
    near year 1 or 9999 the conversion would leave Python's calendar.
    """
    if local is None or not in_calendar(local):
        return None
    try:
        zone = ZoneInfo(check_time_zone(zone_name))
    except ServiceError:
        return None
    return local.replace(tzinfo=zone).astimezone(UTC)


class NewRoundForm(CleanForm):
    """A round on a published version: dates, place, who takes part, who sees what."""

    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the round a title.")), Length(max=300)],
    )
    place = StringField(_l("Meeting place"), filters=[_strip], validators=[Length(max=200)])
    meeting_starts_on = DateField(_l("Meeting starts on"), validators=[Optional(), within_calendar])
    meeting_ends_on = DateField(_l("Meeting ends on"), validators=[Optional(), within_calendar])
    opens_at = DateTimeLocalField(
        _l("Comments open at"),
        format=DATETIME_FORMATS,
        validators=[
            DataRequired(_l("Enter the date and time when commenting opens.")),
            within_calendar,
        ],
    )
    closes_at = DateTimeLocalField(
        _l("Comments close at"),
        format=DATETIME_FORMATS,
        validators=[
            DataRequired(_l("Enter the date and time when commenting closes.")),
            within_calendar,
        ],
    )
    time_zone = StringField(
        _l("Time zone of these times"),
        default="UTC",
        filters=[_strip],
        validators=[DataRequired(_l("Enter a time zone, such as UTC.")), _known_zone],
    )
    participation = RadioField(
        _l("Who may comment"),
        choices=_choices(labels.PARTICIPATION_CHOICES),
        default="all",
        validate_choice=False,
    )
    invited = SelectMultipleField(
        _l("Invited organisations"),
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    visibility = RadioField(
        _l("Who sees the comments"),
        choices=_choices(labels.VISIBILITY_CHOICES),
        default="open",
        validate_choice=False,
    )
    attribution = RadioField(
        _l("Attribution"),
        choices=_choices(labels.ATTRIBUTION_CHOICES),
        default="named",
        validate_choice=False,
    )

    def offer_organisations(self, organisations: Sequence[Organisation]) -> None:
        """Offer these organisations for invitation; remember them to look them up."""
        self.organisations_by_id = {str(o.id): o for o in organisations}
        self.invited.choices = [
            SelectChoice(key, o.name) for key, o in self.organisations_by_id.items()
        ]

    def validate_meeting_ends_on(self, field: Field) -> None:
        """The meeting cannot end before it starts."""
        starts = self.meeting_starts_on.data
        if field.data and starts and field.data < starts:
            raise ValidationError(_("The meeting cannot end before it starts."))

    def validate_closes_at(self, field: Field) -> None:
        """Commenting must close after it opens (compared in UTC)."""
        opens = to_utc(self.opens_at.data, self.time_zone.data or "")
        closes = to_utc(field.data, self.time_zone.data or "")
        if opens is not None and closes is not None and closes <= opens:
            raise ValidationError(_("The closing time must come after the opening time."))

    def validate_participation(self, field: Field) -> None:
        """Accept only the rules offered."""
        if field.data not in PARTICIPATION:
            raise ValidationError(_("Choose who may comment from the options."))

    def validate_invited(self, field: Field) -> None:
        """Accept only organisations offered; an invitation-only round needs one."""
        chosen = field.data or []
        if any(value not in self.organisations_by_id for value in chosen):
            raise ValidationError(_("Choose organisations from the list."))
        if self.participation.data == "invited" and not chosen:
            raise ValidationError(
                _("Choose at least one organisation, or let every organisation comment.")
            )

    def validate_visibility(self, field: Field) -> None:
        """Accept only the rules offered."""
        if field.data not in VISIBILITY:
            raise ValidationError(_("Choose who sees the comments from the options."))

    def validate_attribution(self, field: Field) -> None:
        """Accept only the rules offered."""
        if field.data not in ATTRIBUTION:
            raise ValidationError(_("Choose how comments are attributed from the options."))

    def settings(self) -> RoundSettings:
        """Return what the (valid) form describes, with its times in UTC."""
        opens = to_utc(self.opens_at.data, self.time_zone.data)
        closes = to_utc(self.closes_at.data, self.time_zone.data)
        assert opens is not None and closes is not None  # checked by validate()
        invited = self.participation.data == "invited"
        return RoundSettings(
            title=self.title.data,
            opens_at=opens,
            closes_at=closes,
            place=self.place.data or "",
            meeting_starts_on=self.meeting_starts_on.data,
            meeting_ends_on=self.meeting_ends_on.data,
            time_zone=self.time_zone.data,
            participation=self.participation.data,
            visibility=self.visibility.data,
            attribution=self.attribution.data,
            invited=[self.organisations_by_id[key] for key in self.invited.data] if invited else (),
        )


class ConfirmForm(CleanForm):
    """The confirmation of a permanent action: a POST without it does nothing.

    CSRFProtect checks the page's token on every POST; this form only reads the
    field that the confirmation page, and only it, sends.
    """

    class Meta:
        csrf = False

    confirm = HiddenField()

    def confirmed(self) -> bool:
        """Whether the POST came from the confirmation page."""
        return bool(self.is_submitted() and self.confirm.data == "yes")


class CorrectRoundForm(CleanForm):
    """A round's details and invitations, corrected after it was created.

    The handler removes the fields that can no longer change (the details once
    the round has opened, the invitations of a round open to all).
    """

    title = NewRoundForm.title
    place = NewRoundForm.place
    meeting_starts_on = NewRoundForm.meeting_starts_on
    meeting_ends_on = NewRoundForm.meeting_ends_on
    opens_at = NewRoundForm.opens_at
    invited = NewRoundForm.invited

    def offer_organisations(self, organisations: Sequence[Organisation]) -> None:
        """Offer these organisations for invitation; remember them to look them up."""
        NewRoundForm.offer_organisations(self, organisations)

    def validate_meeting_ends_on(self, field: Field) -> None:
        """The meeting cannot end before it starts."""
        NewRoundForm.validate_meeting_ends_on(self, field)

    def validate_invited(self, field: Field) -> None:
        """Accept only organisations offered, and at least one."""
        chosen = field.data or []
        if any(value not in self.organisations_by_id for value in chosen):
            raise ValidationError(_("Choose organisations from the list."))
        if not chosen:
            raise ValidationError(_("Choose at least one organisation."))

    def details(self, zone_name: str) -> RoundDetails:
        """Return the corrected details, the opening time read in `zone_name` (valid form)."""
        opens = to_utc(self.opens_at.data, zone_name)
        assert opens is not None  # the round's zone is known; the time is required
        return RoundDetails(
            title=self.title.data or "",
            place=self.place.data or "",
            meeting_starts_on=self.meeting_starts_on.data,
            meeting_ends_on=self.meeting_ends_on.data,
            opens_at=opens,
        )

    def invited_organisations(self) -> list[Organisation]:
        """Return the organisations ticked (valid form)."""
        return [self.organisations_by_id[key] for key in self.invited.data or []]


class ClosingForm(CleanForm):
    """A new closing time for a round, to extend it or to close it early.

    Closing earlier than planned is confirmed first: the confirmation page
    sends the same time again with `confirm`.
    """

    closes_at = DateTimeLocalField(
        _l("New closing time"),
        format=DATETIME_FORMATS,
        validators=[DataRequired(_l("Enter the new closing date and time.")), within_calendar],
    )
    time_zone = StringField(
        _l("Time zone of this time"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter a time zone, such as UTC.")), _known_zone],
    )

    confirm = HiddenField()

    def closes_at_utc(self) -> datetime:
        """Return the new closing time in UTC (the form must be valid)."""
        closes = to_utc(self.closes_at.data, self.time_zone.data)
        assert closes is not None  # checked by validate()
        return closes


class ResponseForm(CleanForm):
    """The secretariat's disposition of one comment, and why.

    Many of these share a page, so each has a prefix (its comment's id). The
    CSRF token is checked for every POST by CSRFProtect and sent as the page's
    plain `csrf_token`, so the form does not check a prefixed one of its own.
    """

    class Meta:
        csrf = False

    disposition = SelectField(
        _l("Disposition"),
        choices=[
            SelectChoice("", _l("Choose a disposition")),
            *_choices(labels.DISPOSITIONS),
        ],
        validate_choice=False,
    )
    # The limit is checked in validate_explanation, whose message counts in the reader's language.
    explanation = TextAreaField(_l("Explanation"), render_kw={"maxlength": MAX_EXPLANATION})
    # The revision of the answer the page showed (0: none): a colleague's later save is a conflict.
    revision = IntegerField(widget=HiddenInput(), default=0)

    def validate_disposition(self, field: Field) -> None:
        """Accept only the dispositions offered."""
        if field.data not in DISPOSITIONS:
            raise ValidationError(_("Choose a disposition from the list."))

    def validate_explanation(self, field: Field) -> None:
        """At most MAX_EXPLANATION characters; every disposition but 'noted' needs a word."""
        if len(field.data or "") > MAX_EXPLANATION:
            raise ValidationError(
                ngettext(
                    "The explanation is limited to %(num)s character.",
                    "The explanation is limited to %(num)s characters.",
                    MAX_EXPLANATION,
                )
            )
        if self.disposition.data != "noted" and not (field.data or "").strip():
            raise ValidationError(
                _(
                    "Explain the disposition in a sentence or two "
                    "(only “%(noted)s” may go without).",
                    noted=labels.DISPOSITIONS["noted"],
                )
            )
