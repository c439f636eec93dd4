"""The round's comments in the PDF: under their clauses, and as the annexed matrix.

Both take the matrix's own rows (consult.services.matrix.query.export_sheets
for the one round), never a query of their own: the comments a PDF shows are
exactly those the matrix export gives the same person, with the round's
visibility rule, "Participant 3" in place of a hidden organisation and
unpublished answers left out already applied there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup

from consult import labels
from consult.domain.comment_text import comment_html
from consult.exports import cells
from consult.models import Round, User
from consult.services.clause_tree import clause_anchor
from consult.services.consolidated.blocks import Scripts
from consult.services.consolidated.model import Annex, AnnexGroup, AnnexRow, Block, CommentView
from consult.services.consolidated.request import Target
from consult.services.matrix.filters import MatrixFilters
from consult.services.matrix.model import MatrixRow
from consult.services.matrix.query import export_sheets

#: The matrix's columns that say something of the clause, not of the comment: the
#: annex says them once, in the caption of each clause's table, not on every row.
CLAUSE_COLUMNS = frozenset({"clause", "next"})
#: The annex's columns: the matrix's, as its files show them, less the clause's own.
ANNEX_COLUMNS = tuple(
    column for column in cells.COLUMNS if not column.hidden and column.key not in CLAUSE_COLUMNS
)
#: Each column's width on the landscape page, in millimetres (273 mm between the
#: margins): the short codes narrow, the three texts wide.
ANNEX_WIDTHS: dict[str, float] = {
    "number": 8,
    "tracking": 19,
    "member": 20,
    "paragraph": 14,
    "type": 21,
    "comment": 72,
    "proposed": 54,
    "disposition": 17,
    "observations": 48,
}


def matrix_rows(viewer: User | None, target: Target, now: datetime) -> list[MatrixRow]:
    """Return the round's matrix rows as `viewer` may see them, in document order."""
    if target.round is None:
        return []
    _meta, sheets = export_sheets(
        viewer, target.document.slug, MatrixFilters(rounds=(target.round.id,)), now
    )
    return [row for sheet in sheets for row in sheet.rows]


class _Views:
    """Turns matrix rows into comments to print, translating each label once."""

    def __init__(self, scripts: Scripts) -> None:
        self.scripts = scripts
        self.types = labels.translated(labels.COMMENT_TYPES)
        self.dispositions = labels.translated(labels.DISPOSITIONS)

    def __call__(self, row: MatrixRow) -> CommentView:
        return CommentView(
            number=row.number,
            tracking=row.tracking_number,
            who=row.organisation,
            type=self.types.get(row.type, row.type),
            paragraph=row.paragraph,
            body=Markup(comment_html(row.body)),
            dir=self.scripts.dir(row.body),
            lang=self.scripts.lang(row.body),
            proposed_diff=row.proposed_excerpt,
            proposed="" if row.proposed_diff else (row.proposed or ""),
            disposition=self.dispositions.get(row.disposition or "", ""),
            observations=Markup(comment_html(row.observations)),
            withdrawn=row.withdrawn,
        )


def attach_comments(
    blocks: Sequence[Block], rows: Sequence[MatrixRow], scripts: Scripts
) -> list[CommentView]:
    """Put each row under its clause's block; return those on the document as a whole.

    A row whose clause is not printed (none should be: the round is on this
    version) is kept with the whole document's, never dropped.
    """
    view = _Views(scripts)
    by_anchor: dict[str, Block] = {}
    for block in blocks:
        for anchor in block.anchors:
            by_anchor.setdefault(anchor, block)
    whole: list[CommentView] = []
    for row in rows:
        found = by_anchor.get(clause_anchor(row.clause_key)) if row.clause_key else None
        (found.comments if found is not None else whole).append(view(row))
    return whole


def _cells(texts: cells.RowTexts, row: MatrixRow) -> dict[str, str]:
    values = texts.values(row)
    return {column.key: str(values[column.key]) for column in ANNEX_COLUMNS}


def _dirs(scripts: Scripts, row: MatrixRow) -> dict[str, str]:
    texts = {"comment": row.body, "proposed": row.proposed or "", "observations": row.observations}
    found = {key: scripts.dir(text) for key, text in texts.items()}
    return {key: direction for key, direction in found.items() if direction}


def _group(row: MatrixRow, texts: cells.RowTexts, printed: set[str]) -> AnnexGroup:
    """Return the (empty) group of the rows on `row`'s clause, captioned as the matrix says."""
    anchor = clause_anchor(row.clause_key) if row.clause_key else None
    fate = row.next_version
    return AnnexGroup(
        clause=row.clause,
        anchor=anchor if anchor in printed else None,
        fate=str(texts.values(row)["next"]),
        fate_diff=fate.excerpt if fate is not None else None,
        rows=[],
    )


def annex_of(
    round_: Round, rows: Sequence[MatrixRow], printed: set[str], scripts: Scripts
) -> Annex:
    """Return the round's matrix for the annex: one small table per clause, in document order.

    The matrix's rows are grouped by clause (they come in document order); a
    group's caption says what the matrix's "Clause/Subclause" and "In the
    next version" columns say of each of its rows (the same for all): the
    clause, linked to its text when that is printed (its anchor is in
    `printed`), and what became of it, with its changed words around each
    change as the XLSX file shows them.
    """
    texts = cells.RowTexts()
    groups: list[AnnexGroup] = []
    last: str | bool | None = False  # no group yet
    for row in rows:
        if row.clause_key != last or not groups:
            groups.append(_group(row, texts, printed))
            last = row.clause_key
        groups[-1].rows.append(
            AnnexRow(
                cells=_cells(texts, row),
                dirs=_dirs(scripts, row),
                proposed_diff=row.proposed_excerpt,
                withdrawn=row.withdrawn,
            )
        )
    return Annex(
        round_title=round_.title,
        columns=tuple((column.key, str(column.label)) for column in ANNEX_COLUMNS),
        widths=tuple(ANNEX_WIDTHS[column.key] for column in ANNEX_COLUMNS),
        groups=groups,
        count=len(rows),
    )
