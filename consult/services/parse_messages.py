"""The parser's messages in the reader's language.

The parser (consult.domain.parsing) gives each message as an English template
with its values and line; here it is translated when it is shown. A preview
stores its warnings as such data, so that each reader reads them in their
own language; previews stored before this kept English sentences, which are
shown as they are.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from consult.domain.parsing.errors import ParseMessage


def translated(message: ParseMessage) -> str:
    """Return `message` in the reader's language, with its line when it has one."""
    values = dict(message.values)
    text = str(_(message.template, **values)) if values else str(_(message.template))
    if message.line is None:
        return text
    return str(_("line %(line)d: %(message)s", line=message.line, message=text))


def stored(message: ParseMessage) -> dict[str, Any]:
    """Return `message` as JSON-ready data, to be translated when it is read back."""
    return {"template": message.template, "values": dict(message.values), "line": message.line}


def read_back(data: object) -> str:
    """Return a stored message in the reader's language (an older, English one as it is)."""
    if isinstance(data, dict) and isinstance(data.get("template"), str):
        values = data.get("values")
        line = data.get("line")
        return translated(
            ParseMessage(
                data["template"],
                values if isinstance(values, dict) else {},
                line if isinstance(line, int) else None,
            )
        )
    return str(data)
