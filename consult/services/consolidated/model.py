"""What templates/pdf/document.html shows, as plain data ready to show.

The template only loops and draws: every text is here already in the words
the PDF prints (translated, dates written out), clause texts are sanitised
HTML, and diffs are (operation, text) pairs that the template draws with the
`diff` macro of templates/_macros.html, the one place diff markup is made.
The clauses are a flat list in reading order, each with its depth, so that
the template needs no recursion however deep the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup

from consult.domain.diff import Ops


def split_lead(html: Markup) -> tuple[Markup | None, Markup]:
    """Return the inside of the first paragraph of `html` (None if it starts otherwise), the rest.

    Lets a template begin that paragraph with something of its own (a clause's
    number, a label) instead of wrapping it in one more element: fewer boxes
    for WeasyPrint to lay out, and the two always break together.
    """
    text = str(html)
    end = text.find("</p>") if text.startswith("<p>") else -1
    if end < 0:
        return None, html
    return Markup(text[3:end]), Markup(text[end + 4 :])


# HTML's white space only: a no-break space is a character of the text.
_SPACES = re.compile(r"[ \t\n\r\f]+")
_AROUND_BREAK = re.compile(r" ?(<br ?/?>) ?")


def one_line(html: Markup) -> Markup:
    """Return `html` with each run of white space one space, none around a <br>, none at its ends.

    What a paragraph's HTML reads as; for a paragraph whose white space is
    kept (CSS white-space: pre-wrap) to read the same.
    """
    return Markup(_AROUND_BREAK.sub(r"\1", _SPACES.sub(" ", str(html))).strip(" "))


@dataclass(frozen=True)
class Head:
    """The HTML head, which WeasyPrint turns into the PDF's metadata."""

    language: str  # <html lang>, the document's language
    dir: str | None  # "rtl" for a language written right to left
    title: str
    author: str
    description: str  # the PDF's subject: variant and version
    keywords: str
    created: str  # ISO 8601, for <meta name="dcterms.created">


@dataclass(frozen=True)
class RoundFacts:
    """The round the cover names, and its meeting."""

    title: str
    meeting: str  # "Geneva, 12–14 March 2026", "" without a meeting
    period: str  # "Comments from 1 March 2026 to 20 March 2026"


@dataclass(frozen=True)
class Cover:
    """The cover page."""

    title: str
    dir: str | None
    lang: str | None
    symbol: str
    publisher: str
    version: str  # "Version 2"
    label: str  # the version's label
    dated: str  # "Published 20 December 2026", or "Not published"
    band: str | None  # "Draft: for consultation"
    variant: str  # what this PDF shows: "Clean text", "Text with the changes since version 1"
    round: RoundFacts | None
    notes: tuple[str, ...]  # what the reader should know: whose view of the comments, the annex
    made: str  # "Made on 5 March 2026"


@dataclass(frozen=True)
class ContentsEntry:
    """A line of the table of contents, linking to an element of the PDF."""

    anchor: str
    number: str
    text: str
    depth: int  # 0 for the top level


@dataclass(frozen=True)
class CommentView:
    """One comment under its clause, as the matrix's row shows it to the reader."""

    number: int  # the matrix's "No."
    tracking: str  # "" where the round's attribution rule hides it
    who: str  # the organisation, or "Participant 3"
    type: str  # "Substantive"
    paragraph: str  # "Paragraph/Figure/Table" as the commenter wrote it
    body: Markup
    dir: str | None
    lang: str | None
    proposed_diff: Ops | None  # the proposal against the clause, around its changes
    proposed: str  # the proposal as written, when there is no clause to diff it with
    disposition: str  # "" when none is shown
    observations: Markup
    withdrawn: bool

    def split_observations(self) -> tuple[Markup | None, Markup]:
        """Return the observations' first paragraph's inside and the rest (see `split_lead`)."""
        return split_lead(self.observations)


