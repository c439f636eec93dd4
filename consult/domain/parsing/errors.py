"""The one exception the draft parser raises for input it cannot import."""

from __future__ import annotations


class DraftError(ValueError):
    """A draft that cannot be imported.

    ``str(err)`` is ``'line N: message'``, or just the message when ``line`` is None.
    """

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)
