"""The comment matrix as a Word document, in the commenting template's layout.

This is the table a secretariat circulates: landscape A4 pages (the
orientation and the page's width and height are all set, as Word and
LibreOffice each read a different one), the document, version and rounds in
the page header, "Page x of y" in the footer, and for each round a heading
and a table whose header row repeats on every page. The proposed change is
shown against the clause: inserted words underlined, deleted ones struck
through (and coloured, but never by colour alone).

Rows are written as they come and never held together in memory: each
round's rows go to a temporary file as WordprocessingML, python-docx builds
the rest of the document around a marker row per table, and the rows are
copied in place of the markers while the file is zipped. Twenty thousand
comments cost no more memory than twenty.

In a language written right to left (Arabic) the document runs right to
left: the section and its paragraphs are bidirectional (`w:bidi`: they start
at the right margin, which for such a paragraph is Word's "left" alignment, so
no alignment is written; `w:jc="right"` would put them at the left margin),
the tables' columns run from the right (`w:bidiVisual`), and each run whose
text starts with a right-to-left letter is marked `w:rtl`. A cell whose text
starts with a left-to-right letter (an English comment) stays a left-to-right
paragraph, as on the platform's pages. Complex-script text gets the
document's size and bold (`w:szCs`, `w:bCs`), which Word and LibreOffice use
for Arabic letters. A document in a language written left to right has none
of these.
"""

from __future__ import annotations

import secrets
import tempfile
import zipfile
from contextlib import ExitStack
from io import BytesIO
from typing import IO, BinaryIO
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_TABLE_DIRECTION
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from flask_babel import gettext as _

from consult.domain.diff import Ops
from consult.domain.scripts import strong_direction
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
    "number": 10,
    "tracking": 20,
    "member": 18,
    "clause": 22,
    "paragraph": 16,
    "type": 17,
    "comment": 47,
    "proposed": 47,
    "disposition": 19,
    "observations": 35,
    "next": 22,
}
SHOWN = tuple(column for column in COLUMNS if not column.hidden)
_DIFF_PROPERTIES = {
    "insert": '<w:color w:val="1A7F37"/><w:u w:val="single"/>',
    "delete": '<w:strike/><w:color w:val="B3261E"/>',
}
_TWIPS = {key: Mm(width).twips for key, width in WIDTHS_MM.items()}
# Markers that cannot occur in a translation, to find where the fields go.
_PAGE, _PAGES = "\x01PAGE\x01", "\x01NUMPAGES\x01"
# What follows w:bidi in a paragraph's and in a section's properties (the schema's order).
_AFTER_PARAGRAPH_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_SECTION_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")
_AFTER_SIZE_CS = (
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def write_docx(
    meta: MatrixMeta, sheets: list[RoundSheet], out: BinaryIO, *, direction: str = "ltr"
) -> None:
    """Write the matrix to `out` as a DOCX file: one heading and table per round.

    `direction` is the reader's language's ("ltr" or "rtl"): "rtl" lays the
    document out right to left.
    """
    rtl = direction == "rtl"
    texts = cells.RowTexts()
    with ExitStack() as files:
        spools: list[IO[bytes]] = []
        counts: list[int] = []
        for sheet in sheets:
            spool = files.enter_context(tempfile.TemporaryFile())
            count = 0
            for row in sheet.rows:
                count += 1
                spool.write(_row_xml(texts.values(row), row, rtl).encode())
            spools.append(spool)
            counts.append(count)
        skeleton, markers = _skeleton(meta, sheets, counts, rtl)
        rows = {m: f for m, f in zip(markers, spools, strict=True) if m is not None}
        _assemble(skeleton, rows, out)


def _skeleton(
    meta: MatrixMeta, sheets: list[RoundSheet], counts: list[int], rtl: bool
) -> tuple[bytes, list[str | None]]:
    """Return the document without its rows, and the marker standing for each round's rows."""
    document = Document()
    _set_up_pages(document, meta)
    document.add_heading(cells.clean(_("Comment matrix")), level=0)
    for label, text in about_lines(meta):
        paragraph = document.add_paragraph()
        paragraph.add_run(cells.clean(label) + ": ").bold = True
        paragraph.add_run(cells.clean(text))
    markers: list[str | None] = []
    for sheet, count in zip(sheets, counts, strict=True):
        document.add_heading(cells.clean(sheet.round_title), level=1)
        table = _new_table(document)
        if count:
            marker = f"consult-rows-{secrets.token_hex(8)}"
            cell = f"<w:tc><w:p><w:r><w:t>{marker}</w:t></w:r></w:p></w:tc>"
            table._tbl.append(parse_xml(f"<w:tr {nsdecls('w')}>{cell}</w:tr>"))
            markers.append(marker)
        else:
            markers.append(None)
            document.add_paragraph(_("No comments in this round match the filters."))
    if rtl:
        _right_to_left(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue(), markers


def _right_to_left(document: WordDocument) -> None:
    """Lay the document out right to left: its section, paragraphs, tables and runs."""
    section = document.sections[0]
    sect_pr = section._sectPr
    if sect_pr.find(qn("w:bidi")) is None:
        sect_pr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_SECTION_BIDI)
    # Arabic letters take the complex-script size: the same as the rest of the text.
    normal = document.styles["Normal"].element.get_or_add_rPr()
    size = normal.find(qn("w:sz"))
    if size is not None and normal.find(qn("w:szCs")) is None:
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), str(size.get(qn("w:val"))))
        normal.insert_element_before(size_cs, *_AFTER_SIZE_CS)
    for table in document.tables:
        table.table_direction = WD_TABLE_DIRECTION.RTL
    paragraphs = [
        *document.paragraphs,
        *(p for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs),
        *section.header.paragraphs,
        *section.footer.paragraphs,
    ]
    for paragraph in paragraphs:
        _bidi(paragraph._p.get_or_add_pPr())
        for run in paragraph.runs:
            if run.bold:
                run.font.cs_bold = True
            if strong_direction(run.text) == "rtl":
                run.font.rtl = True


