"""The parser's messages: the one exception it raises for input it cannot import, and warnings.

The parser knows no language: each message is an English template with named
placeholders (the catalogue's msgid, marked with ``N_`` for extraction) and
its values, so that the layer that shows it translates it for the reader
(``consult.services.parse_messages``). ``str()`` gives the English, for the
command line and logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def N_(template: str) -> str:
    """Mark `template` for the translators' catalogue; it is translated where it is shown."""
    return template


@dataclass(frozen=True)
class ParseMessage:
    """A message about a draft: a template, its values, and the line it is about (if any)."""

    template: str
    values: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None

    @property
    def english(self) -> str:
        """The message alone, in English."""
        return self.template % dict(self.values) if self.values else self.template

    def __str__(self) -> str:
        return f"line {self.line}: {self.english}" if self.line is not None else self.english


class DraftError(ValueError):
    """A draft that cannot be imported.

    ``str(err)`` is ``'line N: message'`` in English, or just the message when
    ``line`` is None; ``err.problem`` is the message to translate.
    """

    def __init__(self, template: str, line: int | None = None, **values: Any) -> None:
        self.problem = ParseMessage(template, values, line)
        self.message = self.problem.english
        self.line = line
        super().__init__(str(self.problem))
