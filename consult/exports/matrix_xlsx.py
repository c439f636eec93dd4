"""The comment matrix as an Excel workbook, written as it streams.

A first sheet ("About") says what the file holds: the document, its version,
the rounds, when it was made, the filters in force and whether it is the
public variant. Then one sheet per round, in the template's columns
(`consult.exports.cells.COLUMNS`), the last two hidden: the round's id and the
revision of the answer shown, which the answers upload reads back to match
rows and to notice answers changed on the platform since the download.

In a language written right to left (Arabic) every sheet runs right to left:
its first column on the right, as Excel shows an Arabic workbook. The texts
in the reader's language (title, labels, headers) are then set right to left
too, and numbers right-aligned; the comments, in any language, keep Excel's
reading order by content, so that an English comment still reads left to right.

XlsxWriter runs in constant_memory mode: each row goes to a temporary file as
soon as the next one starts, so twenty thousand comments cost no more memory
than twenty. Every cell is written as a string or a number on purpose, never
with `write()`, which would turn a comment beginning with "=" into a formula.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, BinaryIO

import xlsxwriter
from flask_babel import gettext as _
from xlsxwriter.worksheet import Worksheet

from consult import labels
from consult.domain.diff import Ops
from consult.exports import cells
from consult.exports.about import about_lines
from consult.exports.cells import COLUMNS, EXCEL_CELL_LIMIT
from consult.services.matrix.model import MatrixMeta, MatrixRow, RoundSheet

#: The longest sheet name Excel takes, in UTF-16 code units.
SHEET_NAME_LIMIT = 31
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_INSERT_COLOUR = "#1A7F37"
_DELETE_COLOUR = "#B3261E"


class _Formats:
    """The workbook's cell and font formats, made once."""

    def __init__(self, book: xlsxwriter.Workbook, rtl: bool = False) -> None:
        cell = {"text_wrap": True, "valign": "top"}
        # The reader's own words: right to left in a right-to-left language
        # (reading order 2), whatever character they start with.
        said: dict[str, Any] = {"reading_order": 2} if rtl else {}
        self.cell = book.add_format(cell)
        self.number = book.add_format({**cell, "align": "right" if rtl else "left"})
        self.header = book.add_format(
            {**cell, **said, "bold": True, "bg_color": "#E7E9EE", "bottom": 1}
        )
        self.title = book.add_format({**said, "bold": True, "font_size": 14})
        self.label = book.add_format({**cell, **said, "bold": True})
        # Fonts of the fragments of a rich string, and whole cells of one fragment.
        self.fonts = {
            "insert": book.add_format({"underline": 1, "font_color": _INSERT_COLOUR}),
            "delete": book.add_format({"font_strikeout": True, "font_color": _DELETE_COLOUR}),
        }
        self.whole = {
            "equal": self.cell,
            "insert": book.add_format({**cell, "underline": 1, "font_color": _INSERT_COLOUR}),
            "delete": book.add_format(
                {**cell, "font_strikeout": True, "font_color": _DELETE_COLOUR}
            ),
        }


def sheet_names(titles: Sequence[str], taken: Sequence[str] = ()) -> list[str]:
    """Return a valid, unique sheet name for each round title, in order.

    Excel refuses names longer than 31 characters, with any of []:*?/\\, that
    begin or end with an apostrophe, or that repeat another sheet's name
    (case ignored); "History" is reserved.
    """
    used = {name.casefold() for name in taken} | {"history"}
    names = []
    for title in titles:
        base = " ".join(_SHEET_NAME_BAD.sub(" ", cells.clean(title)).split()).strip("'").strip()
        base = base or _("Round")
        name = cells.excel_prefix(base, SHEET_NAME_LIMIT).rstrip().rstrip("'")
        n = 1
        while name.casefold() in used:
            n += 1
            suffix = f" ({n})"
            start = cells.excel_prefix(base, SHEET_NAME_LIMIT - len(suffix)).rstrip("' ")
            name = start + suffix
        used.add(name.casefold())
        names.append(name)
    return names


