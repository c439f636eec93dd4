"""The matrix's files (XLSX, CSV, DOCX), written from rows made by hand and read back cell by cell.

Each file is also converted to PDF by LibreOffice, as a person opening it
would see it, when LibreOffice is installed (CI installs it).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from flask import Flask
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from consult.exports import cells
from consult.exports.matrix_csv import write_csv
from consult.exports.matrix_docx import write_docx
from consult.exports.matrix_xlsx import sheet_names, write_xlsx
from consult.services.matrix.model import MatrixMeta, MatrixRow, NextVersion, RoundSheet

HEADERS = [
    "No.",
    "Tracking no.",
    "MB/NC",
    "Clause/Subclause",
    "Paragraph/Figure/Table",
    "Type of comment",
    "Comments",
    "Proposed change",
    "Disposition",
    "Observations of the secretariat",
    "In the next version",
    "Round id",
    "Answer revision",
]
LONG = "x" * 39_990 + "end of text"  # 40,001 characters
NEXT_SAID = "Changed in version 2 (now 4.2)"
CUT_NOTE = "[cut: the full text is 40,001 characters; see the platform]"


def make_row(number: int, **changes: Any) -> MatrixRow:
    values: dict[str, Any] = {
        "number": number,
        "comment_id": 100 + number,
        "round_id": 7,
        "round_title": "First expert meeting",
        "tracking_number": f"R7-{number:04d}",
        "member": "DE",
        "organisation": "Germany",
        "organisation_kind": "member_state",
        "clause_key": "principle-dignity",
        "clause": "Principle 1",
        "clause_text": "Everyone shall be treated with dignity.",
        "paragraph": "",
        "type": "substantive",
        "template_type": "te",
        "body": f"Comment number {number}.",
        "proposed": None,
        "proposed_diff": None,
        "disposition": None,
        "observations": "",
        "response_revision": None,
        "withdrawn": False,
        "received_at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        "emailed_on": None,
        "next_version": None,
    }
    values.update(changes)
    return MatrixRow(**values)


def first_round_rows() -> list[MatrixRow]:
    return [
        make_row(
            1,
            body="=SUM(A1:A9)",
            proposed="Everyone shall always be treated with dignity.",
            proposed_diff=(
                ("equal", "Everyone shall "),
                ("insert", "always "),
                ("equal", "be treated with dignity."),
            ),
            disposition="accepted",
            observations="Accepted as proposed.",
            response_revision=3,
            paragraph="First sentence",
            next_version=NextVersion(
                "changed",
                2,
                "4.2",
                (("equal", "Everyone shall "), ("delete", "be"), ("insert", "remain")),
            ),
        ),
        make_row(
            2,
            member="OHCHR (UN entity)",
            body="-5 is fine as a figure.",
            observations="@all: see the revised text",
            disposition="not_accepted",
            response_revision=1,
            type="editorial",
            template_type="ed",
            next_version=NextVersion("unchanged", 2, "Principle 1", None),
        ),
        make_row(
            3,
            clause_key=None,
            clause="Whole document",
            clause_text=None,
            body=LONG,
            type="general",
            template_type="ge",
            proposed="+ a new paragraph",
            next_version=NextVersion("removed", 2, "", None),
        ),
        make_row(4, body="\tindented", observations="Accepted", proposed="Plain proposal"),
    ]


def second_round_rows() -> list[MatrixRow]:
    return [
        make_row(
            5,
            round_id=9,
            round_title="Second expert meeting",
            tracking_number="R9-0001",
            member="Participant 1",
            body="'Quoted already and harmless",
            withdrawn=True,
            disposition="noted",
            observations="Noted.\nWe will come back to it.",
            response_revision=2,
        )
    ]


def meta(public: bool = False) -> MatrixMeta:
    return MatrixMeta(
        document_title="Sample Principles",
        document_slug="sample",
        version_label="Version 1 (First draft)",
        round_titles=["First expert meeting", "Second expert meeting"],
        made_at=datetime(2026, 4, 1, 12, 30, tzinfo=UTC),
        filters=[("Type", "Substantive")],
        public=public,
    )


def streamed(rows: list[MatrixRow]) -> Iterator[MatrixRow]:
    """Give the rows as the query does: a generator that can be read once."""
    yield from rows


def sheets() -> list[RoundSheet]:
    return [
        RoundSheet(7, "First expert meeting", streamed(first_round_rows())),
        RoundSheet(9, "Second expert meeting", streamed(second_round_rows())),
    ]


#: What each row's cells must read, in the columns' order (XLSX and CSV alike).
EXPECTED_FIRST = [
    [
        1,
        "R7-0001",
        "DE",
        "Principle 1",
        "First sentence",
        "te (Substantive)",
        "'=SUM(A1:A9)",
        "Everyone shall always be treated with dignity.",
        "Accepted",
        "Accepted as proposed.",
        NEXT_SAID,
        7,
        3,
    ],
    [
        2,
        "R7-0002",
        "OHCHR (UN entity)",
        "Principle 1",
        "",
        "ed (Editorial)",
        "'-5 is fine as a figure.",
        "",
        "Not accepted",
        "'@all: see the revised text",
        "Unchanged in version 2",
        7,
        1,
    ],
    [
        3,
        "R7-0003",
        "DE",
        "Whole document",
        "",
        "ge (General)",
        LONG,
        "'+ a new paragraph",
        "",
        "",
        "Removed in version 2",
        7,
        0,
    ],
    [
        4,
        "R7-0004",
        "DE",
        "Principle 1",
        "",
        "te (Substantive)",
        "'\tindented",
        "Plain proposal",
        "",
        "Accepted",
        "",
        7,
        0,
    ],
]
EXPECTED_SECOND = [
    [
        5,
        "R9-0001",
        "Participant 1",
        "Principle 1",
        "",
        "te (Substantive)",
        "[Withdrawn] 'Quoted already and harmless",
        "",
        "Noted",
        "Noted.\nWe will come back to it.",
        "",
        9,
        2,
    ]
]


def unquoted(value: Any) -> str:
    """Return a value as the DOCX shows it: the text as written, not neutralised and not cut."""
    text = str(value)
    if text.startswith("'") and text[1:].startswith(cells.FORMULA_STARTS):
        text = text[1:]
    return text


def as_read(values: list[Any]) -> list[Any]:
    """Return expected values as a spreadsheet reader gives them: empty cells are None."""
    return [None if value == "" else value for value in values]


# --- cells shared by every format -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-5 is fine", "'-5 is fine"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\ncmd", "'\ncmd"),
        ("Accepted", "Accepted"),
        ("a = b", "a = b"),
        ("5-3", "5-3"),
        ("", ""),
        ("'=quoted", "'=quoted"),
    ],
)
def test_only_formula_like_cells_are_prefixed(text: str, expected: str) -> None:
    assert cells.neutralise(text) == expected


def test_a_long_text_is_cut_within_excels_limit_with_a_note(app: Flask) -> None:
    fitted = cells.fit(LONG)
    assert cells.excel_length(fitted) <= cells.EXCEL_CELL_LIMIT
    assert fitted.endswith(CUT_NOTE)
    assert fitted.startswith("x" * 30_000)
    assert cells.fit("short") == "short"
    exact = "y" * cells.EXCEL_CELL_LIMIT
    assert cells.fit(exact) == exact


def test_characters_outside_the_basic_plane_count_twice_as_excel_counts_them(app: Flask) -> None:
    text = "😀" * 20_000  # 40,000 UTF-16 code units
    fitted = cells.fit(text)
    assert cells.excel_length(fitted) <= cells.EXCEL_CELL_LIMIT
    assert fitted.endswith("[cut: the full text is 20,000 characters; see the platform]")
    assert cells.excel_length("a😀") == 3


def test_characters_xml_cannot_hold_are_dropped() -> None:
    assert cells.clean("a\x00b\x07c\td\ne\rf\ufffe") == "abc\td\ne\rf"


def test_the_next_version_is_said_in_words(app: Flask) -> None:
    said = cells.next_version_text
    assert said(None) == ""
    assert said(NextVersion("changed", 3, "4.2", None)) == "Changed in version 3 (now 4.2)"
    assert (
        said(NextVersion("moved", 3, "Part II, 5", None)) == "Moved in version 3 (now Part II, 5)"
    )
    assert said(NextVersion("unchanged", 3, "4.2", None)) == "Unchanged in version 3"
    assert said(NextVersion("removed", 3, "", None)) == "Removed in version 3"


def test_headers_are_recognised_in_any_case_and_spacing() -> None:
    column = cells.column_for_header("  tracking   NO. ")
    assert column is not None and column.key == "tracking"
    assert cells.column_for_header("Observations of the secretariat:") is not None
    assert cells.column_for_header("Something else") is None


def test_sheet_names_are_valid_and_unique() -> None:
    names = sheet_names(
        ["A" * 40, "A" * 40, "Meeting: 3/4 [draft]?", "History", "'quoted'", "", "about"],
        taken=["About"],
    )
    assert names == [
        "A" * 31,
        "A" * 27 + " (2)",
        "Meeting 3 4 draft",
        "History (2)",
        "quoted",
        "Round",
        "about (2)",
    ]
    assert all(len(name) <= 31 for name in names)


# --- XLSX ----------------------------------------------------------------------------------


def xlsx_bytes(public: bool = False) -> bytes:
    out = io.BytesIO()
    write_xlsx(meta(public), sheets(), out)
    return out.getvalue()


def test_xlsx_has_an_about_sheet_and_one_sheet_per_round(app: Flask) -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes()))
    assert book.sheetnames == ["About", "First expert meeting", "Second expert meeting"]
    about = {
        row[0]: row[1] for row in book["About"].iter_rows(min_row=2, values_only=True) if row[0]
    }
    assert about["Document"] == "Sample Principles (sample)"
    assert about["Version"] == "Version 1 (First draft)"
    assert about["Rounds"] == "First expert meeting; Second expert meeting"
    assert about["Made"] == "1 April 2026, 12:30 UTC"
    assert about["Filter: Type"] == "Substantive"
    assert about["Variant"].startswith("As the platform showed it")
    assert "Answering offline" in about
    assert about["Comments: First expert meeting"] == 4
    assert about["Comments: Second expert meeting"] == 1


def test_xlsx_cells_read_back_as_written(app: Flask) -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes()))
    for name, expected in (
        ("First expert meeting", EXPECTED_FIRST),
        ("Second expert meeting", EXPECTED_SECOND),
    ):
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS
        cut_expected = [
            [cells.fit(v) if isinstance(v, str) else v for v in values] for values in expected
        ]
        # In the spreadsheet, what became of a changed clause is followed by its diff.
        next_column = HEADERS.index("In the next version")
        for values in cut_expected:
            if values[next_column] == NEXT_SAID:
                values[next_column] = NEXT_SAID + "\nEveryone shall beremain"
        assert [list(row) for row in rows[1:]] == [as_read(v) for v in cut_expected]


def test_xlsx_never_writes_a_formula_and_cuts_long_cells_visibly(app: Flask) -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes()))["First expert meeting"]
    formula_like = sheet["G2"]
    assert formula_like.value == "'=SUM(A1:A9)"
    assert formula_like.data_type == "s"
    assert sheet["G3"].value == "'-5 is fine as a figure."
    assert sheet["G3"].data_type == "s"
    long_cell = sheet["G4"].value
    assert long_cell.startswith("xxx")
    assert long_cell.endswith(CUT_NOTE)
    assert cells.excel_length(long_cell) <= cells.EXCEL_CELL_LIMIT
    assert all(
        cell.data_type in {"s", "n"}
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if cell.value is not None
    )
    assert sheet["A2"].data_type == "n"


def test_xlsx_layout_freezes_filters_wraps_and_hides_the_round_trip_columns(app: Flask) -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes()))["First expert meeting"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:M5"
    hidden = {
        index
        for dimension in sheet.column_dimensions.values()
        if dimension.hidden
        for index in range(dimension.min, dimension.max + 1)
    }
    assert hidden == {12, 13}  # L and M: Round id and Answer revision
    assert sheet.column_dimensions["G"].width > 40
    assert sheet["G2"].alignment.wrap_text
    assert sheet["A1"].font.bold
    assert sheet.page_setup.orientation == "landscape"
    validation = sheet.data_validations.dataValidation[0]
    assert str(validation.sqref) == "I2:I5"
    assert "Accepted in part" in validation.formula1


def test_xlsx_proposed_change_is_a_rich_string_with_marks(app: Flask) -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes()), rich_text=True)["First expert meeting"]
    proposed = sheet["H2"].value
    assert isinstance(proposed, CellRichText)
    blocks = [part for part in proposed if isinstance(part, TextBlock)]
    assert [b.text for b in blocks if b.font.u == "single"] == ["always "]
    assert not [b.text for b in blocks if b.font.strike]
    assert "".join(str(part) if isinstance(part, str) else part.text for part in proposed) == (
        "Everyone shall always be treated with dignity."
    )
    following = sheet["K2"].value  # the sentence, then the clause's diff
    assert isinstance(following, CellRichText)
    parts = [p for p in following if isinstance(p, TextBlock)]
    assert [b.text for b in parts if b.font.u == "single"] == ["remain"]
    assert [b.text for b in parts if b.font.strike] == ["be"]
    assert str(following).startswith(NEXT_SAID + "\n")
    assert sheet["H5"].value == "Plain proposal"


def test_a_rich_proposal_that_starts_like_a_formula_is_quoted(app: Flask) -> None:
    row = make_row(
        1, proposed="=1 and more", proposed_diff=(("insert", "=1"), ("equal", " and more"))
    )
    out = io.BytesIO()
    write_xlsx(meta(), [RoundSheet(7, "Round", iter([row]))], out)
    cell = load_workbook(io.BytesIO(out.getvalue()))["Round"]["H2"]
    assert cell.value == "'=1 and more"
    assert cell.data_type == "s"


def test_public_xlsx_says_so_and_offers_no_round_trip(app: Flask) -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes(public=True)))
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert about["Variant"].startswith("Public, for circulation")
    assert "Answering offline" not in about
    assert not book["First expert meeting"].data_validations.dataValidation


def test_a_file_without_rows_still_has_its_header(app: Flask) -> None:
    out = io.BytesIO()
    write_xlsx(replace(meta(), round_titles=["Empty"]), [RoundSheet(1, "Empty", iter([]))], out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["Empty"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 1


# --- CSV -----------------------------------------------------------------------------------


def test_csv_is_utf8_with_a_bom_and_reads_back(app: Flask) -> None:
    out = io.BytesIO()
    write_csv(meta(), sheets(), out)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Round", *HEADERS]
    expected = [["First expert meeting", *values] for values in EXPECTED_FIRST] + [
        ["Second expert meeting", *values] for values in EXPECTED_SECOND
    ]
    assert rows[1:] == [[str(v) for v in values] for values in expected]
    assert rows[3][7] == LONG  # never cut


def test_csv_keeps_accents_and_scripts(app: Flask) -> None:
    out = io.BytesIO()
    row = make_row(1, body="Égalité — 平等 — равенство")
    write_csv(meta(), [RoundSheet(7, "Réunion", iter([row]))], out)
    text = out.getvalue().decode("utf-8-sig")
    assert "Égalité — 平等 — равенство" in text
    assert "Réunion" in text


# --- DOCX ----------------------------------------------------------------------------------


def docx_document(public: bool = False) -> Any:
    out = io.BytesIO()
    write_docx(meta(public), sheets(), out)
    return Document(io.BytesIO(out.getvalue()))


def test_docx_pages_are_landscape_a4_with_header_and_page_numbers(app: Flask) -> None:
    document = docx_document()
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Mm(297)) < Mm(0.1)
    assert abs(section.page_height - Mm(210)) < Mm(0.1)
    header = section.header.paragraphs[0].text
    assert "Sample Principles" in header
    assert "Version 1 (First draft)" in header
    assert "First expert meeting" in header
    footer = section.footer.paragraphs[0]
    instructions = [e.text.strip() for e in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Page ")
    assert " of " in footer.text


def test_docx_has_a_table_per_round_with_a_repeated_header_row(app: Flask) -> None:
    document = docx_document()
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["First expert meeting", "Second expert meeting"]
    assert len(document.tables) == 2
    for table, expected in zip(document.tables, (EXPECTED_FIRST, EXPECTED_SECOND), strict=True):
        header = table.rows[0]
        flag = header._tr.trPr.find(qn("w:tblHeader"))
        assert flag is not None and flag.get(qn("w:val")) == "true"
        assert [cell.text for cell in header.cells] == HEADERS[:11]
        # The DOCX shows texts as written: no quote, no cut, no hidden columns.
        got = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        want = [[unquoted(value) for value in values[:11]] for values in expected]
        if expected is EXPECTED_FIRST:  # what became of the clause, then its diff
            want[0][10] = NEXT_SAID + "\nEveryone shall beremain"
        assert got == want


def test_docx_marks_insertions_and_deletions(app: Flask) -> None:
    table = docx_document().tables[0]
    proposed = table.rows[1].cells[7].paragraphs[0]
    assert [(r.text, bool(r.font.underline), bool(r.font.strike)) for r in proposed.runs] == [
        ("Everyone shall ", False, False),
        ("always ", True, False),
        ("be treated with dignity.", False, False),
    ]
    following = table.rows[1].cells[10]
    assert following.paragraphs[0].text == "Changed in version 2 (now 4.2)"
    marked = [
        (r.text, bool(r.font.underline), bool(r.font.strike)) for r in following.paragraphs[1].runs
    ]
    assert ("be", False, True) in marked
    assert ("remain", True, False) in marked


def test_docx_says_what_it_holds(app: Flask) -> None:
    text = "\n".join(p.text for p in docx_document(public=True).paragraphs)
    assert "Document: Sample Principles (sample)" in text
    assert "Filter: Type: Substantive" in text
    assert "Variant: Public, for circulation" in text


# --- LibreOffice ---------------------------------------------------------------------------

SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "docx"])
def test_libreoffice_converts_each_file_to_a_pdf(app: Flask, tmp_path: Path, fmt: str) -> None:
    writers = {"xlsx": write_xlsx, "csv": write_csv, "docx": write_docx}
    rows = [make_row(1, body="Distinctive comment about dignity at borders.")]
    source = tmp_path / f"matrix.{fmt}"
    with source.open("wb") as out:
        writers[fmt](meta(), [RoundSheet(7, "First expert meeting", iter(rows))], out)
    profile = tmp_path / "profile"  # a profile of its own: other soffice runs may be going on
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "pdf" / "matrix.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        assert pdf.stat().st_size > 1000
        return
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Distinctive" in " ".join(text.split())
    assert "R7-0001" in text
