"""The clause tree shared by the Markdown and plain-text readers.

Readers append ``Node``s in document order; ``Tree`` keeps the heading stack
(hierarchy from heading levels) and ``BodyStack`` nests numbered body blocks
by numbering style: the same style again is a sibling, a new style a child,
labelled numbers ("Article 5", "§ 12") by a fixed rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import N_, DraftError
from .marker import Marker
from .numbering import ITEM_STYLES, WORD_PARAGRAPH_STYLES, as_roman, previous_letter

KEY_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")
_KEY_MARK_RE = re.compile(r"[ \t]*\{#([^{}]*)\}[ \t]*$")
# A number inserted by an amendment between two others: "1a", "2b".
_INSERTED_RE = re.compile(r"\d+[a-z]+$")
# In Markdown, "1." paragraphs are list items: text after the list is not part of the last item
# (nor of a "一、" or "أولاً" paragraph, read as "1.").
LIST_STYLES = ITEM_STYLES | {"dotted-1", "num-paren"} | WORD_PARAGRAPH_STYLES


@dataclass
class Node:
    """A clause under construction; ``parent`` is an index into ``Tree.nodes``."""

    number: str
    kind: str
    heading: str
    text: str
    line: int
    parent: int | None
    is_heading: bool = False
    level: int = 0  # Markdown heading level; 0 for body blocks
    style: str = ""
    token: str = ""
    prefix: str = ""
    explicit_key: str | None = None
    children: int = 0
    own_content: bool = False  # heading text carries a number and words


def take_key(first_line: str, line: int) -> tuple[str, str | None]:
    """Return ``first_line`` without a trailing ``{#key}`` marker, and the key.

    Raises DraftError for a key outside ``[a-z0-9][a-z0-9._-]*``.
    """
    match = _KEY_MARK_RE.search(first_line)
    if match is None:
        return first_line, None
    key = match.group(1).strip()
    if not KEY_RE.fullmatch(key):
        raise DraftError(
            N_(
                "invalid clause key '%(key)s': use lowercase letters, digits, '.', '_' and '-', "
                "starting with a letter or digit"
            ),
            line,
            key=key,
        )
    return first_line[: match.start()], key


# A sentence that introduces a list: "..., wenn", "... voraus, dass", "...:".
_LEADS_RE = re.compile(
    r"(:|\b(wenn|dass|daß|ob|falls|sofern|soweit|if|that|where|whether|unless|when))$",
    re.IGNORECASE,
)
_LEAD = "lead"


@dataclass
class _Entry:
    style: str
    index: int
    token: str
    value: int
    rank: float | None
    closes: frozenset[str] = frozenset()  # for a lead: the list styles it may restart


@dataclass
class BodyStack:
    """Open numbered body clauses under one heading (or list item), innermost last."""

    base: int | None
    entries: list[_Entry] = field(default_factory=list)
    pop_styles: frozenset[str] = ITEM_STYLES
    # The styles the last unnumbered block closed (see ``lead``).
    _closed: frozenset[str] = field(default=frozenset(), init=False, repr=False)

    def top(self) -> int | None:
        """Return the innermost open clause, or the base."""
        return self.entries[-1].index if self.entries else self.base

    def resolve(self, marker: Marker) -> Marker:
        """Return ``marker`` with letter/roman ambiguity ("(i)", "v)") settled."""
        if not marker.ambiguous:
            return marker
        want = previous_letter(marker.token)
        for entry in self.entries:
            if entry.style == marker.style and entry.token == want:
                return marker
        roman = as_roman(marker)
        if marker.token == "i" or len(marker.token) > 1:
            return roman
        if any(e.style == roman.style and e.value == roman.value - 1 for e in self.entries):
            return roman
        return marker

    def parent_for(self, marker: Marker) -> int | None:
        """Pop what ``marker`` closes and return the parent of its clause."""
        entries = self.entries
        if entries and entries[-1].style == _LEAD:
            if marker.style in entries[-1].closes and marker.value <= 1:
                return self.top()  # a second list restarting at 1, under its sentence
            entries.pop()
        if marker.rank is not None:
            while entries and (entries[-1].rank is None or entries[-1].rank >= marker.rank):
                entries.pop()
            return self.top()
        floor = max((i + 1 for i, e in enumerate(entries) if e.rank is not None), default=0)
        match = self._find(marker, floor)
        if match is not None:
            del entries[match:]
        elif marker.style.startswith("dotted-"):
            depth = int(marker.style[7:])
            for i in range(len(entries) - 1, floor - 1, -1):
                style = entries[i].style
                if style.startswith("dotted-") and int(style[7:]) < depth:
                    del entries[i + 1 :]
                    break
        return self.top()

    def _find(self, marker: Marker, floor: int) -> int | None:
        """Return the stack index of the open sibling of ``marker``, if any."""
        for i in range(floor, len(self.entries)):
            entry = self.entries[i]
            if entry.style == marker.style:
                if marker.value <= 1 and entry.value >= 1 and not _INSERTED_RE.match(marker.token):
                    return None  # a list restarting at 1/a/i inside the previous clause
                return i  # the same style again, or a number inserted later ("1a" after "1")
        if marker.style.startswith("dotted-"):
            depth = int(marker.style[7:])
            for i in range(floor, len(self.entries)):
                style = self.entries[i].style
                if style.startswith("dotted-") and int(style[7:]) > depth and depth > 1:
                    return i
        return None

    def push(self, marker: Marker, index: int) -> None:
        """Record ``index`` as the open clause numbered by ``marker``."""
        self.entries.append(_Entry(marker.style, index, marker.token, marker.value, marker.rank))

    def out_of_sequence(self, marker: Marker) -> bool:
        """Return whether a capital "T." starts no list here: "T. Bray, Ed." is an initial.

        A capital letter item continues the letter before it or starts at "A."
        (or "I.", "V.", "X.", which may be roman numerals).
        """
        if marker.style != "upper-dot" or marker.value <= 1 or marker.token in "ivx":
            return False
        return not any(e.style == "upper-dot" and e.value == marker.value - 1 for e in self.entries)

    def parent_for_unnumbered(self) -> int | None:
        """Close open items and return the parent of an unnumbered block."""
        self._closed = frozenset[str]()
        while self.entries and (
            self.entries[-1].style in self.pop_styles or self.entries[-1].style == _LEAD
        ):
            self._closed |= {self.entries.pop().style}
        return self.top()

    def lead(self, index: int, text: str) -> None:
        """Open the unnumbered sentence ``index`` for a list its ``text`` introduces.

        Only a list whose numbers would repeat those of a list just closed
        ("1." again after "1." and "2.") becomes the sentence's children, so a
        first list keeps its place beside the sentence.
        """
        closed = self._closed - {_LEAD}
        if closed and _LEADS_RE.search(text.rstrip()):
            self.entries.append(_Entry(_LEAD, index, "", 0, None, closed))


@dataclass
class Tree:
    """Nodes in document order plus the open-heading stack."""

    nodes: list[Node] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)

    def add(self, node: Node) -> int:
        """Append ``node``, count it as a child of its parent, return its index."""
        self.nodes.append(node)
        if node.parent is not None:
            self.nodes[node.parent].children += 1
        return len(self.nodes) - 1

    def heading_parent(self, level: int) -> int | None:
        """Close headings at ``level`` or deeper; return the enclosing heading."""
        while self.headings and self.nodes[self.headings[-1]].level >= level:
            self.headings.pop()
        return self.headings[-1] if self.headings else None

    def add_numbered(self, stack: BodyStack, marker: Marker, node: Node) -> tuple[int, Marker]:
        """Add a numbered body node under the right parent; return its index and marker."""
        marker = stack.resolve(marker)
        node.parent = stack.parent_for(marker)
        node.style, node.token, node.prefix = marker.style, marker.token, marker.prefix
        index = self.add(node)
        stack.push(marker, index)
        return index, marker
