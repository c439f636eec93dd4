"""A version's clauses as a tree ready to show: display citations, anchors, contents.

``build_tree`` turns a version's clauses (fetched once, in document order) into
nested ``ClauseNode``s, each with a citation a reader can say aloud ("Principle
1, paragraph 2"), unique within the version, and an element id that is safe in
HTML and never one the page layout uses; ``build_toc`` keeps the heading-type
clauses for the table of contents. Pure data: nothing here queries or writes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup

from consult.domain.alignment import ClauseLike
from consult.domain.rendering import markdown_to_html

#: Kinds of clause that structure a text, shown as headings even without a heading text.
STRUCTURAL_KINDS = frozenset(
    {"part", "chapter", "section", "article", "principle", "guideline", "annex", "heading"}
)

#: Element ids the page layout uses itself, which a clause anchor must not take.
RESERVED_IDS = frozenset({"main", "contents", "clauses"})

_UNSAFE_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9._:-]+")


@dataclass
class ClauseNode:
    """A clause ready to show, with its subtree.

    `rank` counts the heading-type clauses from the top of the tree down to
    this one (itself included): templates turn it into a heading level
    without ever skipping one.
    """

    key: str
    anchor: str
    number: str
    heading: str
    kind: str
    text: str
    citation: str
    is_heading: bool
    rank: int
    parent_key: str | None
    children: list[ClauseNode] = field(default_factory=list)
    #: The stored HTML of the text, when the page has it (see `version_page`).
    rendered: str | None = None
    #: The language of this clause's words where it differs from the text's around it
    #: (a clause shown in the original's words inside a translation).
    language: str | None = None

    @property
    def html(self) -> Markup:
        """The clause text as sanitised HTML (stored, or rendered when shown, not before)."""
        if self.rendered is not None:
            return Markup(self.rendered)
        return Markup(markdown_to_html(self.text)) if self.text else Markup("")

    @property
    def label(self) -> str:
        """How the clause is named in links: number and heading, or its citation."""
        if self.is_heading:
            return " ".join(part for part in (self.number, self.heading) if part) or self.citation
        return self.citation


@dataclass
class TocEntry:
    """A line of the table of contents: a heading-type clause and those under it."""

    anchor: str
    number: str
    heading: str
    children: list[TocEntry] = field(default_factory=list)

    @property
    def size(self) -> int:
        """How many lines of the contents are under this one, at any depth."""
        return sum(1 + child.size for child in self.children)


def clause_anchor(key: str) -> str:
    """Return the element id of a clause: its key, made safe for an HTML id."""
    anchor = _UNSAFE_ID_CHARACTERS.sub("-", key).strip("-") or "clause"
    return f"clause-{anchor}" if anchor in RESERVED_IDS else anchor


def _own_citation(clause: ClauseLike, unnumbered_index: int, in_paragraph: bool = False) -> str:
    """Return how a clause is cited within its parent: "paragraph 2", "item (a)", "§ 12".

    A numbered paragraph inside another numbered paragraph is a number of it
    ("§ 4, paragraph 1, number 2a"), as a lawyer cites "§ 4 Abs. 1 Nr. 2a".
    """
    number = clause.number.strip() or str(unnumbered_index)
    if clause.kind == "paragraph" and in_paragraph and clause.number.strip():
        return str(_("number %(number)s", number=number.strip("().").strip()))
    if clause.kind == "paragraph":
        return str(_("paragraph %(number)s", number=number.strip("().").strip()))
    if clause.kind == "item":
        return str(_("item %(number)s", number=number))
    if clause.kind == "row":
        return str(_("row %(number)s", number=number.strip("().")))
    if clause.kind == "definition":
        return str(_("definition %(number)s", number=number))
    if clause.kind == "footnote":
        return str(_("footnote %(number)s", number=number))
    if clause.kind == "preamble":
        return str(_("Preamble"))
    return clause.number.strip() or clause.heading.strip() or clause.key


def citation_separator() -> str:
    """What stands between the parts of a citation in the reader's language: ", " in
    "Guideline 4, paragraph 2" ("، " in Arabic, "，" in Chinese)."""
    return str(pgettext("between the parts of a clause's citation", ", "))


def build_tree(clauses: Sequence[ClauseLike]) -> tuple[list[ClauseNode], dict[str, ClauseNode]]:
    """Return the clause tree (its roots) and every node by key, from clauses in document order."""
    sep = citation_separator()
    nodes: dict[str, ClauseNode] = {}
    roots: list[ClauseNode] = []
    unnumbered: dict[tuple[str | None, str], int] = {}
    owns: dict[str, str] = {}
    for clause in clauses:
        parent = nodes.get(clause.parent_key) if clause.parent_key else None
        index = 0
        if not clause.number.strip():
            slot = (parent.key if parent else None, clause.kind)
            index = unnumbered[slot] = unnumbered.get(slot, 0) + 1
        in_paragraph = parent is not None and parent.kind == "paragraph" and not parent.is_heading
        own = _own_citation(clause, index, in_paragraph)
        is_heading = bool(clause.heading.strip()) or clause.kind in STRUCTURAL_KINDS
        node = ClauseNode(
            key=clause.key,
            anchor=clause_anchor(clause.key),
            number=clause.number,
            heading=clause.heading,
            kind=clause.kind,
            text=clause.text,
            # A heading-type clause is cited on its own ("Guideline 4", "§ 12"),
            # what lies inside it after it ("Guideline 4, paragraph 2").
            citation=f"{parent.citation}{sep}{own}" if parent and not is_heading else own,
            is_heading=is_heading,
            rank=(parent.rank if parent else 0) + (1 if is_heading else 0),
            parent_key=parent.key if parent else None,
        )
        nodes[clause.key] = node
        owns[clause.key] = own
        (parent.children if parent else roots).append(node)
    _make_unique(roots, nodes, owns, sep)
    return roots, nodes


def _recite(node: ClauseNode, old: str, new: str, sep: str) -> None:
    """Give ``node`` the citation ``new`` and its subtree the same change of prefix."""
    node.citation = new
    for child in node.children:
        if child.citation.startswith(f"{old}{sep}"):
            _recite(child, child.citation, new + child.citation[len(old) :], sep)


def _neighbour_name(node: ClauseNode, siblings: Sequence[ClauseNode], owns: dict[str, str]) -> str:
    """Name an unnumbered block by the numbered sibling before it, or else after it."""
    at = next(i for i, s in enumerate(siblings) if s is node)
    before = [s for s in siblings[:at] if s.number.strip() and not s.is_heading]
    if before:
        return str(_("text after %(clause)s", clause=owns[before[-1].key]))
    after = [s for s in siblings[at + 1 :] if s.number.strip() and not s.is_heading]
    if after:
        return str(_("text before %(clause)s", clause=owns[after[0].key]))
    return ""


def _make_unique(
    roots: list[ClauseNode], nodes: dict[str, ClauseNode], owns: dict[str, str], sep: str
) -> None:
    """Rename citations that two clauses share, so that each names one clause.

    Several preamble blocks become its paragraphs; an unnumbered block that
    shares a numbered sibling's citation is named by its place among the
    numbers ("text after number 4"); a heading cited like another is cited
    within its parent ("Kapitel 2, Abschnitt 1"); any clause still doubled
    after that gets its occurrence ("…, occurrence 2").
    """
    counts = Counter(node.citation for node in nodes.values())
    preambles = [n for n in roots if n.kind == "preamble" and not n.is_heading]
    if len(preambles) > 1:
        for index, node in enumerate(preambles, start=1):
            name = str(_("Preamble, paragraph %(number)s", number=index))
            _recite(node, node.citation, name, sep)
    for node in list(nodes.values()):
        if node.number.strip() or node.is_heading:
            continue
        parent = nodes.get(node.parent_key) if node.parent_key else None
        # Inside "(1)", a sentence among its numbers is not "paragraph 1" of it.
        in_paragraph = parent is not None and parent.kind == "paragraph" and bool(parent.number)
        if counts[node.citation] < 2 and not in_paragraph:
            continue
        name = _neighbour_name(node, parent.children if parent else roots, owns)
        if name:
            new = f"{parent.citation}{sep}{name}" if parent else name
            _recite(node, node.citation, new, sep)
    counts = Counter(node.citation for node in nodes.values())
    for node in nodes.values():
        if counts[node.citation] > 1 and node.is_heading and node.parent_key:
            parent = nodes[node.parent_key]
            _recite(node, node.citation, f"{parent.citation}{sep}{node.citation}", sep)
    seen: Counter[str] = Counter()
    for node in nodes.values():
        seen[node.citation] += 1
        if seen[node.citation] > 1:
            new = str(
                _(
                    "%(citation)s, occurrence %(number)s",
                    citation=node.citation,
                    number=seen[node.citation],
                )
            )
            _recite(node, node.citation, new, sep)


#: Contents longer than this many lines show the top level only, each part's lines folded.
TOC_FOLD_OVER = 40


def toc_folds(entries: Sequence[TocEntry]) -> bool:
    """Whether the contents are long enough to fold each top-level entry's lines."""
    return sum(1 + entry.size for entry in entries) > TOC_FOLD_OVER


def build_toc(roots: Sequence[ClauseNode]) -> list[TocEntry]:
    """Return the table of contents: the heading-type clauses, nested as in the text."""
    entries: list[TocEntry] = []
    for node in roots:
        below = build_toc(node.children)
        if node.is_heading:
            entries.append(TocEntry(node.anchor, node.number, node.heading, below))
        else:
            entries.extend(below)
    return entries
