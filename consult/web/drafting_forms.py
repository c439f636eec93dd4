"""The drafters' forms: a draft (file or pasted text), a new document, the matching's
corrections and the publishing confirmation (drafting blueprint)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import Field, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from consult.languages import LANGUAGES, language_tag
from consult.services import drafts
from consult.services.errors import ServiceError
from consult.web.clean_form import CleanForm

ALLOWED_SUFFIXES = (".md", ".markdown", ".txt")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _valid_slug(_form: FlaskForm, field: Field) -> None:
    try:
        drafts.check_slug(field.data or "")
    except ServiceError:
        raise ValidationError(
            _(
                "Use 1 to 80 lowercase letters, digits and hyphens, "
                "starting and ending with a letter or digit."
            )
        ) from None


class LanguageCode:
    """A language outside the six, typed as its code beside the list of the six: the field
    both the upload form and the preview's language form carry."""

    language: Field
    other_language = StringField(
        _l("Or another language, by its code"),
        filters=[_strip],
        validators=[Optional(), Length(max=35)],
    )

    def validate_other_language(self, field: Field) -> None:
        """Empty, or a language tag Babel knows."""
        if field.data and language_tag(field.data) is None:
            raise ValidationError(
                _(
                    "“%(code)s” is not a language code. Type one such as de (German) or "
                    "pt-BR (Brazilian Portuguese).",
                    code=field.data,
                )
            )

    def chosen_language(self) -> str | None:
        """The language the drafter gave: a typed code before the list's choice; None for
        neither."""
        typed = self.other_language.data
        return (language_tag(typed) if typed else None) or self.language.data or None


class DraftForm(LanguageCode, CleanForm):
    """A draft as a file or as pasted text (exactly one), with optional title and label."""

    title = StringField(_l("Title"), filters=[_strip], validators=[Optional(), Length(max=500)])
    label = StringField(
        _l("Version label"), filters=[_strip], validators=[Optional(), Length(max=300)]
    )
    language = SelectField(
        _l("Language of the text"),
        choices=[SelectChoice("", _l("Find it from the text"))]
        + [SelectChoice(code, language.name) for code, language in LANGUAGES.items()],
        validate_choice=False,
    )
    draft_file = FileField(_l("Draft file"))
    draft_text = TextAreaField(_l("Or paste the text of the draft"))

    def validate_language(self, field: Field) -> None:
        """Empty (the front matter or the words decide), or one of the six languages."""
        if field.data and field.data not in LANGUAGES:
            raise ValidationError(_("Choose one of the languages of the platform."))

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the fields, then that exactly one of file and text was given."""
        valid = bool(super().validate(extra_validators))
        upload = self.upload
        has_text = bool((self.draft_text.data or "").strip())
        if upload is None and not has_text:
            self.draft_file.errors.append(_("Choose a file to upload, or paste the text below."))
            return False
        if upload is not None and has_text:
            self.draft_file.errors.append(
                _("Choose a file or paste the text, not both: clear one of them.")
            )
            return False
        if upload is not None and not (upload.filename or "").lower().endswith(ALLOWED_SUFFIXES):
            self.draft_file.errors.append(
                _(
                    "Upload Markdown or plain text: a file ending in .md, .markdown or .txt "
                    "(save a Word or PDF document as plain text first)."
                )
            )
            return False
        return valid

    @property
    def upload(self) -> FileStorage | None:
        """The uploaded file, or None when no file was chosen."""
        data = self.draft_file.data
        return data if isinstance(data, FileStorage) and data.filename else None

    def draft(self) -> tuple[bytes, str]:
        """Return the draft's bytes and its file name ('' for pasted text)."""
        upload = self.upload
        if upload is not None:
            return upload.read(), upload.filename or ""
        # Browsers send a textarea's line breaks as CRLF: store what a file would hold.
        text = (self.draft_text.data or "").replace("\r\n", "\n")
        return text.encode("utf-8"), ""

    def draft_field(self) -> Field:
        """The field the draft came through, where problems with its text are shown."""
        return self.draft_file if self.upload is not None else self.draft_text


class NewDocumentForm(DraftForm):
    """The first version of a new document, under a short name of its own."""

    slug = StringField(
        _l("Short name"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the document a short name.")), _valid_slug],
    )


class LanguageForm(LanguageCode, CleanForm):
    """The drafter's confirmation or correction of a draft version's language."""

    language = SelectField(
        _l("Language of the text"),
        choices=[SelectChoice(code, language.name) for code, language in LANGUAGES.items()],
    )


class MatchForm(CleanForm):
    """The corrections to the matching: its rows are read from the request (one per clause)."""


class PublishForm(CleanForm):
    """The confirmation page's form: publishing needs its ``confirm`` field."""

    confirm = HiddenField()
