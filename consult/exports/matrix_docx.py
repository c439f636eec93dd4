"""The comment matrix as a Word document, in the commenting template's layout.

This is the table a secretariat circulates: landscape A4 pages (the
orientation and the page's width and height are all set, as Word and
LibreOffice each read a different one), the document, version and rounds in
the page header, "Page x of y" in the footer, and for each round a heading
and a table whose header row repeats on every page. The proposed change is
shown against the clause: inserted words underlined, deleted ones struck
through (and coloured, but never by colour alone).
"""

from __future__ import annotations

from typing import BinaryIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from flask_babel import gettext as _

from consult.domain.diff import Ops
from consult.exports import cells
from consult.exports.about import about_lines
from consult.exports.cells import COLUMNS
from consult.services.matrix.model import MatrixMeta, MatrixRow, RoundSheet

#: A4 landscape, in millimetres.
PAGE_WIDTH_MM = 297
PAGE_HEIGHT_MM = 210
MARGIN_MM = 12
#: Each shown column's width in millimetres; they fill the page between the margins.
WIDTHS_MM: dict[str, float] = {
    "number": 9,
    "tracking": 19,
    "member": 18,
    "clause": 17,
    "paragraph": 17,
    "type": 16,
    "comment": 51,
    "proposed": 51,
    "disposition": 19,
    "observations": 41,
    "next": 15,
}
SHOWN = tuple(column for column in COLUMNS if not column.hidden)
_INSERT_COLOUR = RGBColor(0x1A, 0x7F, 0x37)
_DELETE_COLOUR = RGBColor(0xB3, 0x26, 0x1E)
# Markers that cannot occur in a translation, to find where the fields go.
_PAGE, _PAGES = "\x01PAGE\x01", "\x01NUMPAGES\x01"


def write_docx(meta: MatrixMeta, sheets: list[RoundSheet], out: BinaryIO) -> None:
    """Write the matrix to `out` as a DOCX file: one heading and table per round."""
    document = Document()
    _set_up_pages(document, meta)
    document.add_heading(cells.clean(_("Comment matrix")), level=0)
    for label, text in about_lines(meta):
        paragraph = document.add_paragraph()
        paragraph.add_run(cells.clean(label) + ": ").bold = True
        paragraph.add_run(cells.clean(text))
    for sheet in sheets:
        document.add_heading(cells.clean(sheet.round_title), level=1)
        table = _new_table(document)
        texts = cells.RowTexts()
        count = 0
        for row in sheet.rows:
            count += 1
            _add_row(table, texts.values(row), row)
        if not count:
            document.add_paragraph(_("No comments in this round match the filters."))
    document.save(out)


def _set_up_pages(document: WordDocument, meta: MatrixMeta) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(8)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    rounds = "; ".join(meta.round_titles)
    header = section.header.paragraphs[0]
    header.text = cells.clean(
        " — ".join(part for part in (meta.document_title, meta.version_label, rounds) if part)
    )
    footer = section.footer.paragraphs[0]
    said = _("Page %(page)s of %(pages)s", page=_PAGE, pages=_PAGES)
    for piece in _split_fields(said):
        if piece == _PAGE:
            _add_field(footer, "PAGE")
        elif piece == _PAGES:
            _add_field(footer, "NUMPAGES")
        elif piece:
            footer.add_run(piece)


def _split_fields(text: str) -> list[str]:
    """Split `text` into plain pieces and the field markers, in order."""
    pieces = [text]
    for marker in (_PAGE, _PAGES):
        split: list[str] = []
        for piece in pieces:
            parts = piece.split(marker)
            for i, part in enumerate(parts):
                if i:
                    split.append(marker)
                split.append(part)
        pieces = split
    return pieces


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """Append a field (PAGE, NUMPAGES) that Word and LibreOffice fill in when laying out pages."""

    for kind in ("begin", "instr", "separate", "shown", "end"):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        elif kind == "shown":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)


def _new_table(document: WordDocument) -> Table:
    table: Table = document.add_table(rows=1, cols=len(SHOWN))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, column in enumerate(SHOWN):
        table.columns[index].width = Mm(WIDTHS_MM[column.key])
    header = table.rows[0]
    for index, column in enumerate(SHOWN):
        cell = header.cells[index]
        cell.width = Mm(WIDTHS_MM[column.key])
        cell.paragraphs[0].add_run(cells.clean(str(column.label))).bold = True
    # Repeat the header row at the top of every page the table runs onto.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    return table


def _add_row(table: Table, values: dict[str, cells.CellValue], row: MatrixRow) -> None:
    row_cells = table.add_row().cells  # type: ignore[no-untyped-call]
    for index, column in enumerate(SHOWN):
        cell = row_cells[index]
        value = values[column.key]
        if column.key == "proposed" and row.proposed_diff and row.proposed is not None:
            _write_diff(cell, row.proposed_diff)
        elif column.key == "next" and row.next_version and row.next_version.diff:
            cell.paragraphs[0].add_run(cells.clean(str(value)))
            _write_diff(cell, row.next_version.diff, cell.add_paragraph())
        else:
            cell.paragraphs[0].add_run(cells.clean(str(value)))


def _write_diff(cell: _Cell, ops: Ops, paragraph: Paragraph | None = None) -> None:
    """Write a word diff into a cell: insertions underlined, deletions struck through."""
    target = paragraph if paragraph is not None else cell.paragraphs[0]
    for op, text in ops:
        text = cells.clean(text)
        if not text:
            continue
        run = target.add_run(text)
        if op == "insert":
            run.font.underline = True
            run.font.color.rgb = _INSERT_COLOUR
        elif op == "delete":
            run.font.strike = True
            run.font.color.rgb = _DELETE_COLOUR
