"""Splitting a run of text lines into clause segments at numbering markers.

CommonMark does not treat "(a)", "a)" or "(i)" as list markers, so a paragraph
such as "(a) first;\\n(b) second." must be split here, line by line.
"""

from __future__ import annotations

from .numbering import parse_marker
from .tree import BodyStack, Node, Tree, take_key

# Marks that end a clause or introduce a list; also in Chinese (full width) and Arabic.
_CONTINUES = (".", ":", ";", ",", "!", "?", ")", "—", "–")
_CONTINUES_CJK_AR = ("。", "：", "；", "，", "！", "？", "）", "؛", "،", "؟")
_INTRODUCES = (":", "：")
_CONJUNCTIONS = (" and", " or", " und", " oder", " sowie", " et", " ou")


def _ends_clause(line: str) -> bool:
    tail = line.rstrip()
    return tail.endswith(_CONTINUES + _CONTINUES_CJK_AR) or tail.lower().endswith(_CONJUNCTIONS)


def _open_parens(line: str, depth: int) -> int:
    """Return how many parentheses are open after ``line``, given ``depth`` before it."""
    for char in line:
        if char == "(":
            depth += 1
        elif char == ")" and depth > 0:
            depth -= 1
    return depth


def split_segments(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Return ``(offset, lines)`` segments: a new one starts at each numbered line.

    A line starts a segment only when the current segment starts with a number
    or the line before ends a sentence or introduces a list (".", ":", ";",
    "and", "or"), so wrapped text such as "as defined in\\nArticle 5" stays whole.
    """
    if len(lines) < 2:
        return [(0, lines)]
    marked = parse_marker(lines[0]) is not None  # the current segment starts with a number
    segments: list[tuple[int, list[str]]] = []
    start = 0
    open_parens = _open_parens(lines[0], 0)
    for i in range(1, len(lines)):
        prev = lines[i - 1]
        opened, open_parens = open_parens, _open_parens(lines[i], open_parens)
        if not _ends_clause(prev):
            continue
        if not (marked or prev.rstrip().endswith(_INTRODUCES)):
            continue
        marker = parse_marker(lines[i])
        if marker is None:
            continue
        if opened > 0 and not marker.number.startswith(("(", "（")):
            continue  # "(ABl. L 155, S.\n17) erteilt": the ")" closes a parenthesis
        segments.append((start, lines[start:i]))
        start, marked = i, True
        open_parens = _open_parens(lines[i], 0)
    segments.append((start, lines[start:]))
    return segments


def join_text(first: str, rest: list[str]) -> str:
    """Return a clause text from its first line and continuation lines, stripped."""
    parts = [first.strip()] if first.strip() else []
    parts.extend(line.strip() for line in rest)
    return "\n".join(parts).strip()


def add_segment(
    tree: Tree, stack: BodyStack, lines: list[str], line: int, kind: str = "paragraph"
) -> int:
    """Add one Markdown text segment as a numbered or unnumbered clause; return its index."""
    first, key = take_key(lines[0], line)
    marker = parse_marker(first)
    if marker is not None and stack.out_of_sequence(marker):
        marker = None
    if marker is not None and (marker.rest or len(lines) > 1):
        heading = ""
        text = join_text(marker.rest, lines[1:])
        if marker.emphasised and len(lines) > 1 and marker.rest:
            heading, text = marker.rest, join_text("", lines[1:])
        node = Node(marker.number, marker.kind, heading, text, line, None, explicit_key=key)
        if kind == "row":
            node.kind = "row"
        index, _ = tree.add_numbered(stack, marker, node)
        return index
    parent = stack.parent_for_unnumbered()
    if parent is None and kind == "paragraph" and not tree.headings:
        kind = "preamble"
    text = join_text(first, lines[1:])
    index = tree.add(Node("", kind, "", text, line, parent, explicit_key=key))
    stack.lead(index, text)
    return index
