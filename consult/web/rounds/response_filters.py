"""The filters of the secretariat's overview of a round's answers (a GET form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from consult import labels
from consult.services.response_overview import SHOW_CHOICES, OverviewFilters
from consult.web.clean_form import CleanForm
from consult.web.converters import MAX_ID


def _page_number(_form: FlaskForm, field: Field) -> None:
    # Not NumberRange: it passes the number to math.isnan, which overflows on a huge one.
    if field.data is not None and not 1 <= field.data <= MAX_ID:
        raise ValidationError(_l("Choose a page from the list."))


class OverviewForm(CleanForm):
    """Which comments the overview lists. Unknown values are refused with a message."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    show = SelectField(
        _l("Show"),
        choices=[
            SelectChoice("waiting_first", _l("All, waiting first")),
            SelectChoice("waiting", _l("Only those waiting for an answer")),
            SelectChoice("answered", _l("Only those answered")),
        ],
        default="waiting_first",
    )
    status = SelectField(
        _l("Answer"),
        choices=[
            SelectChoice("", _l("Any answer")),
            *(SelectChoice(code, label) for code, label in labels.DISPOSITIONS.items()),
        ],
        default="",
    )
    clause = SelectField(_l("Clause"), default="", validate_choice=False)
    organisation = SelectField(_l("Organisation"), default="", validate_choice=False)
    page = IntegerField(_l("Page"), validators=[Optional(), _page_number], default=1)

    def offer(self, clauses: list[tuple[str, str]], organisations: list[tuple[int, str]]) -> None:
        """Offer the clauses and organisations that have comments in the round."""
        self.clause.choices = [SelectChoice("", _l("Every clause"))] + [
            SelectChoice(key, name) for key, name in clauses
        ]
        self.organisation.choices = [SelectChoice("", _l("Every organisation"))] + [
            SelectChoice(str(number), name) for number, name in organisations
        ]

    def validate_organisation(self, field: SelectField) -> None:
        """An organisation is chosen by its number."""
        if field.data and not str(field.data).isdigit():
            raise ValidationError(_l("Choose an organisation from the list."))

    def filters(self) -> OverviewFilters:
        """The filters the form asks for (call after a successful validate)."""
        show = self.show.data if self.show.data in SHOW_CHOICES else "waiting_first"
        organisation = self.organisation.data
        return OverviewFilters(
            show=show,
            status=self.status.data or "",
            clause=self.clause.data or "",
            organisation=int(organisation) if organisation else None,
            page=self.page.data or 1,
        )
