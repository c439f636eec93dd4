"""A clause's Markdown as a reader sees its words, for marking changes in print.

The changes variant marks a changed clause word by word. Diffed as typed, a
link would print as "[the full list](https://…)" and emphasis as "**word**";
so the printed diff is of the text without inline Markdown: links and
automatic links give their words, emphasis and code marks go, escapes are
undone. The lines that make lists, tables and quotations stay as written
("- ", "1. ", "| ", "> "), so that the diff keeps the text's lines. A change
only to a link's address shows no marked word: the margin still says the
clause changed. Pure functions, no database.
"""

from __future__ import annotations

import re

from consult.domain.diff import Op, Ops, word_diff
from consult.domain.reader_text import reader_text

_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
# [words](address "title"), the address possibly holding one level of parentheses.
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_REFERENCE = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\*)|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?!\w)"
)
_CODE = re.compile(r"`+([^`]+?)`+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_BULLET = re.compile(r"^([ \t]*)[*+-][ \t]+", re.MULTILINE)
#: How a list item's mark is printed.
BULLET = "• "


def shown_text(markdown: str) -> str:
    """Return `markdown` without its inline syntax, as its words read (see the module).

    Every bullet is written "- ", whichever mark the text used.
    """
    text = _BULLET.sub(r"\1- ", markdown)
    if not any(mark in text for mark in "[]*_`<\\"):
        return reader_text(text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ESCAPE.sub(r"\1", text)
    return reader_text(text)


def printed(ops: Ops) -> Ops:
    """Return `ops` with each list item's "- " printed as a bullet."""
    out: list[tuple[Op, str]] = []
    line_start = True
    for op, text in ops:
        text = text.replace("\n- ", "\n" + BULLET)
        if line_start and text.startswith("- "):
            text = BULLET + text[2:]
        out.append((op, text))
        line_start = text.endswith("\n")
    return tuple(out)


def shown_diff(old: str, new: str) -> Ops | None:
    """Return the word diff of two Markdown texts as read, None when they read the same."""
    before, after = shown_text(old), shown_text(new)
    if before == after:
        return None
    return printed(tuple(word_diff(before, after)))
