"""Cleaning typed and imported text of control characters, on the way in.

Text is cleaned, never refused: NUL and the other C0 and C1 control
characters are removed wherever a person types or imports text (a paste from
a word processor carries them, a crafted request smuggles them), and
Windows line ends become plain ones. In texts of several lines (comments,
proposed changes, answers, drafts) tab and line breaks stay, and the line
breaks of word processors (vertical tab, form feed, next line) become line
breaks; in texts of one line (names, titles, labels, searches) every such
break becomes a space.

Unicode bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069)
are kept as typed: a name in Arabic or Hebrew may need them. Pages display
every person-typed value isolated instead (`<bdi>`, CSS `unicode-bidi:
isolate`), so that it cannot reorder the text around it.
"""

from __future__ import annotations

import re

# Every C0 control but tab and line feed, DEL, and every C1 control.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Line breaks of word processors and of other systems.
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def clean_text(value: str) -> str:
    """Return a text of several lines with control characters removed and line ends plain."""
    return _CONTROLS.sub("", _BREAKS.sub("\n", value))


def strip_controls(value: str) -> str:
    """Return `value` with control characters removed, tabs and line ends kept as written."""
    return _CONTROLS.sub("", value)


def clean_line(value: str) -> str:
    """Return a text of one line with control characters removed and line breaks made spaces."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", value))
