"""Plural messages whose count is written as the reader's language writes numbers.

Flask-Babel's `ngettext` gives the count to the message as it is, so that
"%(num)s comments" reads "1456 comments" in every language. Here the count
is formatted by Babel for the reader's locale ("1,456", "1 456", "١٬٤٥٦")
before it goes into the message, whose placeholder is therefore `%(num)s`.
The templates' `ngettext` is the same function (see `install`).
"""

from __future__ import annotations

from typing import Any

import flask_babel
from flask import Flask
from flask_babel import format_number
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """Return the message for `num` in the reader's language, `num` written as they write it."""
    variables.setdefault("num", format_number(num))
    translated = flask_babel.get_translations().ungettext(singular, plural, num)
    return str(translated % variables)


@pass_context
def _template_ngettext(
    context: Context, singular: str, plural: str, num: int, **variables: Any
) -> str:
    """`ngettext` for the templates: escaped where the template is, as Jinja's own is."""
    variables.setdefault("num", format_number(num))
    translated = flask_babel.get_translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        return Markup(translated) % variables
    return str(translated % variables)


def install(app: Flask) -> None:
    """Give the app's templates the `ngettext` that writes counts in the reader's way."""
    app.jinja_env.globals["ngettext"] = _template_ngettext
