"""The base of every form: typed text is cleaned of control characters on the way in.

Each text field gets a filter (consult.domain.text_clean) before its own
filters and validators run: text areas keep their lines, one-line fields
lose their line breaks. Passwords are left exactly as typed.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Form, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

from consult.domain.text_clean import clean_line, clean_text


def _cleaned_text(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _cleaned_line(value: Any) -> Any:
    return clean_line(value) if isinstance(value, str) else value


class CleanForm(FlaskForm):  # type: ignore[misc]
    """A Flask-WTF form whose text fields are cleaned before anything else looks at them."""

    class Meta(FlaskForm.Meta):  # type: ignore[misc]
        def bind_field(
            self, form: Form, unbound_field: UnboundField, options: dict[str, Any]
        ) -> Any:
            field_class = unbound_field.field_class
            cleaner = None
            if issubclass(field_class, TextAreaField):
                cleaner = _cleaned_text
            elif issubclass(field_class, StringField) and not issubclass(
                field_class, PasswordField
            ):
                cleaner = _cleaned_line
            if cleaner is not None:
                # Keyword options given to bind() take the place of the field's own.
                options = {
                    **options,
                    "filters": [cleaner, *unbound_field.kwargs.get("filters", ())],
                }
            return super().bind_field(form, unbound_field, options)
