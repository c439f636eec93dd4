"""The matrix's files run the way the reader's language is written: right to left in Arabic.

Each file is written in the language of whoever asks for it (the interface's),
and the writers are told its direction. An Arabic workbook's sheets start from
the right; an Arabic Word document's paragraphs, tables and Arabic words run
right to left, while an English comment quoted in it still reads left to
right. In English and French the files carry no right-to-left setting at all.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from flask import Flask
from flask_babel import force_locale
from lxml import etree
from openpyxl import load_workbook

from consult.exports.matrix_docx import write_docx
from consult.exports.matrix_xlsx import write_xlsx
from consult.languages import direction_of
from consult.services.matrix.model import MatrixMeta, MatrixRow, RoundSheet
from tests.exports.poppler import Page, pdf_pages
from tests.exports.test_matrix_files import make_row, meta

ARABIC_COMMENT = "ينبغي أن يُعامل الجميع بكرامة في جميع الأوقات."
ENGLISH_COMMENT = "An English comment, ending with a full stop."
ROUND = "الاجتماع الأول"
TITLE = "مصفوفة التعليقات"  # "Comment matrix" in Arabic


def rows() -> list[MatrixRow]:
    return [
        make_row(
            1,
            round_title=ROUND,
            body=ARABIC_COMMENT,
            proposed="يُعامل الجميع دائماً بكرامة.",
            proposed_diff=(("equal", "يُعامل الجميع "), ("insert", "دائماً "), ("equal", "بكرامة.")),
            disposition="accepted",
            observations="قُبل كما اقتُرح.",
            response_revision=1,
        ),
        make_row(2, round_title=ROUND, body=ENGLISH_COMMENT, member="OHCHR (UN entity)"),
    ]


def written(writer: Any, language: str, matrix: MatrixMeta | None = None) -> bytes:
    """Return the file `writer` makes for a reader of `language`, as the download route does."""
    out = io.BytesIO()
    with force_locale(language):
        writer(
            matrix or meta(),
            [RoundSheet(7, ROUND, iter(rows()))],
            out,
            direction=direction_of(language),
        )
    return out.getvalue()


# --- XLSX ----------------------------------------------------------------------------------


def test_an_arabic_workbook_runs_right_to_left(app: Flask) -> None:
    book = load_workbook(io.BytesIO(written(write_xlsx, "ar")))
    assert len(book.worksheets) == 2  # "About" and the round
    assert [sheet.sheet_view.rightToLeft for sheet in book.worksheets] == [True, True]
    about, sheet = book.worksheets
    assert about["A1"].value == TITLE
    assert about["A1"].alignment.readingOrder == 2
    assert about["A3"].alignment.readingOrder == 2  # a label, in Arabic
    # The headers are the reader's words, set right to left; numbers align on the right.
    assert [cell.alignment.readingOrder for cell in sheet[1]] == [2] * 13
    assert sheet["A2"].value == 1
    assert sheet["A2"].alignment.horizontal == "right"
    # A comment takes the direction of its own text: the English one reads left to right.
    assert sheet["G2"].value == ARABIC_COMMENT
    assert sheet["G3"].value == ENGLISH_COMMENT
    assert sheet["G3"].alignment.readingOrder == 0


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_workbook_in_a_left_to_right_language_has_no_right_to_left_setting(
    app: Flask, language: str
) -> None:
    book = load_workbook(io.BytesIO(written(write_xlsx, language)))
    assert [sheet.sheet_view.rightToLeft for sheet in book.worksheets] == [None, None]
    sheet = book.worksheets[1]
    assert {cell.alignment.readingOrder for cell in sheet[1]} == {0}
    assert sheet["A2"].alignment.horizontal == "left"


# --- DOCX ----------------------------------------------------------------------------------


def is_bidi(paragraph: Paragraph) -> bool:
    """Whether the paragraph runs right to left (w:bidi), starting at the right margin."""
    properties = paragraph._p.pPr
    return properties is not None and properties.find(qn("w:bidi")) is not None


def alignment(paragraph: Paragraph) -> str | None:
    properties = paragraph._p.pPr
    found = None if properties is None else properties.find(qn("w:jc"))
    return None if found is None else found.get(qn("w:val"))


def test_an_arabic_document_runs_right_to_left(app: Flask) -> None:
    document = Document(io.BytesIO(written(write_docx, "ar")))
    section = document.sections[0]
    assert section._sectPr.find(qn("w:bidi")) is not None
    outside = [*document.paragraphs, *section.header.paragraphs, *section.footer.paragraphs]
    assert document.paragraphs[0].text == TITLE
    assert [p.text for p in outside if not is_bidi(p)] == []
    # At the right margin: Word and LibreOffice read "right" as a bidi paragraph's end (left).
    assert {alignment(p) for p in outside} == {None}
    # Arabic words are right-to-left runs, bold ones in the complex script's bold too.
    label = document.paragraphs[1].runs[0]
    assert label.text == "الوثيقة: "
    assert label.font.rtl and label.font.bold and label.font.cs_bold
    assert not document.paragraphs[1].runs[1].font.rtl  # "Sample Principles (sample)"
    # The table's columns start from the right: "No." is its rightmost column.
    [table] = document.tables
    direction = table._tbl.tblPr.find(qn("w:bidiVisual"))
    assert direction is not None and direction.get(qn("w:val")) in (None, "1", "true", "on")
    header = table.rows[0].cells
    assert all(is_bidi(cell.paragraphs[0]) for cell in header)
    assert header[0].paragraphs[0].runs[0].font.cs_bold
    arabic, english = table.rows[1].cells, table.rows[2].cells
    assert arabic[6].text == ARABIC_COMMENT
    assert is_bidi(arabic[6].paragraphs[0])
    assert all(run.font.rtl for run in arabic[6].paragraphs[0].runs)
    proposed = arabic[7].paragraphs[0]
    assert is_bidi(proposed)
    assert [(r.text, bool(r.font.underline), bool(r.font.rtl)) for r in proposed.runs] == [
        ("يُعامل الجميع ", False, True),
        ("دائماً ", True, True),
        ("بكرامة.", False, True),
    ]
    # A text starting with a Latin letter stays left to right, its full stop at its end.
    assert english[6].text == ENGLISH_COMMENT
    assert not is_bidi(english[6].paragraphs[0])
    assert not english[6].paragraphs[0].runs[0].font.rtl
    assert not is_bidi(english[1].paragraphs[0])  # "R7-0002"
    # The number, and an empty cell waiting for the secretariat's answer, run right to left.
    assert is_bidi(english[0].paragraphs[0])
    assert english[9].text == ""
    assert is_bidi(english[9].paragraphs[0])
    # Arabic letters are drawn at the document's size (8 points), not at Word's default.
    normal = document.styles["Normal"].element.rPr
    assert normal.find(qn("w:szCs")).get(qn("w:val")) == "16"


RIGHT_TO_LEFT_ELEMENTS = ("w:bidi", "w:bidiVisual", "w:rtl")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_document_in_a_left_to_right_language_has_no_right_to_left_setting(
    app: Flask, language: str
) -> None:
    data = written(write_docx, language)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = [name for name in package.namelist() if name.endswith(".xml")]
        assert "word/document.xml" in parts
        for name in parts:
            root = etree.fromstring(package.read(name))
            found = [tag for tag in RIGHT_TO_LEFT_ELEMENTS for _ in root.iter(qn(tag))]
            assert found == [], name
    document = Document(io.BytesIO(data))
    assert document.styles["Normal"].element.rPr.find(qn("w:szCs")) is None  # as before


# --- As LibreOffice lays it out ------------------------------------------------------------

SOFFICE = shutil.which("soffice")


def laid_out(data: bytes, folder: Path) -> Page:
    """Return the first page of the DOCX `data` as LibreOffice prints it to PDF."""
    source = folder / "matrix.docx"
    source.write_bytes(data)
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return pdf_pages((folder / "matrix.pdf").read_bytes())[0]


def word_at(page: Page, text: str) -> tuple[float, float]:
    """Return the left and right edges of the first word `text` on `page`."""
    word = next(w for w in page.words if w.spells(text))
    return word.x_min, word.x_max


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_an_arabic_document_is_laid_out_from_the_right(app: Flask, tmp_path: Path) -> None:
    page = laid_out(written(write_docx, "ar"), tmp_path)
    middle = page.width / 2
    # The title starts against the right margin (12 mm, 34 points).
    assert word_at(page, "مصفوفة")[1] > page.width - 60
    # The first columns are on the right: the tracking number right of the comments.
    tracking_left, _ = word_at(page, "R7-0001")
    assert tracking_left > middle
    assert word_at(page, "English")[1] < tracking_left
    # The English comment reads left to right within its cell.
    assert word_at(page, "An")[0] < word_at(page, "English")[0]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_an_english_document_is_laid_out_from_the_left(app: Flask, tmp_path: Path) -> None:
    page = laid_out(written(write_docx, "en"), tmp_path)
    assert word_at(page, "Comment")[0] < 60
    tracking_right = word_at(page, "R7-0001")[1]
    assert tracking_right < page.width / 2
    assert word_at(page, "English")[0] > tracking_right
