"""Reading the commenting template out of an Excel workbook (.xlsx).

openpyxl opens the workbook read-only, with the values last calculated
(a formula's result, never its text). Every sheet whose first rows hold the
template's header is read. A cell merged over several rows gives each of
them its clause, type or member body; a merged cell's text is read once.
Numbers are written back as people typed them ("5", "3.1"), and the row
notes that its clause was a number (Excel turns "3.10" into 3.1).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from xml.etree import ElementTree

from flask_babel import format_number
from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from consult.domain.comment_template import GridRow, TemplateRow, read_rows
from consult.services.comment_import.files import FileRefused, no_header_message

#: Columns read from each sheet; the template has eight.
MAX_COLUMNS = 40
#: Rows read from each sheet.
MAX_ROWS = 10_000
#: A sheet ends after this many empty rows in a row.
EMPTY_RUN = 500

_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _merged_below(sheet: Any) -> set[tuple[int, int]]:
    """Return (row, column) of every cell that continues a cell merged over several rows.

    A read-only sheet does not expose its merged cells: they are read from the
    sheet's XML (only the <mergeCell> elements are kept while parsing).
    """
    below: set[tuple[int, int]] = set()
    get_source = getattr(sheet, "_get_source", None)
    if get_source is None:
        return below
    with get_source() as source:
        for _event, element in ElementTree.iterparse(source):
            if element.tag != _MERGE_CELL:
                if element.tag.endswith("}row"):
                    element.clear()  # rows are read by openpyxl; keep memory flat
                continue
            reference = element.get("ref") or ""
            try:
                min_col, min_row, max_col, max_row = range_boundaries(reference)
            except (TypeError, ValueError):
                continue
            if None in (min_col, min_row, max_col, max_row) or max_row == min_row:
                continue
            for row in range(min_row + 1, max_row + 1):
                for column in range(min_col, max_col + 1):
                    below.add((row, column))
    return below


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    empty = 0
    for number, values in enumerate(
        sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1
    ):
        if number > MAX_ROWS:
            raise FileRefused(
                _(
                    "The sheet “%(sheet)s” has more than %(limit)s rows; split the comments "
                    "over several files.",
                    sheet=sheet.title,
                    limit=format_number(MAX_ROWS),
                )
            )
        if all(value is None or value == "" for value in values):
            empty += 1
            if empty >= EMPTY_RUN:
                return
            continue
        empty = 0
        yield number, list(values)


def _read_sheet(position: int, sheet: Any) -> tuple[list[TemplateRow], bool]:
    below = _merged_below(sheet)
    grid: list[GridRow] = []
    numeric: dict[int, frozenset[int]] = {}
    for number, values in _sheet_rows(sheet):
        cells: list[str | None] = [
            None if (number, column) in below else _text(value)
            for column, value in enumerate(values, start=1)
        ]
        grid.append(GridRow(number, cells))
        numeric[number] = frozenset(
            column
            for column, value in enumerate(values)
            if isinstance(value, int | float) and not isinstance(value, bool)
        )
    rows, columns = read_rows(position, str(sheet.title), grid, numeric=numeric)
    return rows, columns is not None


def read_xlsx(content: bytes) -> list[TemplateRow]:
    """Return the comments of every sheet with the commenting template's header.

    Raises FileRefused when the workbook cannot be read or no sheet has the header.
    """
    rows: list[TemplateRow] = []
    recognised = False
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it does not read (data validation, styles).
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                for position, sheet in enumerate(workbook.worksheets, start=1):
                    found, has_header = _read_sheet(position, sheet)
                    recognised = recognised or has_header
                    rows.extend(found)
            finally:
                workbook.close()
    except FileRefused:
        raise
    except Exception as err:  # openpyxl and lxml raise many kinds on a damaged file
        raise FileRefused(
            _(
                "The Excel workbook could not be read: it may be damaged. Open it in Excel, "
                "save it again and upload it."
            )
        ) from err
    if not recognised:
        raise FileRefused(no_header_message())
    return rows
