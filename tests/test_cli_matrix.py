"""`flask export-matrix`: the comment matrix written to a file from scripts, read back."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from flask import Flask
from flask.testing import FlaskCliRunner
from flask_babel import refresh
from openpyxl import load_workbook

from consult.models import Comment, Round, User
from consult.services import comments, responses
from tests import factories

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


@dataclass
class Matrix:
    first: Round
    second: Round
    answered: Comment
    formula: Comment
    withdrawn: Comment
    later: Comment


@pytest.fixture
def matrix(app: Flask, users: dict[str, User]) -> Matrix:
    """Two rounds on the sample: three comments in the first (one answered, one withdrawn)."""
    version = factories.version()
    dignity = next(c for c in version.clauses if c.key == "principle-dignity")
    first = factories.round_(version, title="First expert meeting")
    second = factories.round_(version, title="Second expert meeting", visibility="secretariat")
    stakeholder = users["stakeholder"]
    answered = factories.comment(
        first.id,
        stakeholder,
        dignity,
        body="Say who treats people with dignity.",
        proposed_text="Everyone at a border shall always be treated with dignity.",
    )
    responses.respond(answered.id, "accepted", "Accepted as proposed.", users["secretariat"])
    formula = factories.comment(first.id, stakeholder, None, body="=HYPERLINK(1)", type="general")
    withdrawn = factories.comment(first.id, stakeholder, dignity, body="Never mind this one.")
    comments.withdraw_comment(withdrawn.id, stakeholder)
    later = factories.comment(second.id, stakeholder, dignity, body="A comment of round two.")
    return Matrix(first, second, answered, formula, withdrawn, later)


def export(runner: FlaskCliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(args=["export-matrix", *args])
    return result.exit_code, result.output


def test_xlsx_of_every_round_holds_every_comment(
    runner: FlaskCliRunner, matrix: Matrix, tmp_path: Path
) -> None:
    target = tmp_path / "matrix.xlsx"
    code, output = export(runner, "sample", "--format", "xlsx", "-o", str(target))
    assert code == 0, output
    assert f"Wrote {target}" in output
    book = load_workbook(target)
    assert book.sheetnames == ["About", "First expert meeting", "Second expert meeting"]
    first = list(book["First expert meeting"].iter_rows(values_only=True))
    assert list(first[0]) == HEADERS
    rows = {row[1]: row for row in first[1:]}
    assert set(rows) == {
        matrix.answered.tracking_number,
        matrix.formula.tracking_number,
        matrix.withdrawn.tracking_number,
    }
    answered = rows[matrix.answered.tracking_number]
    assert answered[3] == "Principle 1"
    assert answered[5] == "te (Substantive)"
    assert answered[6] == "Say who treats people with dignity."
    assert answered[7] == "Everyone at a border shall always be treated with dignity."
    assert answered[8:10] == ("Accepted", "Accepted as proposed.")
    assert answered[11:13] == (matrix.first.id, 1)
    formula = rows[matrix.formula.tracking_number]
    assert formula[3] == "Whole document"
    assert formula[6] == "'=HYPERLINK(1)"
    assert formula[12] == 0
    assert rows[matrix.withdrawn.tracking_number][6] == "[Withdrawn] Never mind this one."
    second = list(book["Second expert meeting"].iter_rows(values_only=True))
    assert [row[6] for row in second[1:]] == ["A comment of round two."]


def test_one_round_as_csv(runner: FlaskCliRunner, matrix: Matrix, tmp_path: Path) -> None:
    target = tmp_path / "round.csv"
    code, output = export(
        runner, "sample", "--round", str(matrix.second.id), "--format", "csv", "-o", str(target)
    )
    assert code == 0, output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["Round", *HEADERS]
    assert [(row[0], row[2], row[7]) for row in rows[1:]] == [
        ("Second expert meeting", matrix.later.tracking_number, "A comment of round two.")
    ]


def test_public_docx_leaves_out_withdrawn_and_secretariat_rounds(
    runner: FlaskCliRunner, matrix: Matrix, users: dict[str, User], tmp_path: Path
) -> None:
    target = tmp_path / "public.docx"
    code, output = export(runner, "sample", "--format", "docx", "--public", "-o", str(target))
    assert code == 0, output
    document = Document(str(target))
    assert len(document.tables) == 1  # the second round keeps its comments for the secretariat
    texts = [[cell.text for cell in row.cells] for row in document.tables[0].rows[1:]]
    tracking = {row[1] for row in texts}
    assert tracking == {matrix.answered.tracking_number, matrix.formula.tracking_number}
    answered = next(row for row in texts if row[1] == matrix.answered.tracking_number)
    assert answered[8:10] == ["", ""]  # the answer is not published yet
    assert answered[2] == "TN (NGO)"  # a named round: the organisation, never the person
    whole = "\n".join(p.text for p in document.paragraphs) + str(texts)
    for person in (users["stakeholder"], users["secretariat"]):
        assert person.name not in whole
        assert person.email not in whole


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "--format", "xlsx"], "nowhere: there is no such document"),
        (["sample", "--round", "999", "--format", "xlsx"], "sample has no round 999"),
    ],
)
def test_unknown_document_or_round_writes_nothing(
    runner: FlaskCliRunner, matrix: Matrix, tmp_path: Path, args: list[str], message: str
) -> None:
    target = tmp_path / "matrix.xlsx"
    code, output = export(runner, *args, "-o", str(target))
    assert code != 0
    assert message in output
    assert list(tmp_path.iterdir()) == []


def test_a_secretariat_round_has_no_public_file(
    runner: FlaskCliRunner, matrix: Matrix, tmp_path: Path
) -> None:
    target = tmp_path / "matrix.csv"
    args = ["sample", "--round", str(matrix.second.id), "--format", "csv", "--public"]
    code, output = export(runner, *args, "-o", str(target))
    assert code != 0
    assert "keeps its comments for the secretariat" in output
    assert list(tmp_path.iterdir()) == []


def test_a_round_of_another_document_is_unknown(
    runner: FlaskCliRunner, matrix: Matrix, tmp_path: Path
) -> None:
    other = factories.version(factories.SAMPLE_DRAFT.replace("sample", "other"), slug="other")
    elsewhere = factories.round_(other, title="Elsewhere")
    target = tmp_path / "matrix.csv"
    args = ["sample", "--round", str(elsewhere.id), "--format", "csv"]
    code, output = export(runner, *args, "-o", str(target))
    assert code != 0
    assert f"sample has no round {elsewhere.id}" in output
    assert not target.exists()


def test_format_is_required_and_checked(
    runner: FlaskCliRunner, matrix: Matrix, tmp_path: Path
) -> None:
    code, output = export(runner, "sample", "--format", "pdf", "-o", str(tmp_path / "m.pdf"))
    assert code == 2
    assert "'pdf' is not one of" in output
    assert list(tmp_path.iterdir()) == []


def test_the_file_runs_the_way_the_platform_s_language_is_written(
    app: Flask, runner: FlaskCliRunner, matrix: Matrix, tmp_path: Path
) -> None:
    """A script writes in the platform's language (BABEL_DEFAULT_LOCALE): Arabic, right to left."""
    app.config["BABEL_DEFAULT_LOCALE"] = "ar"  # put back by the app fixture
    refresh()  # forget the language the test's context has already looked up (English)
    target = tmp_path / "matrix.xlsx"
    code, output = export(runner, "sample", "--format", "xlsx", "-o", str(target))
    assert code == 0, output
    book = load_workbook(target)
    assert [sheet.sheet_view.rightToLeft for sheet in book.worksheets] == [True] * 3
    target = tmp_path / "matrix.docx"
    code, output = export(runner, "sample", "--format", "docx", "-o", str(target))
    assert code == 0, output
    document = Document(str(target))
    assert document.paragraphs[0].text == "مصفوفة التعليقات"  # "Comment matrix"
    assert [t._tbl.tblPr.find(qn("w:bidiVisual")) is not None for t in document.tables] == [
        True,
        True,
    ]
