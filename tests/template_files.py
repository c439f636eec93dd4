"""Commenting templates as Member States fill them in, written by the tests.

Word tables (python-docx) and workbooks (openpyxl) with the template's
columns, and the things people do to them: merged cells, content controls,
tracked changes, tables broken over pages, headers in another order.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from openpyxl import Workbook

#: The columns of the 2012-03 template, as its header row names them.
ISO_HEADER: tuple[str, ...] = (
    "MB/NC1",
    "Line number\n(e.g. 17)",
    "Clause/ Subclause\n(e.g. 3.1)",
    "Paragraph/ Figure/ Table/\n(e.g. Table 1)",
    "Type of comment2",
    "Comments",
    "Proposed change",
    "Observations of the secretariat",
)
#: The newer variant's columns, in another order than the template's.
NEW_HEADER: tuple[str, ...] = (
    "Comment (justification for change)",
    "Type",
    "MB",
    "Proposed change",
    "Clause/Subclause/Annex/Figure/Table",
    "Paragraph/List item/Note",
    "Secretariat observations on each comment submitted",
)

Row = Sequence[str]


def iso_row(
    member: str = "DE",
    clause: str = "",
    paragraph: str = "",
    type_: str = "te",
    comment: str = "",
    proposed: str = "",
    line: str = "",
    observations: str = "",
) -> tuple[str, ...]:
    """Return one row in the order of ISO_HEADER."""
    return (member, line, clause, paragraph, type_, comment, proposed, observations)


def add_table(document: Document, rows: Sequence[Row]) -> Table:
    """Add a table holding ``rows`` (the first is the header) and return it."""
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def docx_bytes(*tables: Sequence[Row], build: Callable[[Document], None] | None = None) -> bytes:
    """Return a .docx with one table per argument, then whatever ``build`` adds."""
    document = docx.Document()
    document.add_paragraph("Template for comments and secretariat observations")
    for rows in tables:
        add_table(document, rows)
        document.add_paragraph("")
    if build is not None:
        build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def set_text(cell: _Cell, text: str) -> None:
    """Empty ``cell`` and give it one paragraph with ``text``."""
    cell.text = text


def add_content_control(cell: _Cell, text: str) -> None:
    """Put ``text`` in a plain-text content control (w:sdt) inside ``cell``'s paragraph."""
    paragraph = cell.paragraphs[0]
    sdt = OxmlElement("w:sdt")
    properties = OxmlElement("w:sdtPr")
    alias = OxmlElement("w:alias")
    alias.set(qn("w:val"), "Comment")
    properties.append(alias)
    properties.append(OxmlElement("w:text"))
    content = OxmlElement("w:sdtContent")
    run = OxmlElement("w:r")
    node = OxmlElement("w:t")
    node.text = text
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    content.append(run)
    sdt.append(properties)
    sdt.append(content)
    paragraph._p.append(sdt)


def wrap_cell_in_content_control(cell: _Cell) -> None:
    """Wrap the whole cell (w:tc) in a content control, as cell-level controls are stored."""
    tc = cell._tc
    row = tc.getparent()
    sdt = OxmlElement("w:sdt")
    sdt.append(OxmlElement("w:sdtPr"))
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    row.replace(tc, sdt)
    content.append(tc)


def add_tracked_change(cell: _Cell, inserted: str, deleted: str = "") -> None:
    """Append a tracked insertion (w:ins) and, if given, a tracked deletion (w:del) to ``cell``."""
    paragraph = cell.paragraphs[0]
    if deleted:
        removal = OxmlElement("w:del")
        removal.set(qn("w:id"), "1")
        removal.set(qn("w:author"), "Reviewer")
        run = OxmlElement("w:r")
        node = OxmlElement("w:delText")
        node.text = deleted
        node.set(qn("xml:space"), "preserve")
        run.append(node)
        removal.append(run)
        paragraph._p.append(removal)
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "2")
    insertion.set(qn("w:author"), "Reviewer")
    run = OxmlElement("w:r")
    node = OxmlElement("w:t")
    node.text = inserted
    node.set(qn("xml:space"), "preserve")
    run.append(node)
    insertion.append(run)
    paragraph._p.append(insertion)


def xlsx_bytes(
    *sheets: tuple[str, Sequence[Sequence[Any]]], build: Callable[[Workbook], None] | None = None
) -> bytes:
    """Return an .xlsx with one sheet per (title, rows) argument."""
    workbook = Workbook()
    first = True
    for title, rows in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(list(row))
    if build is not None:
        build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
