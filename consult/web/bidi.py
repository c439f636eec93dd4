"""Typed values shown isolated inside the platform's own sentences.

A title, name or label is kept as it was typed, bidirectional overrides
included (U+202E RIGHT-TO-LEFT OVERRIDE, ...), but shown isolated, so that an
override typed in it cannot reorder the words around it ("Comments: <title>",
"saved by <name> at ...").

In HTML the value goes into <bdi> (static/css/consult.css isolates it too).
Where markup is impossible (the <title>, an attribute such as aria-label, the
text of an <option>) it goes between U+2068 FIRST STRONG ISOLATE and U+2069 POP
DIRECTIONAL ISOLATE, the plain-text isolate; nowhere else, so that the page's
text (copied, searched, read out) gains no invisible characters.

The Jinja filters (registered by consult.create_app):

- `isolate`: `_("Comments: %(round)s", round=round.title|isolate)`. Flask-Babel's
  `_()` in templates is new-style gettext: with autoescaping on it treats the
  translation as markup and escapes each plain value, and keeps a Markup value.
- `isolate_text`: a value in the <title> or an attribute.
- `plain_text`: a sentence made with `isolate`, where markup is impossible (a
  page's `heading` reused in its <title>): each <bdi> becomes FSI ... PDI.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

FSI = "\u2068"  # FIRST STRONG ISOLATE
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE

_BDI = re.compile(r"<(/?)bdi>")


def isolate(value: object) -> Markup:
    """Return `value`, escaped, inside <bdi> (nothing for None or an empty value)."""
    if value is None or value == "":
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(value)


def isolate_text(value: object) -> str:
    """Return `value` between FSI and PDI, as plain text (nothing for None or an empty value)."""
    if value is None or value == "":
        return ""
    return f"{FSI}{value}{PDI}"


def plain_text(html: object) -> str:
    """Return the text of markup made with `isolate`: <bdi> as FSI ... PDI, no other tag.

    A plain string (not markup) is returned as it is, its spaces normalised.
    """
    marked = _BDI.sub(lambda m: PDI if m.group(1) else FSI, str(escape(html)))
    return Markup(marked).striptags()


def sentence(text: str, /, **values: object) -> Markup:
    """Return the translated `text` as markup, its placeholders filled with `values`.

    For a message made in Python and shown as HTML (a flash, a page title):
    `sentence(_("The round “%(title)s” is created."), title=isolate(round_.title))`.
    The translation and each plain value are escaped; a Markup value (`isolate`) is kept.
    `text` comes from `_()` called without values, which leaves its placeholders.
    """
    return escape(text) % values


# The templates' filters (consult.create_app adds them to the Jinja environment).
FILTERS = {"isolate": isolate, "isolate_text": isolate_text, "plain_text": plain_text}
