"""The matrix's forms: one answer, one answer for many comments, a standard answer.

The answer forms keep the field names of the matrix contract (disposition,
explanation, standard_answer, revision, next), so that the matrix page's
row forms and bulk form post to them. CSRFProtect checks the page's plain
`csrf_token` on every POST, as for the responses page.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from wtforms import Field, HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from consult import labels
from consult.models import DISPOSITIONS, StandardAnswer
from consult.plurals import ngettext
from consult.services.standard_answers import MAX_TEXT
from consult.web.clean_form import CleanForm
from consult.web.rounds.forms import ResponseForm

# How much of a standard answer a list of choices shows; the page shows it whole.
CHOICE_LENGTH = 90


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def shorten(text: str, limit: int = CHOICE_LENGTH) -> str:
    """Return `text` on one line, cut at a word before `limit` characters with an ellipsis."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] or line[: limit - 1]
    return cut + "…"


def local_path(value: str | None) -> str | None:
    """Return `value` if it is a path on this site ("/documents/x/matrix?page=2#c-3"), else None.

    Refused: other sites ("https://…", "//host"), a backslash (browsers read
    "/\\host" as "//host"), and control characters or spaces (which browsers
    drop, turning "/\\t/host" into "//host").
    """
    if not value or len(value) > 2000 or not value.startswith("/"):
        return None
    if value.startswith("//") or "\\" in value:
        return None
    if any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in value):
        return None
    return value


class BulkAnswerForm(ResponseForm):
    """One answer for one or many comments: the checks of the responses page, plus the matrix's.

    The bulk form of the matrix sends this; each ticked row sends its id and
    the revision it showed apart (comment, revision-<id>). `next` is where
    to go back.
    """

    standard_answer = SelectField(_l("Standard answer"), validate_choice=False)
    next = HiddenField()

    def offer_standard_answers(self, answers: Sequence[StandardAnswer]) -> None:
        """Offer these standard answers, and remember them to fill in the chosen one."""
        self.standard_answers = {str(a.id): a for a in answers}
        self.standard_answer.choices = [
            SelectChoice("", pgettext("no standard answer", "None")),
            *(
                SelectChoice(key, shorten(answer.text))
                for key, answer in self.standard_answers.items()
            ),
        ]

    def take_standard_answer(self) -> None:
        """Fill an empty explanation, and a missing disposition, from the chosen standard answer."""
        chosen = self.standard_answers.get(self.standard_answer.data or "")
        if chosen is None:
            return
        if not (self.explanation.data or "").strip():
            self.explanation.data = chosen.text
        if not self.disposition.data and chosen.disposition:
            self.disposition.data = chosen.disposition

    def validate_standard_answer(self, field: Field) -> None:
        """Accept only the standard answers offered (one removed meanwhile is not)."""
        if field.data and field.data not in self.standard_answers:
            raise ValidationError(
                _("That standard answer was removed meanwhile: choose another, or none.")
            )


class AnswerForm(BulkAnswerForm):
    """An answer to one comment, with the revision of the answer the page showed (0: none).

    A colleague's save in between makes the revision stale: the save is then
    a conflict, never an overwrite.
    """

    revision = HiddenField()

    def validate_revision(self, field: Field) -> None:
        """A whole number, 0 or more, as the page wrote it."""
        if not (field.data or "").isdecimal():
            raise ValidationError(_("The form is incomplete: load the page again."))

    @property
    def shown_revision(self) -> int:
        """The revision of the answer the page showed (the form must be valid)."""
        return int(self.revision.data)


class StandardAnswerForm(CleanForm):
    """A new standard answer, and optionally the disposition it goes with."""

    text = TextAreaField(
        _l("Text of the answer"),
        filters=[_strip],
        validators=[DataRequired(_l("Write the text of the standard answer."))],
        render_kw={"maxlength": MAX_TEXT},
    )
    disposition = SelectField(
        _l("Disposition it usually goes with"),
        choices=[
            SelectChoice("", _l("None: choose it each time")),
            *(SelectChoice(code, name) for code, name in labels.DISPOSITIONS.items()),
        ],
        validate_choice=False,
    )

    def validate_text(self, field: Field) -> None:
        """At most MAX_TEXT characters."""
        if len(field.data or "") > MAX_TEXT:
            raise ValidationError(
                ngettext(
                    "A standard answer is limited to %(num)s character.",
                    "A standard answer is limited to %(num)s characters.",
                    MAX_TEXT,
                )
            )

    def validate_disposition(self, field: Field) -> None:
        """Accept only the dispositions offered, or none."""
        if field.data and field.data not in DISPOSITIONS:
            raise ValidationError(_("Choose a disposition from the list, or none."))
