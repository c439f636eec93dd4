"""The clauses of a version as printed blocks, and the table of contents built on them.

Every variant starts from these: the clause tree of consult.services.reading
(the same anchors and citations as the web pages) walked in reading order
into a flat list of `Block`s, each with its depth, and the direction and
language of its text where they differ from the document's
(consult.domain.scripts).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from consult.domain.scripts import script_language, text_direction
from consult.extensions import db
from consult.languages import RTL_LANGUAGES
from consult.models import Clause, Document, Translation, Version
from consult.services.clause_tree import ClauseNode, build_tree
from consult.services.consolidated.model import Block, ContentsEntry
from consult.services.language_texts import TextClause, text_in

#: Languages written right to left: a document in one runs that way as a whole.
#: Headings deeper than this are left out of the table of contents (not out of the bookmarks).
CONTENTS_DEPTH = 3
#: Deeper indents are drawn as this one: the text column stays readable.
MAX_INDENT = 3
#: The first character of the scripts that name a language (Cyrillic, then Arabic,
#: Hangul, Kana, Han: consult.domain.scripts).
_FIRST_NAMING_SCRIPT = "\u0400"


def version_clauses(version: Version) -> list[Clause]:
    """Return the version's clauses in document order (one SELECT)."""
    return list(
        db.session.scalars(
            select(Clause).where(Clause.version_id == version.id).order_by(Clause.position)
        )
    )


def language_of(document: Document) -> str:
    """Return the document's language tag ("en" when none is set)."""
    return (document.language or "en").strip() or "en"


class Scripts:
    """Direction and language of texts, said only where they differ from the document's."""

    def __init__(self, language: str) -> None:
        self.primary = language.split("-")[0].casefold()
        self.rtl = self.primary in RTL_LANGUAGES

    def dir(self, text: str) -> str | None:
        """Return the text's direction where it is not the document's ("rtl" or "ltr"), else None.

        The first strong character decides (consult.domain.scripts); a text
        with no letter takes the direction around it.
        """
        if not text:
            return None
        if text_direction(text) == "rtl":
            return None if self.rtl else "rtl"
        if self.rtl and any(c.isalpha() for c in text):
            return "ltr"
        return None

    def lang(self, text: str) -> str | None:
        """Return the text's language when its script shows one other than the document's.

        A text wholly below U+0400 (Latin, Greek, their accents and signs) has
        none of the scripts that name a language: it is let through without
        looking at each of its characters, which for the many Latin clauses and
        comments of a long document was most of the time spent building it.
        """
        if not text or max(text) < _FIRST_NAMING_SCRIPT:
            return None
        found = script_language(text)
        return found if found is not None and found != self.primary else None


def _label(number: str, heading: str) -> str:
    return " ".join(part for part in (number.strip(), heading.strip()) if part)


def clause_block(node: ClauseNode, indent: int, scripts: Scripts) -> Block:
    """Return the block printing `node` as it stands (the clean text)."""
    # A labelled number may be words of its script ("原则 2", "المادة ٥"): it decides
    # when the clause has no words of its own.
    sample = (node.heading + " " + node.text).strip() or node.number
    return Block(
        anchors=(node.anchor,),
        kind=node.kind,
        number=node.number.strip(),
        heading=node.heading.strip(),
        label=_label(node.number, node.heading) or node.citation,
        is_heading=node.is_heading,
        rank=node.rank,
        level=min(max(node.rank + 1, 2), 6),
        indent=min(indent, MAX_INDENT),
        html=node.html,
        dir=scripts.dir(sample.strip()),
        lang=scripts.lang(sample),
    )


def walk(roots: Sequence[ClauseNode]) -> list[tuple[ClauseNode, int]]:
    """Return every node in reading order with its indent (the non-heading clauses above it)."""
    found: list[tuple[ClauseNode, int]] = []

    def visit(nodes: Sequence[ClauseNode], indent: int) -> None:
        for node in nodes:
            found.append((node, indent))
            visit(node.children, indent if node.is_heading else indent + 1)

    visit(roots, 0)
    return found


def clauses_in(version: Version, translation: Translation | None) -> list[TextClause]:
    """Return the version's clauses in document order, in `translation`'s words if given."""
    return text_in(version_clauses(version), translation)


def clean_blocks(
    version: Version, scripts: Scripts, translation: Translation | None = None
) -> list[Block]:
    """Return the version's clauses as blocks, in reading order (in `translation`'s words)."""
    roots, _nodes = build_tree(clauses_in(version, translation))
    return [clause_block(node, indent, scripts) for node, indent in walk(roots)]


def contents(blocks: Sequence[Block]) -> list[ContentsEntry]:
    """Return the table of contents: the heading-type clauses down to CONTENTS_DEPTH."""
    return [
        # A heading with a number and no words is listed by its number alone.
        ContentsEntry(b.anchor, b.number, b.heading or ("" if b.number else b.label), b.rank - 1)
        for b in blocks
        if b.is_heading and b.rank <= CONTENTS_DEPTH and not b.removed
    ]
