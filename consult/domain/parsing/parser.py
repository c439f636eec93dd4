"""``parse_draft``: from uploaded bytes to a checked ``ParsedDraft``.

Heading-without-content rule: a heading with no text ("## " alone) is an
error. A heading with neither body nor sub-headings is an error when it is the
last thing in the draft ("## Annex" dangling at the end), unless its text
carries a number and words ("§ 5 (weggefallen)"); anywhere else it is imported
and reported in ``warnings`` (real documents have empty sections). In plain
text a numbered title line with nothing under it becomes a numbered paragraph.
"""

from __future__ import annotations

import re

from .errors import N_, DraftError, ParseMessage
from .keys import assign_keys
from .markdown import read_markdown
from .model import ParsedClause, ParsedDraft
from .numbering import ITEM_STYLES
from .plaintext import read_plain_text
from .source import decode_draft, normalise_newlines, split_front_matter
from .tree import Node, Tree

_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_TEXT_SUFFIXES = (".txt", ".text")
_MARKDOWN_HINT_RE = re.compile(
    r"^(#{1,6}\s+\S|```|~~~|\|.*\|\s*$|\s*[-*+]\s+\S|.*\]\(|.*\*\*\S|\s*>\s)", re.MULTILINE
)


def _is_markdown(text: str, filename: str) -> bool:
    name = filename.lower()
    if name.endswith(_MARKDOWN_SUFFIXES):
        return True
    if name.endswith(_TEXT_SUFFIXES):
        return False
    return len(_MARKDOWN_HINT_RE.findall(text, 0, 200_000)) >= 2


def _finish_headings(tree: Tree, markdown: bool, warnings: list[ParseMessage]) -> None:
    """Apply the heading-without-content rule (see the module docstring)."""
    nodes = tree.nodes
    for index, node in enumerate(nodes):
        if not node.is_heading or node.children:
            continue
        label = " ".join(part for part in (node.number, node.heading) if part)
        if not markdown:
            # A title line with nothing under it reads as a short paragraph.
            node.is_heading = False
            node.text, node.heading = node.heading or node.number, ""
            if node.kind == "heading" or not node.prefix:
                node.kind = "item" if node.style in ITEM_STYLES else "paragraph"
            continue
        if index == len(nodes) - 1 and not node.own_content:
            raise DraftError(N_("heading '%(label)s' has no content"), node.line, label=label)
        warnings.append(
            ParseMessage(N_("heading '%(label)s' has no content"), {"label": label}, node.line)
        )


def _clauses(nodes: list[Node]) -> tuple[ParsedClause, ...]:
    kept = [n for n in nodes if n.text or n.heading or n.children]
    if len(kept) != len(nodes):
        renumber = {id(n): i for i, n in enumerate(kept)}
        old = {i: renumber.get(id(n)) for i, n in enumerate(nodes)}
        for node in kept:
            node.parent = old[node.parent] if node.parent is not None else None
    keys = assign_keys(kept)
    return tuple(
        ParsedClause(
            key=keys[i],
            number=node.number,
            kind=node.kind,
            heading=node.heading,
            text=node.text,
            parent_key=keys[node.parent] if node.parent is not None else None,
            position=i,
            line=node.line,
            key_is_explicit=node.explicit_key is not None,
        )
        for i, node in enumerate(kept)
    )


def parse_draft(data: bytes, filename: str = "") -> ParsedDraft:
    """Return the parsed draft in uploaded ``data``; raise DraftError naming the line if it is bad.

    Checks and decodes the bytes (``decode_draft``), then parses the text
    (``parse_text``). A caller that also keeps the text decodes it once itself
    and calls ``parse_text``.
    """
    return parse_text(decode_draft(data), filename)


def parse_text(text: str, filename: str = "") -> ParsedDraft:
    """Return the parsed draft in decoded ``text``; raise DraftError naming the line if it is bad.

    Markdown or plain text is chosen by the file name's extension (.md,
    .markdown / .txt), else by the content.
    """
    text = normalise_newlines(text)
    if not text.strip():
        raise DraftError(N_("the draft is empty"))
    source = split_front_matter(text)
    lines = source.lines
    if not any(line.strip() for line in lines):
        raise DraftError(N_("the draft is empty"))
    meta = source.meta
    tree = Tree()
    warnings: list[ParseMessage] = []
    markdown = _is_markdown(text, filename)
    if markdown:
        title = read_markdown(lines, tree, warnings)
    else:
        first = next(i for i, line in enumerate(lines) if line.strip())
        title = " ".join(lines[first].split())
        fm_title = meta.get("title")
        skip = first if fm_title is None or fm_title.lower() == title.lower() else None
        read_plain_text(lines, tree, skip)
    _finish_headings(tree, markdown, warnings)
    clauses = _clauses(tree.nodes)
    if not clauses:
        raise DraftError(N_("the draft is empty"))
    return ParsedDraft(
        slug=meta.get("document"),
        title=meta.get("title") or title,
        kind=meta.get("kind"),
        label=meta.get("label"),
        clauses=clauses,
        warnings=tuple(warnings),
        symbol=meta.get("symbol"),
        publisher=meta.get("publisher"),
        language=meta.get("language"),
    )
