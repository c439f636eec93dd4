"""The comment form and its checks.

The limits are the service's own (MAX_BODY, MAX_PROPOSED): the form only
says what is wrong field by field, the service checks again before storing.
No `maxlength` is put on the text areas: a browser would silently cut a long
paste, and a comment must never lose text without saying so.
"""

from __future__ import annotations

import re
import uuid

from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import ValidationError

from consult import labels
from consult.languages import LANGUAGES
from consult.models import COMMENT_TYPES
from consult.plurals import ngettext
from consult.services.comment_input import MAX_BODY, MAX_PROPOSED, CommentInput, normalise_text
from consult.web.clean_form import CleanForm

_KEY = re.compile(r"^[0-9a-f]{32}$")


def new_idempotency_key() -> str:
    """Return a fresh submission key for a form being shown."""
    return uuid.uuid4().hex


def _too_long(field: str, length: int, limit: int) -> str:
    """Return what to say of the text of `field` (body or proposed_text) over its limit."""
    values = {"count": format_number(length), "limit": format_number(limit)}
    if field == "body":
        text = ngettext(
            "Your comment has %(count)s character; the limit is %(limit)s.",
            "Your comment has %(count)s characters; the limit is %(limit)s.",
            length,
            **values,
        )
    else:
        text = ngettext(
            "The proposed change has %(count)s character; the limit is %(limit)s.",
            "The proposed change has %(count)s characters; the limit is %(limit)s.",
            length,
            **values,
        )
    over = length - limit
    shorten = ngettext(
        "Shorten it by %(over)s character.",
        "Shorten it by %(over)s characters.",
        over,
        over=format_number(over),
    )
    return f"{text} {shorten}"


def _normalise(value: str | None) -> str | None:
    return normalise_text(value) if isinstance(value, str) else value


class CommentForm(CleanForm):
    """A comment: type, text, optional proposed wording; the clause and key travel hidden."""

    type = RadioField(
        _l("Type of comment"),
        choices=[SelectChoice(value, label) for value, label in labels.COMMENT_TYPES.items()],
        validate_choice=False,
    )
    body = TextAreaField(_l("Your comment"), filters=[_normalise])
    proposed_text = TextAreaField(_l("Proposed change (optional)"), filters=[_normalise])
    language = SelectField(
        _l("Language of your comment"),
        choices=[SelectChoice(code, language.name) for code, language in LANGUAGES.items()],
        validate_choice=False,
    )
    clause = HiddenField()
    # The language of the clause's text the comment is made on ('' for the version's own).
    text = HiddenField()
    idempotency_key = HiddenField()

    def validate_type(self, field: Field) -> None:
        """Accept only the three types offered (a forged value gets a message)."""
        if field.data not in COMMENT_TYPES:
            raise ValidationError(
                _("Choose the type of comment: general, substantive or editorial.")
            )

    def validate_language(self, field: Field) -> None:
        """One of the six languages; a form without the field (an older page) says none."""
        if field.data and field.data not in LANGUAGES:
            raise ValidationError(_("Choose the language your comment is written in."))

    def validate_text(self, field: Field) -> None:
        """A language code or nothing (the service keeps it only where the version has it)."""
        if field.data and field.data not in LANGUAGES:
            field.data = ""

    def validate_body(self, field: Field) -> None:
        """1 to MAX_BODY characters, after blank space around the text is removed."""
        text = field.data or ""
        if not text:
            raise ValidationError(_("Write your comment: it is empty."))
        if len(text) > MAX_BODY:
            raise ValidationError(_too_long("body", len(text), MAX_BODY))

    def validate_proposed_text(self, field: Field) -> None:
        """At most MAX_PROPOSED characters."""
        text = field.data or ""
        if len(text) > MAX_PROPOSED:
            raise ValidationError(_too_long("proposed_text", len(text), MAX_PROPOSED))

    def validate_idempotency_key(self, field: Field) -> None:
        """The key the form was shown with; a missing or odd one is replaced and explained."""
        if not _KEY.match(field.data or ""):
            field.data = new_idempotency_key()
            raise ValidationError(_("The form was incomplete: check your text and submit again."))

    def ensure_key(self) -> None:
        """Give the form a submission key if it has none (kept on every re-render)."""
        if not _KEY.match(self.idempotency_key.data or ""):
            self.idempotency_key.data = new_idempotency_key()

    def comment_input(self) -> CommentInput:
        """Return what was typed (the service drops a proposed wording that repeats the clause)."""
        return CommentInput(
            self.type.data,
            self.body.data or "",
            self.proposed_text.data or None,
            self.language.data or "",
            self.text.data or "",
        )


class EditForm(CommentForm):
    """The comment form for an edit: the revision the person started from travels hidden."""

    revision = HiddenField()

    def validate_idempotency_key(self, field: Field) -> None:
        """An edit needs no submission key: the revision guards against double saves."""

    def validate_revision(self, field: Field) -> None:
        """A positive whole number, as the edit page sets it."""
        if not (field.data or "").isdigit() or int(field.data) < 1:
            raise ValidationError(_("The form was incomplete: reload the comment and edit again."))

    def expected_revision(self) -> int:
        """Return the revision the person started from."""
        return int(self.revision.data)
