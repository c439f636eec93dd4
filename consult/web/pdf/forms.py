"""The PDF export form: which variant, against which version, with which round's comments.

The choices are filled in per request from what the person may read
(consult.services.export_choices), so that a choice they may not make is not
even offered, and a forged one fails validation.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField
from wtforms.validators import InputRequired, ValidationError

from consult import labels
from consult.languages import language_name
from consult.services.export_choices import PdfChoices
from consult.web.bidi import isolate_text
from consult.web.clean_form import CleanForm
from consult.web.converters import bounded_int


class PdfForm(CleanForm):
    """Ask for a PDF of one version."""

    variant = RadioField(
        _l("What the PDF holds"),
        validators=[InputRequired(_l("Choose what the PDF holds."))],
        default="clean",
    )
    against = SelectField(_l("Mark the changes against"), coerce=int, validate_choice=False)
    round = SelectField(_l("Comments of the round"), coerce=int, validate_choice=False)
    matrix_annex = BooleanField(_l("End with the round’s comment matrix as an annex"))
    language = SelectField(_l("Language of the text"), validate_choice=False)

    def offer(self, choices: PdfChoices) -> None:
        """Offer the variants, versions and rounds of `choices` (and nothing else)."""
        variants = [SelectChoice("clean", _("The text alone"))]
        if choices.earlier:
            variants.append(
                SelectChoice("changes", _("The text with its changes against an earlier version"))
            )
        if choices.reads_comments and choices.rounds:
            variants.append(
                SelectChoice("comments", _("The text with a round’s comments under each clause"))
            )
        self.variant.choices = variants
        self.against.choices = [
            SelectChoice(
                v.number,
                labels.version_name(v.number, isolate_text(v.label) if v.label else ""),
            )
            for v in choices.earlier
        ]
        self.round.choices = [SelectChoice(r.id, isolate_text(r.title)) for r in choices.rounds]
        self.language.choices = [
            SelectChoice(code, language_name(code)) for code in choices.languages
        ]
        self._choices = choices

    def prefill(self, args: Mapping[str, str], reader_language: str) -> None:
        """Choose what a link asks for (`?variant=comments&round=3&text=fr`), when it is on
        offer; the text in the reader's language when the version has it, else its own."""
        languages = self._choices.languages
        asked = args.get("text", "")
        if asked in languages:
            self.language.data = asked
        elif languages:
            self.language.data = reader_language if reader_language in languages else languages[0]
        variant = args.get("variant")
        if variant in {str(c.value) for c in self.variant.choices or []}:
            self.variant.data = variant
        offered = {r.id for r in self._choices.rounds}
        round_id = bounded_int(args.get("round"))
        if round_id in offered:
            self.round.data = round_id

    def validate_against(self, field: SelectField) -> None:
        """Changes are marked against a version offered, when the changes variant is asked for."""
        if self.variant.data != "changes":
            return
        if field.data not in {v.number for v in self._choices.earlier}:
            raise ValidationError(_("Choose an earlier version to compare with."))

    def validate_round(self, field: SelectField) -> None:
        """Comments, and the annex, come from a round offered."""
        if self.variant.data != "comments" and not self.matrix_annex.data:
            return
        if field.data not in {r.id for r in self._choices.rounds}:
            raise ValidationError(_("Choose the round whose comments the PDF shows."))

    def validate_language(self, field: SelectField) -> None:
        """The text in one of the version's languages (its own when the form has no field)."""
        if field.data and field.data not in self._choices.languages:
            raise ValidationError(_("Choose one of the languages of this version."))

    def validate_matrix_annex(self, field: BooleanField) -> None:
        """Only those who read comments may annex a matrix, of a round they know."""
        if field.data and not (self._choices.reads_comments and self._choices.rounds):
            raise ValidationError(_("This version has no round whose matrix could be annexed."))


class StepForm(CleanForm):
    """A retry: the CSRF token only."""
