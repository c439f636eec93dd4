"""The comment matrix as plain data: rows in the columns of the commenting template.

The matrix is the secretariat's working table: one row per comment, in the
columns of the ISO/IEC/CEN/CENELEC "Template for comments and secretariat
observations", widened with what Consult knows (tracking number, the
proposed change as a word diff, what became of the clause in the next
version). The page, the exports (XLSX, CSV, DOCX) and the Excel round trip
all take these rows; `consult.services.matrix.query` makes them, filtered
with the visibility rule every page uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from consult.domain.diff import Ops, around_changes

#: Our comment types as the commenting template writes them (ge / te / ed).
TEMPLATE_TYPES: dict[str, str] = {"general": "ge", "substantive": "te", "editorial": "ed"}


@dataclass(frozen=True)
class NextVersion:
    """What became of a comment's clause in the next published version."""

    status: str  # a code of consult.domain.alignment.STATUSES ("unchanged", "changed", ...)
    number: int  # the next version's number
    citation: str  # the clause's citation there ("" when removed)
    diff: Ops | None  # the word diff old -> new text, when the text changed

    @property
    def excerpt(self) -> Ops | None:
        """The diff shortened to the words around its changes, for a table's cell."""
        return around_changes(self.diff) if self.diff else None


@dataclass(frozen=True)
class MatrixRow:
    """One comment in the matrix, with what the person asking may see of it."""

    number: int  # "No.": the row's place in the whole (filtered, sorted) matrix, from 1
    comment_id: int
    round_id: int
    round_title: str
    tracking_number: str  # "" where the round's attribution rule hides the organisation
    # "MB/NC": a State's ISO 3166 code; otherwise the organisation's code and
    # kind ("OHCHR (UN entity)"); "Participant 3" where the round's
    # attribution rule hides the organisation from the reader.
    member: str
    organisation: str  # the name, or "Participant 3" likewise
    organisation_kind: str  # a code of ORGANISATION_KINDS; "" when hidden
    clause_key: str | None  # None: a comment on the whole document
    clause: str  # the clause's citation ("3.1", "Guideline 4"), or "Whole document"
    clause_text: str | None
    paragraph: str  # "Paragraph/Figure/Table", as the commenter wrote it
    type: str  # our code: general / substantive / editorial
    template_type: str  # ge / te / ed
    body: str
    proposed: str | None
    proposed_diff: Ops | None  # the proposal as a word diff against the clause's text
    disposition: str | None  # a code of DISPOSITIONS, or None (unanswered, or not shown)
    observations: str  # the secretariat's explanation, "" when none or not shown
    response_revision: int | None  # for conflict checks; None without a response
    withdrawn: bool
    received_at: datetime
    emailed_on: date | None  # set for a comment that arrived by e-mail
    next_version: NextVersion | None = None
    language: str = ""  # the language the comment is written in ('' not known)

    @property
    def proposed_excerpt(self) -> Ops | None:
        """The proposal's diff shortened to the words around its changes, for a table's cell."""
        return around_changes(self.proposed_diff) if self.proposed_diff else None


@dataclass(frozen=True)
class RoundSheet:
    """The rows of one round, for exports that give each round a sheet of its own."""

    round_id: int
    round_title: str
    # Rows may be a generator streaming from the database: iterate them once.
    rows: Iterable[MatrixRow]


@dataclass(frozen=True)
class MatrixMeta:
    """What an export's first sheet or page header says about the matrix."""

    document_title: str
    document_slug: str
    version_label: str  # "Version 2 (Draft for the second expert meeting)"
    round_titles: list[str]
    made_at: datetime
    filters: list[tuple[str, str]]  # (filter label, value shown) for each filter in force
    public: bool  # the public variant (attribution rule applied, internal rows left out)
