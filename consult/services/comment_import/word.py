"""Reading the commenting template's tables out of a Word document (.docx).

python-docx opens the package; the tables are then read from their XML, not
through `cell.text`, so that nothing people really put in a template is
missed or doubled:

* a cell spanning several grid columns (`w:gridSpan`) is read once, at its
  first column; python-docx's `row.cells` would repeat it;
* a cell continuing a vertical merge (`w:vMerge`) gives its row the clause,
  type or member body of the cell it continues;
* text inside content controls (`w:sdt`), tracked insertions (`w:ins`),
  hyperlinks and fields is read; deleted text (`w:del`, `w:moveFrom`) is not;
* rows and cells wrapped in content controls or custom XML are found;
* every table with a recognised header is read, and a table with no header
  right after one (the same table, broken over a page) continues it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn
from flask_babel import gettext as _

from consult.domain.comment_template import GridRow, TemplateRow, read_rows
from consult.services.comment_import.files import FileRefused, no_header_message

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Elements whose text was removed in tracked changes, or is a field's code, or a
# second rendering of the same content.
_SKIPPED = frozenset(
    {qn("w:del"), qn("w:moveFrom"), qn("w:delText"), qn("w:instrText"), _MC_FALLBACK}
)
_TEXT, _TAB, _BREAKS = qn("w:t"), qn("w:tab"), frozenset({qn("w:br"), qn("w:cr")})
_HYPHEN, _SYMBOL, _PARAGRAPH = qn("w:noBreakHyphen"), qn("w:sym"), qn("w:p")
_TABLE, _ROW, _CELL = qn("w:tbl"), qn("w:tr"), qn("w:tc")


def _pieces(element: Any) -> Iterator[str]:
    """Yield the text of ``element`` in order, paragraphs ending in a line break."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == _TEXT:
            yield child.text or ""
        elif tag == _TAB:
            yield "\t"
        elif tag in _BREAKS:
            yield "\n"
        elif tag == _HYPHEN:
            yield "-"
        elif tag == _SYMBOL:
            code = child.get(qn("w:char")) or ""
            try:
                value = int(code, 16)
            except ValueError:
                continue
            if not 0xF000 <= value <= 0xF0FF:  # symbol fonts' private codes mean nothing here
                yield chr(value)
        else:
            yield from _pieces(child)
            if tag == _PARAGRAPH:
                yield "\n"


def cell_text(cell: Any) -> str:
    """Return all the text of a table cell (``w:tc``), paragraphs on separate lines."""
    return "".join(_pieces(cell))


def _own(element: Any, tag: str, container: str) -> list[Any]:
    """Return the ``tag`` elements inside ``element`` whose nearest ``container`` is it."""
    found = []
    for candidate in element.iter(tag):
        parent = candidate.getparent()
        while parent is not None and parent.tag != container:
            parent = parent.getparent()
        if parent is element:
            found.append(candidate)
    return found


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _grid_row(number: int, row: Any) -> GridRow:
    """Return a row's cells by grid column; None where a vertical merge continues."""
    cells: list[str | None] = []
    before = row.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    cells.extend([""] * (_int(before.get(qn("w:val")), 0) if before is not None else 0))
    for cell in _own(row, _CELL, _ROW):
        properties = cell.find(qn("w:tcPr"))
        span = 1
        continues = False
        if properties is not None:
            grid_span = properties.find(qn("w:gridSpan"))
            if grid_span is not None:
                span = max(1, _int(grid_span.get(qn("w:val")), 1))
            merge = properties.find(qn("w:vMerge"))
            continues = merge is not None and merge.get(qn("w:val"), "continue") != "restart"
        cells.append(None if continues else cell_text(cell))
        cells.extend([""] * (span - 1))  # a wide cell is read once, at its first column
    return GridRow(number, cells)


def _tables(body: Any) -> list[Any]:
    """Return the document's tables in order, leaving out tables inside tables."""
    found = []
    for table in body.iter(_TABLE):
        parent = table.getparent()
        while parent is not None and parent.tag != _TABLE:
            parent = parent.getparent()
        if parent is None:
            found.append(table)
    return found


def read_docx(content: bytes) -> list[TemplateRow]:
    """Return the comments of every commenting-template table in a .docx file.

    Raises FileRefused when the file cannot be read or holds no table with the
    template's header.
    """
    try:
        document = docx.Document(io.BytesIO(content))
        body = document.element.body
        tables = [
            [_grid_row(n, row) for n, row in enumerate(_own(table, _ROW, _TABLE), start=1)]
            for table in _tables(body)
        ]
    except Exception as err:  # python-docx and lxml raise many kinds on a damaged file
        raise FileRefused(
            _(
                "The Word document could not be read: it may be damaged. Open it in Word, "
                "save it again and upload it."
            )
        ) from err
    rows: list[TemplateRow] = []
    previous: dict[str, int] | None = None
    previous_width = -1
    recognised = False
    for position, table in enumerate(tables, start=1):
        width = max((len(row.cells) for row in table), default=0)
        found, columns = read_rows(position, "", table)
        if columns is None and previous is not None and width == previous_width:
            found, columns = read_rows(position, "", table, previous)
        if columns is None:
            previous, previous_width = None, -1
            continue
        recognised = True
        rows.extend(found)
        previous, previous_width = columns, width
    if not recognised:
        raise FileRefused(no_header_message())
    return rows