def write_xlsx(
    meta: MatrixMeta, sheets: list[RoundSheet], out: BinaryIO, *, direction: str = "ltr"
) -> None:
    """Write the matrix as an XLSX workbook to `out`: an "About" sheet, then one sheet per round.

    Each round's rows are read once, as they come. `direction` is the reader's
    language's ("ltr" or "rtl"): "rtl" lays every sheet out right to left.
    """
    book = xlsxwriter.Workbook(
        out, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    rtl = direction == "rtl"
    formats = _Formats(book, rtl)
    texts = cells.RowTexts()
    about = book.add_worksheet(sheet_names([_("About")])[0])
    if rtl:
        about.right_to_left()
    next_about_row = _write_about(about, meta, formats)
    counts: list[tuple[str, int]] = []
    names = sheet_names([sheet.round_title for sheet in sheets], taken=[about.name])
    for sheet, name in zip(sheets, names, strict=True):
        worksheet = book.add_worksheet(name)
        if rtl:
            worksheet.right_to_left()
        counts.append((sheet.round_title, _write_round(worksheet, sheet, meta, formats, texts)))
    _write_counts(about, next_about_row, counts, formats)
    book.close()


def _write_about(about: Worksheet, meta: MatrixMeta, formats: _Formats) -> int:
    """Write what the file holds; return the next free row."""
    about.set_column(0, 0, 24)
    about.set_column(1, 1, 90)
    about.write_string(0, 0, cells.sheet_cell(_("Comment matrix")), formats.title)
    lines = about_lines(meta)
    if not meta.public:
        lines.append(
            (
                _("Answering offline"),
                _(
                    "Fill in the Disposition and Observations columns and upload the file on "
                    "the matrix page; leave the tracking numbers and the hidden columns as "
                    "they are."
                ),
            )
        )
    row = 2
    for label, value in lines:
        about.write_string(row, 0, cells.sheet_cell(label), formats.label)
        about.write_string(row, 1, cells.sheet_cell(value), formats.cell)
        row += 1
    return row


def _write_counts(
    about: Worksheet, row: int, counts: list[tuple[str, int]], formats: _Formats
) -> None:
    """Write how many comments each round's sheet holds, once they are all written."""
    for title, count in counts:
        about.write_string(
            row, 0, cells.sheet_cell(_("Comments: %(round)s", round=title)), formats.label
        )
        about.write_number(row, 1, count, formats.number)
        row += 1


def _write_round(
    worksheet: Worksheet,
    sheet: RoundSheet,
    meta: MatrixMeta,
    formats: _Formats,
    texts: cells.RowTexts,
) -> int:
    """Write a round's header row and rows; return how many rows it has."""
    worksheet.set_landscape()
    worksheet.set_paper(9)  # A4
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(0)
    for index, column in enumerate(COLUMNS):
        options = {"hidden": True} if column.hidden else None
        worksheet.set_column(index, index, column.width, formats.cell, options)
        worksheet.write_string(0, index, cells.sheet_cell(str(column.label)), formats.header)
    worksheet.freeze_panes(1, 0)
    count = 0
    for row in sheet.rows:
        count += 1
        _write_row(worksheet, count, texts.values(row), row, formats)
    last_column = len(COLUMNS) - 1
    worksheet.autofilter(0, 0, max(count, 1), last_column)
    if count and not meta.public:
        _offer_dispositions(worksheet, count)
    return count


def _write_row(
    worksheet: Worksheet,
    at: int,
    values: dict[str, cells.CellValue],
    row: MatrixRow,
    formats: _Formats,
) -> None:
    for index, column in enumerate(COLUMNS):
        value = values[column.key]
        following = row.next_version
        if column.key == "proposed" and row.proposed_diff and row.proposed is not None:
            _write_diff(worksheet, at, index, row.proposed_diff, row.proposed, formats)
        elif column.key == "next" and following and following.excerpt and isinstance(value, str):
            # What became of the clause, then its diff around the changes.
            said: Ops = (("equal", value + "\n"),)
            _write_diff(worksheet, at, index, said + following.excerpt, value, formats)
        elif isinstance(value, int):
            worksheet.write_number(at, index, value, formats.number)
        elif value:
            worksheet.write_string(at, index, cells.sheet_cell(value), formats.cell)
        # An empty cell is not written: it takes its column's format (wrapped text).


def _write_diff(
    worksheet: Worksheet,
    at: int,
    index: int,
    ops: Ops,
    fallback: str,
    formats: _Formats,
) -> None:
    """Write a word diff as a rich string: insertions underlined, deletions struck through.

    A diff longer than a cell can hold is written as `fallback`, plain (and cut).
    """
    pieces: list[tuple[str, str]] = []
    for op, raw in ops:
        text = cells.clean(raw)
        if not text:
            continue
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + text)
        else:
            pieces.append((op, text))
    whole = "".join(text for _kind, text in pieces)
    if not pieces or cells.excel_length(whole) + 1 > EXCEL_CELL_LIMIT:
        worksheet.write_string(at, index, cells.sheet_cell(fallback), formats.cell)
        return
    if cells.needs_quote(whole):
        pieces.insert(0, ("equal", "'"))
    if len(pieces) == 1:
        only_kind, only_text = pieces[0]
        worksheet.write_string(at, index, only_text, formats.whole[only_kind])
        return
    tokens: list[Any] = []
    for kind, piece in pieces:
        if kind != "equal":
            tokens.append(formats.fonts[kind])
        tokens.append(piece)
    tokens.append(formats.cell)
    worksheet.write_rich_string(at, index, *tokens)


def _offer_dispositions(worksheet: Worksheet, count: int) -> None:
    """Offer the dispositions' labels as a drop-down list in the Disposition column.

    Only a warning for another value: the upload also takes codes, and says
    which rows it cannot read.
    """
    choices = list(labels.translated(labels.DISPOSITIONS).values())
    if any("," in choice for choice in choices) or len(",".join(choices)) > 250:
        return  # Excel's list of choices is comma-separated and short
    column = next(i for i, c in enumerate(COLUMNS) if c.key == "disposition")
    worksheet.data_validation(
        1,
        column,
        count,
        column,
        {
            "validate": "list",
            "source": choices,
            "ignore_blank": True,
            "error_type": "warning",
            "error_title": _("Unknown disposition"),
            "error_message": _("Choose one of the dispositions in the list."),
        },
    )