def _bidi(properties: BaseOxmlElement) -> None:
    """Make a paragraph right to left (its properties given), if it is not already."""
    if properties.find(qn("w:bidi")) is None:
        properties.insert_element_before(OxmlElement("w:bidi"), *_AFTER_PARAGRAPH_BIDI)


def _assemble(skeleton: bytes, rows: dict[str, IO[bytes]], out: BinaryIO) -> None:
    """Zip the skeleton to `out`, each marker row replaced by the rows spooled for it."""
    with (
        zipfile.ZipFile(BytesIO(skeleton)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/document.xml":
                target.writestr(item, data)
                continue
            xml = data.decode("utf-8")
            with target.open(item.filename, "w", force_zip64=True) as document:
                at = 0
                for marker, spool in rows.items():
                    found = xml.index(marker)
                    start = xml.rindex("<w:tr", 0, found)
                    end = xml.index("</w:tr>", found) + len("</w:tr>")
                    document.write(xml[at:start].encode("utf-8"))
                    spool.seek(0)
                    while chunk := spool.read(1 << 20):
                        document.write(chunk)
                    at = end
                document.write(xml[at:].encode("utf-8"))


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


def _row_xml(values: dict[str, cells.CellValue], row: MatrixRow, rtl: bool = False) -> str:
    """Return a table row as WordprocessingML, for the document body (its namespace declared).

    Building it through python-docx's objects costs milliseconds a row, which
    a matrix of thousands of comments cannot afford; the XML is the same
    (`rtl`: a right-to-left document, see `_paragraph`).
    """
    parts = ["<w:tr>"]
    for column in SHOWN:
        value = values[column.key]
        if column.key == "proposed" and row.proposed_diff and row.proposed is not None:
            paragraphs = [_diff_paragraph(row.proposed_diff, rtl)]
        elif column.key == "next" and row.next_version and row.next_version.diff:
            paragraphs = [
                _paragraph(str(value), _run(str(value), rtl=rtl), rtl),
                _diff_paragraph(row.next_version.excerpt or (), rtl),
            ]
        else:
            paragraphs = [_paragraph(str(value), _run(str(value), rtl=rtl), rtl)]
        parts.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{_TWIPS[column.key]}" w:type="dxa"/></w:tcPr>'
            + "".join(paragraphs)
            + "</w:tc>"
        )
    parts.append("</w:tr>")
    return "".join(parts)


def _paragraph(text: str, runs: str, rtl: bool) -> str:
    """Return a cell's paragraph of `runs`, whose text is `text`.

    In a right-to-left document (`rtl`) it runs right to left, unless its
    text starts with a left-to-right letter, as a browser's dir="auto" does:
    an English comment in an Arabic matrix keeps its full stop at its end.
    An empty cell runs right to left, for the answer typed into it.
    """
    if rtl and strong_direction(text) != "ltr":
        return f"<w:p><w:pPr><w:bidi/></w:pPr>{runs}</w:p>"
    return f"<w:p>{runs}</w:p>"


def _run(text: str, properties: str = "", rtl: bool = False) -> str:
    """Return a run of `text` as XML: line breaks and tabs as Word's own elements.

    In a right-to-left document (`rtl`), a text that starts with a
    right-to-left letter is a right-to-left run.
    """
    text = cells.clean(text)
    if not text:
        return ""
    if rtl and strong_direction(text) == "rtl":
        properties += "<w:rtl/>"
    pieces = []
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if n:
            pieces.append("<w:br/>")
        for m, chunk in enumerate(line.split("\t")):
            if m:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def _diff_paragraph(ops: Ops, rtl: bool) -> str:
    """Return a word diff as a paragraph: insertions underlined, deletions struck (and coloured)."""
    runs = "".join(_run(text, _DIFF_PROPERTIES.get(op, ""), rtl) for op, text in ops)
    return _paragraph("".join(text for _op, text in ops), runs, rtl)
