"""The commenting template's columns, types and rows, on plain data (no app, no file)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consult.domain.comment_template import (
    GridRow,
    comment_type,
    find_columns,
    header_field,
    normalise_header,
    read_rows,
)

ISO = [
    "MB/NC1",
    "Line number\n(e.g. 17)",
    "Clause/ Subclause\n(e.g. 3.1)",
    "Paragraph/ Figure/ Table/\n(e.g. Table 1)",
    "Type of comment2",
    "Comments",
    "Proposed change",
    "Observations of the secretariat",
]


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("MB/NC", "member"),
        ("MB/NC¹", "member"),
        ("MB", "member"),
        ("Member body", "member"),
        ("Clause/Subclause", "clause"),
        ("Clause/Subclause/Annex/Figure/Table", "clause"),
        ("Clause No.", "clause"),
        ("Paragraph/Figure/Table", "paragraph"),
        ("Paragraph/List item/Note", "paragraph"),
        ("Type of comment", "type"),
        ("Type", "type"),
        ("Comments", "comment"),
        ("Comment (justification for change)", "comment"),
        ("Comment", "comment"),
        ("Proposed change", "proposed"),
        ("Observations of the secretariat", "observations"),
        ("Secretariat observations on each comment submitted", "observations"),
        ("Line number", "line"),
        ("Line number (e.g. 17)", "line"),
        ("  COMMENTS  ", "comment"),
        ("No.", None),
        ("Tracking no.", None),
        ("Disposition", None),
        ("", None),
    ],
)
def test_header_cells_are_recognised_by_their_words(header: str, name: str | None) -> None:
    assert header_field(header) == name


def test_examples_and_footnote_marks_are_left_out_of_a_header() -> None:
    assert normalise_header("Clause/ Subclause\n(e.g. 3.1)") == "clause/subclause"
    assert normalise_header("Paragraph/ Figure/ Table/\n(e.g. Table 1)") == "paragraph/figure/table"
    assert normalise_header("Type of comment2") == "type of comment"


def test_the_iso_header_gives_every_column() -> None:
    assert find_columns(ISO) == {
        "member": 0,
        "line": 1,
        "clause": 2,
        "paragraph": 3,
        "type": 4,
        "comment": 5,
        "proposed": 6,
        "observations": 7,
    }


@given(st.permutations(ISO))
def test_columns_are_found_in_any_order(order: list[str]) -> None:
    columns = find_columns(order)
    assert columns is not None
    for name, position in columns.items():
        assert header_field(order[position]) == name
    assert len(columns) == len(ISO)


@pytest.mark.parametrize(
    "cells",
    [
        ["Date", "Document", "Project"],
        ["Comments", "Observations of the secretariat"],  # the comment column and one other only
        ["MB/NC", "Clause/Subclause", "Type of comment", "Proposed change"],  # no comment column
        ["Comment", "Comment", "Comment"],
    ],
)
def test_a_row_without_the_template_header_is_not_a_header(cells: list[str]) -> None:
    assert find_columns(cells) is None


def test_a_column_named_twice_is_taken_where_it_is_first() -> None:
    columns = find_columns(["Comments", "MB", "Clause", "Comments"])
    assert columns == {"comment": 0, "member": 1, "clause": 2}


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("ge", "general"),
        ("Ge", "general"),
        ("GE.", "general"),
        ("general", "general"),
        ("te", "substantive"),
        ("Te", "substantive"),
        (" technical ", "substantive"),
        ("substantive", "substantive"),
        ("ed", "editorial"),
        ("Ed.", "editorial"),
        ("editorial", "editorial"),
        ("Rédactionnel", "editorial"),
        ("", None),
        ("te/ed", None),
        ("major", None),
        ("x", None),
    ],
)
def test_types_are_read_as_our_codes(written: str, code: str | None) -> None:
    assert comment_type(written) == code


def grid(*rows: list[str | None]) -> list[GridRow]:
    return [GridRow(number, cells) for number, cells in enumerate(rows, start=1)]


HEADER: list[str | None] = [
    "MB/NC",
    "Clause/Subclause",
    "Type of comment",
    "Comments",
    "Proposed change",
]


def test_rows_under_the_header_are_read_by_column() -> None:
    rows, columns = read_rows(
        1,
        "",
        grid(
            ["Comments on the draft", "", "", "", ""],
            HEADER,
            ["DE", "3.1", "te", "Too vague.\r\n\r\n\r\nReally.", "Say more."],
            ["", "", "", "", ""],
            ["DE", "General", "ge", "Fine.", ""],
        ),
    )
    assert columns == {"member": 0, "clause": 1, "type": 2, "comment": 3, "proposed": 4}
    assert [(r.row, r.get("clause"), r.get("comment")) for r in rows] == [
        (3, "3.1", "Too vague.\n\nReally."),
        (5, "General", "Fine."),
    ]
    assert rows[0].get("paragraph") == ""  # no such column in this table


def test_a_table_without_a_header_gives_nothing() -> None:
    rows, columns = read_rows(1, "", grid(["Date", "2026-03-12"], ["Document", "Draft"]))
    assert (rows, columns) == ([], None)


def test_a_header_repeated_on_the_next_page_is_skipped() -> None:
    rows, _ = read_rows(
        1,
        "",
        grid(HEADER, ["DE", "1", "ed", "One.", ""], HEADER, ["DE", "2", "ed", "Two.", ""]),
    )
    assert [r.get("comment") for r in rows] == ["One.", "Two."]


def test_a_cell_merged_down_gives_its_clause_but_not_its_comment() -> None:
    rows, _ = read_rows(
        1,
        "",
        grid(HEADER, ["DE", "4", "te", "First.", ""], [None, None, "ed", "Second.", None]),
    )
    assert [(r.get("member"), r.get("clause"), r.get("type"), r.get("comment")) for r in rows] == [
        ("DE", "4", "te", "First."),
        ("DE", "4", "ed", "Second."),
    ]


def test_a_row_with_text_only_continues_the_row_above() -> None:
    rows, _ = read_rows(
        1,
        "",
        grid(
            HEADER,
            ["DE", "4", "te", "The start of a long", "Replace"],
            ["", "", "", "comment, over a page.", "the clause."],
            ["DE", "5", "ed", "Next.", ""],
        ),
    )
    assert [r.get("comment") for r in rows] == [
        "The start of a long\ncomment, over a page.",
        "Next.",
    ]
    assert rows[0].get("proposed") == "Replace\nthe clause."
    assert rows[0].continued == (3,)


def test_a_table_continuing_another_is_read_with_its_columns() -> None:
    _, columns = read_rows(1, "", grid(HEADER, ["DE", "1", "ed", "One.", ""]))
    rows, again = read_rows(2, "", grid(["DE", "2", "ed", "Two.", ""]), columns)
    assert again == columns
    assert [(r.table, r.row, r.get("comment")) for r in rows] == [(2, 1, "Two.")]


def test_columns_held_as_numbers_are_noted() -> None:
    rows, _ = read_rows(
        1, "Sheet1", grid(HEADER, ["DE", "3.1", "te", "Numeric.", ""]), numeric={2: frozenset({1})}
    )
    assert rows[0].numeric == frozenset({"clause"})
    assert rows[0].sheet == "Sheet1"
