"""The commenting template as people fill it in: its columns, its types, its rows.

Member States send their comments in the ISO/IEC/CEN/CENELEC "Template for
comments and secretariat observations", as a Word table or a spreadsheet,
with the columns in whatever order and wording their copy has ("MB/NC" or
"Member body", "Comments" or "Comment (justification for change)"). This
module finds the columns of a table by their header text, reads the type of
comment (ge / te / ed, or words), and turns a table's rows into
``TemplateRow`` objects, whichever file they came from.

A table is a list of ``GridRow``: one string per grid column, or None for a
cell that continues a vertically merged cell above it (its clause, type or
member body is then the one above; its comment is not repeated). Pure Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from consult.domain import text_clean

#: The template's columns, by the names used here.
FIELDS: tuple[str, ...] = (
    "member",
    "line",
    "clause",
    "paragraph",
    "type",
    "comment",
    "proposed",
    "observations",
)
# Columns whose value a vertically merged cell gives to every row it spans.
_SHARED_DOWN = frozenset({"member", "line", "clause", "paragraph", "type"})
# A header must have the comment column and at least this many of the others.
_HEADER_MINIMUM = 2
_HEADER_OTHERS = frozenset({"member", "line", "clause", "paragraph", "type", "proposed"})

# First rule that matches a normalised header cell wins: order matters
# ("Type of comment" is the type, "Secretariat observations on each comment" the observations).
_HEADER_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("observations", re.compile(r"observation|secretariat")),
    ("proposed", re.compile(r"^propos|^suggested (change|text|wording)")),
    ("type", re.compile(r"^type\b|^comment type|^category")),
    (
        "member",
        re.compile(
            r"^(mb|nc|nb)\b|^member|^national (body|committee)|^country"
            r"|^organi[sz]ation|^commenter|^submitted by"
        ),
    ),
    ("line", re.compile(r"^line")),
    ("clause", re.compile(r"^(sub)?clause|^section\b|^article\b")),
    ("paragraph", re.compile(r"^para|^figure|^table\b|^element|^list item")),
    ("comment", re.compile(r"^comment|^justification")),
)

_TYPES: dict[str, str] = {
    "ge": "general",
    "g": "general",
    "gen": "general",
    "general": "general",
    "allgemein": "general",
    "te": "substantive",
    "t": "substantive",
    "tech": "substantive",
    "technical": "substantive",
    "technique": "substantive",
    "technisch": "substantive",
    "substantive": "substantive",
    "substantial": "substantive",
    "ed": "editorial",
    "e": "editorial",
    "edit": "editorial",
    "editorial": "editorial",
    "redactionnel": "editorial",
    "redaktionell": "editorial",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def normalise_header(text: str) -> str:
    """Return a header cell as compared: lowercase, without examples and footnote marks.

    "Clause/ Subclause\\n(e.g. 3.1)" -> "clause/subclause"; "MB/NC¹" -> "mb/nc".
    """
    text = _fold(text)
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"\be\.g\..*$", " ", text, flags=re.DOTALL)
    text = re.sub(r"[^a-z/ \n]+", " ", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return " ".join(text.split()).strip("/ ")


def header_field(text: str) -> str | None:
    """Return the template column a header cell names, or None."""
    normal = normalise_header(text)
    if not normal:
        return None
    for name, rule in _HEADER_RULES:
        if rule.search(normal):
            return name
    return None


def find_columns(cells: Sequence[str | None]) -> dict[str, int] | None:
    """Return column name -> grid column when ``cells`` is a header row, else None.

    A header has the comment column and at least two other columns of the
    template; a column named twice is taken where it is first.
    """
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        name = header_field(cell or "")
        if name is not None and name not in columns:
            columns[name] = position
    others = len(_HEADER_OTHERS & set(columns))
    if "comment" not in columns or others < _HEADER_MINIMUM:
        return None
    return columns


def comment_type(text: str) -> str | None:
    """Return our type code for a written type ("te", "Ed.", "technical"), or None."""
    plain = re.sub(r"[^a-z]+", "", _fold(text))
    return _TYPES.get(plain)


@dataclass(frozen=True)
class GridRow:
    """One row of a table: its number in the table or sheet, and its cells by grid column."""

    number: int
    cells: Sequence[str | None]


@dataclass(frozen=True)
class TemplateRow:
    """One comment as the file gives it, with where it is (table or sheet, row)."""

    table: int  # 1-based: the table in the document, or the sheet in the workbook
    sheet: str  # the sheet's name ("" for a Word table)
    row: int  # 1-based row of the table or sheet
    values: Mapping[str, str] = field(default_factory=dict)
    continued: tuple[int, ...] = ()  # rows read as this one's continuation
    numeric: frozenset[str] = frozenset()  # columns the spreadsheet held as numbers

    def get(self, name: str) -> str:
        """Return the text of column ``name`` ('' when the table has no such column)."""
        return self.values.get(name, "")


def clean_text(text: str) -> str:
    """Return cell text with line ends made plain, control characters (NUL and the like),
    trailing spaces and blank runs removed: every cell of a template is read through here."""
    text = text_clean.clean_text(text)
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def _is_comment_row(values: Mapping[str, str]) -> bool:
    return any(values.get(name) for name in ("clause", "paragraph", "type", "comment", "proposed"))


def _is_continuation(values: Mapping[str, str], columns: Mapping[str, int]) -> bool:
    """A row that carries only text: the rest of the row above, split over a page."""
    identifying = ("member", "line", "clause", "paragraph", "type")
    return (
        any(name in columns for name in identifying)
        and not any(values.get(name) for name in identifying)
        and bool(values.get("comment") or values.get("proposed"))
    )


def _joined(first: str, second: str) -> str:
    return "\n".join(part for part in (first, second) if part)


def read_rows(
    table: int,
    sheet: str,
    rows: Sequence[GridRow],
    columns: Mapping[str, int] | None = None,
    numeric: Mapping[int, frozenset[int]] | None = None,
) -> tuple[list[TemplateRow], dict[str, int] | None]:
    """Return the comments of one table, and the columns found (None: no header).

    Without ``columns`` the header is looked for in the first rows; with them
    (a table continuing the one before it, without its own header) every row
    is data. Rows repeating the header are skipped; a row with no clause,
    type or member body but with text continues the row above.
    ``numeric`` gives, per row number, the grid columns held as numbers.
    """
    start = 0
    if columns is None:
        for position, row in enumerate(rows[:10]):
            found = find_columns(row.cells)
            if found is not None:
                columns, start = found, position + 1
                break
        if columns is None:
            return [], None
    result: list[TemplateRow] = []
    above: dict[str, str] = {}
    for row in rows[start:]:
        if find_columns(row.cells) is not None:
            continue  # the header again (copied at the top of a page)
        values: dict[str, str] = {}
        for name, position in columns.items():
            cell = row.cells[position] if position < len(row.cells) else ""
            if cell is None:
                values[name] = above.get(name, "") if name in _SHARED_DOWN else ""
            else:
                values[name] = clean_text(cell)
        above = values
        if not _is_comment_row(values):
            continue
        if result and _is_continuation(values, columns):
            previous = result[-1]
            merged = dict(previous.values)
            for name in ("comment", "proposed", "observations"):
                merged[name] = _joined(merged.get(name, ""), values.get(name, ""))
            result[-1] = replace(
                previous, values=merged, continued=(*previous.continued, row.number)
            )
            continue
        held = (numeric or {}).get(row.number, frozenset())
        as_numbers = frozenset(name for name, position in columns.items() if position in held)
        result.append(TemplateRow(table, sheet, row.number, values, numeric=as_numbers))
    return result, dict(columns)
