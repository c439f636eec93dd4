"""Reading a plain-text draft (licences, laws pasted from a PDF) into the clause tree.

Blank lines separate paragraphs; a line starting with a clause number also
starts a new clause when the line before ends a sentence. A numbered line
with a short title ("1.Definitions", "Article 3 - Purpose", "0. Definitions.")
is a numbered heading whose following paragraphs are its children; a numbered
line followed by running text ("0. This License applies ...") is a numbered
paragraph. Nesting follows the numbering (Article 5 > 5.1 > 5.1.1 > (a) > (i)).
A short unnumbered line standing alone ("Preamble", "TERMS AND CONDITIONS")
is a top-level heading. Separator lines ("=====", "-----") are ignored.
"""

from __future__ import annotations

import re

from .marker import Marker
from .numbering import ITEM_STYLES, parse_marker
from .segments import split_segments
from .tree import BodyStack, Node, Tree, take_key

_SEPARATOR_RE = re.compile(r"^\s*([=\-_*~#]\s*){3,}$")
_HEADING_MAX = 70
_SHORT_TITLE = 50
# A title does not end like a clause ("，", "；", "：" and "。" are Chinese, "،" "؛" Arabic).
_NOT_TITLE_ENDS = (",", ";", ":", "，", "；", "：", "。", "،", "؛")
_TITLE_MAX = 90  # a title line alone, such as a licence's full name
_PREAMBLE_WORDS = frozenset({"preamble", "präambel", "préambule", "preambule"})


def _paragraphs(lines: list[str], skip: int) -> list[tuple[int, list[str]]]:
    """Return blank-line separated runs of lines as ``(first line index, lines)``."""
    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for index, text in enumerate(lines):
        if index < skip or not text.strip() or _SEPARATOR_RE.match(text):
            if current:
                runs.append((start, current))
                current = []
            continue
        if not current:
            start = index
        current.append(text.rstrip())
    if current:
        runs.append((start, current))
    return runs


def _is_numbered_heading(marker: Marker, lines: list[str]) -> bool:
    """Return whether a numbered segment's first line is a title rather than running text."""
    if marker.style in ITEM_STYLES or marker.style in ("paren-num", "num-paren", "cjk-paren"):
        return False
    rest = marker.rest
    if not rest:
        return True
    if len(rest) > _HEADING_MAX or rest.endswith(_NOT_TITLE_ENDS) or rest[0].islower():
        return False
    if len(lines) == 1:
        return True
    first, second = len(lines[0].strip()), len(lines[1].strip())
    return len(rest) <= _SHORT_TITLE or first < 0.75 * second or marker.labelled


def _is_plain_heading(lines: list[str], is_last: bool) -> bool:
    """Return whether an unnumbered paragraph is a short title line such as "Preamble"."""
    if len(lines) != 1 or is_last:
        return False
    text = lines[0].strip()
    if len(text) > _TITLE_MAX or not text[0].isupper() or text.endswith(tuple(".,;:!?>)\"'”’")):
        return False
    letters = sum(1 for c in text if c.isalpha() or c in " -–'’")
    return letters >= 0.9 * len(text)


def _closing_notice(runs: list[tuple[int, list[str]]]) -> int:
    """Return where a closing notice starts after the last numbered clause (or past the end).

    Such a notice ("Creative Commons is not a party to ...") is set flush left
    after a last section whose numbered content is indented: it is the
    document's, not that section's.
    """
    last = max((i for i, (_s, run) in enumerate(runs) if parse_marker(run[0])), default=-1)
    if last < 0 or not runs[last][1][0][:1].isspace():
        return len(runs)
    tail = runs[last + 1 :]
    if tail and all(not run[0][:1].isspace() for _s, run in tail):
        return last + 1
    return len(runs)


def read_plain_text(lines: list[str], tree: Tree, title_line: int | None) -> None:
    """Add the clauses of a plain-text draft to ``tree``, skipping the title line."""
    skip = title_line + 1 if title_line is not None else 0
    runs = _paragraphs(lines, skip)
    stack = BodyStack(None)
    closing = _closing_notice(runs)
    for number, (start, run) in enumerate(runs):
        if number >= closing:
            tree.headings.clear()
            text, key = take_key(_join(run[0], run[1:]), start + 1)
            tree.add(Node("", "paragraph", "", text.strip(), start + 1, None, explicit_key=key))
            continue
        if parse_marker(run[0]) is None and _is_plain_heading(run, number == len(runs) - 1):
            text, key = take_key(run[0].strip(), start + 1)
            kind = "preamble" if text.lower() in _PREAMBLE_WORDS else "heading"
            tree.headings.clear()
            node = Node("", kind, text.strip(), "", start + 1, None, is_heading=True)
            node.explicit_key = key
            index = tree.add(node)
            tree.headings.append(index)
            stack = BodyStack(index)
            continue
        for offset, segment in split_segments(run):
            _add(tree, stack, segment, start + offset + 1)


def _add(tree: Tree, stack: BodyStack, lines: list[str], line: int) -> None:
    first, key = take_key(lines[0], line)
    marker = parse_marker(first)
    if marker is not None and stack.out_of_sequence(marker):
        marker = None
    if marker is None or not (marker.rest or len(lines) > 1):
        parent = stack.parent_for_unnumbered()
        kind = "preamble" if parent is None else "paragraph"
        text = _join(first, lines[1:])
        stack.lead(tree.add(Node("", kind, "", text, line, parent, explicit_key=key)), text)
        return
    if _is_numbered_heading(marker, lines):
        kind = "section" if marker.kind in ("paragraph", "item") else marker.kind
        node = Node(marker.number, kind, marker.rest, "", line, None, is_heading=True)
        node.explicit_key = key
        index, _ = tree.add_numbered(stack, marker, node)
        if len(lines) > 1:
            body = _join("", lines[1:])
            tree.add(Node("", "paragraph", "", body, line + 1, index))
        return
    node = Node(marker.number, marker.kind, "", _join(marker.rest, lines[1:]), line, None)
    node.explicit_key = key
    tree.add_numbered(stack, marker, node)


def _join(first: str, rest: list[str]) -> str:
    """Return clause text keeping continuation lines' relative indentation."""
    if not rest:
        return first.strip()
    indent = min(len(text) - len(text.lstrip()) for text in rest)
    body = "\n".join(text[indent:] for text in rest)
    return f"{first.strip()}\n{body}".strip() if first.strip() else body.strip()
