"""The parser's result types: a parsed draft and its clauses, as plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ParseMessage

#: Every value ``ParsedClause.kind`` can take.
CLAUSE_KINDS: tuple[str, ...] = (
    "part",  # "Part II", "Teil 1"
    "chapter",  # "Chapter 3", "Kapitel 2"
    "section",  # "Section 2", "Abschnitt 1", "§ 12", numbered headings such as "4.1.2"
    "article",  # "Article 5", "Art. 5", "Artikel 5"
    "principle",  # "Principle 3"
    "guideline",  # "Guideline 4"
    "annex",  # "Annex A", "Anlage 1", "Appendix", "Exhibit A", "Schedule 2"
    "preamble",  # unnumbered text before the first heading or numbered clause
    "heading",  # an unnumbered heading
    "paragraph",  # a body block: numbered ("1.", "(1)", "3.2") or not
    "item",  # a lettered or roman item: "(a)", "b)", "c.", "(iv)", "aa)"
    "row",  # one numbered row of a table
    "definition",  # a definition list ("Term" / ":   definition")
    "footnote",  # a footnote definition ("[^1]: ...")
)


@dataclass(frozen=True)
class ParsedClause:
    """One addressable unit of a draft, in document order.

    ``key_is_explicit`` says the key was written in the text as a ``{#key}``
    marker (kept as written on every import) rather than derived from the
    numbering (which a later version may replace with a carried key).
    """

    key: str
    number: str
    kind: str
    heading: str
    text: str
    parent_key: str | None
    position: int
    line: int
    key_is_explicit: bool


@dataclass(frozen=True)
class ParsedDraft:
    """A parsed draft: front-matter metadata, clauses in document order, warnings.

    ``symbol``, ``publisher`` and ``language`` are the document's symbol, the
    organisation that publishes it and the language tag of its text, as the
    front matter gives them (checked, see ``source``), or None where it does not.
    """

    slug: str | None
    title: str | None
    kind: str | None
    label: str | None
    clauses: tuple[ParsedClause, ...]
    warnings: tuple[ParseMessage, ...]
    symbol: str | None = None
    publisher: str | None = None
    language: str | None = None
