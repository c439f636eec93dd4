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
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.table import Table
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


def write_docx(meta: MatrixMeta, sheets: list[RoundSheet], out: BinaryIO) -> None:
    """Write the matrix to `out` as a DOCX file: one heading and table per round."""
    texts = cells.RowTexts()
    with ExitStack() as files:
        spools: list[IO[bytes]] = []
        counts: list[int] = []
        for sheet in sheets:
            spool = files.enter_context(tempfile.TemporaryFile())
            count = 0
            for row in sheet.rows:
                count += 1
                spool.write(_row_xml(texts.values(row), row).encode())
            spools.append(spool)
            counts.append(count)
        skeleton, markers = _skeleton(meta, sheets, counts)
        rows = {m: f for m, f in zip(markers, spools, strict=True) if m is not None}
        _assemble(skeleton, rows, out)


def _skeleton(
    meta: MatrixMeta, sheets: list[RoundSheet], counts: list[int]
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
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue(), markers


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


def _row_xml(values: dict[str, cells.CellValue], row: MatrixRow) -> str:
    """Return a table row as WordprocessingML, for the document body (its namespace declared).

    Building it through python-docx's objects costs milliseconds a row, which
    a matrix of thousands of comments cannot afford; the XML is the same.
    """
    parts = ["<w:tr>"]
    for column in SHOWN:
        value = values[column.key]
        if column.key == "proposed" and row.proposed_diff and row.proposed is not None:
            paragraphs = [_diff_runs(row.proposed_diff)]
        elif column.key == "next" and row.next_version and row.next_version.diff:
            paragraphs = [_run(str(value)), _diff_runs(row.next_version.excerpt or ())]
        else:
            paragraphs = [_run(str(value))]
        parts.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{_TWIPS[column.key]}" w:type="dxa"/></w:tcPr>'
            + "".join(f"<w:p>{runs}</w:p>" for runs in paragraphs)
            + "</w:tc>"
        )
    parts.append("</w:tr>")
    return "".join(parts)


def _run(text: str, properties: str = "") -> str:
    """Return a run of `text` as XML: line breaks and tabs as Word's own elements."""
    text = cells.clean(text)
    if not text:
        return ""
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


def _diff_runs(ops: Ops) -> str:
    """Return a word diff as runs: insertions underlined, deletions struck (and coloured)."""
    return "".join(_run(text, _DIFF_PROPERTIES.get(op, "")) for op, text in ops)