@dataclass
class Block:
    """One clause as printed.

    `html` is the clause's text rendered from its Markdown; in the changes
    variant a clause whose text changed, appeared or went has `diff` instead
    (and `heading_diff` for its heading), drawn inline with <ins> and <del>.
    `anchors` are the element ids of the clause: its own first, then those of
    the other clauses a split or merge printed as one block joins, so that
    every `#clause-key` of the version lands here.
    """

    anchors: tuple[str, ...]
    kind: str
    number: str
    heading: str
    label: str  # number and heading as plain text: bookmarks and the running header
    is_heading: bool
    rank: int  # heading-type clauses from the top, itself included (bookmark level)
    level: int  # the heading element's level, 2 to 6
    indent: int  # numbered clauses above it that are not headings (0 to 3)
    html: Markup
    dir: str | None = None
    lang: str | None = None
    diff: Ops | None = None
    heading_diff: Ops | None = None
    status: str = ""  # changes variant: a code of COMPARISON_STATUSES
    note: str = ""  # changes variant: "Moved from Guideline 1, paragraph 3", "Was Principle 2"
    comments: list[CommentView] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The element id of the clause."""
        return self.anchors[0]

    @property
    def number_apart(self) -> bool:
        """Whether a heading's number stands on a line of its own ("Principle 1"), not "1."."""
        return " " in self.number

    def split_lead(self) -> tuple[Markup | None, Markup]:
        """Return the text's first paragraph's inside, on one line, and the rest (see `split_lead`).

        The clause's number is set at the start of that paragraph's first line,
        followed by a tab that hangs it in the margin, so that number and line
        always break together. A paragraph that holds a tab keeps its white
        space as written (document.css, p.numbered): so its inside is given
        with each run of white space one space, as it reads, and no space
        around a line break.
        """
        lead, rest = split_lead(self.html)
        return (None if lead is None else one_line(lead)), rest

    @property
    def one_paragraph(self) -> bool:
        """Whether the clause prints as one paragraph and nothing else.

        So it is for a clause that is not a heading, has no margin note and no
        other clause's anchor, and whose text is a diff (printed as one
        paragraph) or a single paragraph of HTML: that paragraph then carries
        the clause's id and indent itself, one element fewer per clause.
        """
        if self.is_heading or self.note or len(self.anchors) > 1:
            return False
        if self.diff is not None:
            return True
        lead, rest = split_lead(self.html)
        return lead is not None and not rest.strip()

    @property
    def removed(self) -> bool:
        """Whether the clause is gone from the newer version (shown struck through)."""
        return self.status == "removed"


@dataclass(frozen=True)
class ChangeLine:
    """A clause moved, renumbered, added, removed, split or merged, for the summary."""

    status: str
    label: str  # the status in words
    old: str  # its citation in the older version, "" when added
    new: str  # its citation in the newer version, "" when removed
    anchor: str  # where it is printed


@dataclass(frozen=True)
class ChangeSummary:
    """The first pages of the changes variant."""

    older: str  # "Version 1 (First draft)"
    newer: str
    counts: tuple[tuple[str, int], ...]  # (what happened, clauses), every status
    lines: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class AnnexRow:
    """One row of the annexed matrix: the cells in the annex's column order."""

    cells: dict[str, str]
    dirs: dict[str, str]  # the direction of a cell's text where it is not the page's
    proposed_diff: Ops | None
    withdrawn: bool


@dataclass(frozen=True)
class AnnexGroup:
    """The rows on one clause (or the whole document): one small table.

    Its caption says what the matrix repeats on each of these rows: the
    clause's citation and what became of it in the next version.
    """

    clause: str
    anchor: str | None  # where the clause is printed in this PDF, if it is
    fate: str  # "Changed in version 3 (now 4.2)", "" before a next version
    fate_diff: Ops | None  # the clause's changed words, around each change
    rows: list[AnnexRow]


@dataclass(frozen=True)
class Annex:
    """The round's comment matrix, annexed on landscape pages."""

    round_title: str
    columns: tuple[tuple[str, str], ...]  # (column key, header)
    widths: tuple[float, ...]  # each column's width in millimetres
    groups: list[AnnexGroup]
    count: int

    def column_css(self) -> Markup:
        """Return the CSS giving the annex's columns their widths, for the page's head.

        One rule per column for the running header's cells and every table's,
        so that no table needs <col> elements of its own.
        """
        cells = ".annex-columns th:nth-child({n}), .annex-table td:nth-child({n})"
        return Markup(
            " ".join(
                cells.format(n=n) + f" {{ width: {width:g}mm }}"
                for n, width in enumerate(self.widths, start=1)
            )
        )


@dataclass(frozen=True)
class PdfDocument:
    """Everything the consolidated PDF shows."""

    variant: str
    head: Head
    cover: Cover
    contents: list[ContentsEntry]
    blocks: list[Block]
    whole_document: list[CommentView]  # comments variant: on the document as a whole
    summary: ChangeSummary | None  # changes variant
    annex: Annex | None
    # The language of the PDF's own words (labels, citations) where it is not the
    # document's: set on the elements that hold them, for the tagged PDF.
    words_lang: str | None = None
    words_dir: str | None = None  # their direction, where it is not the text's
