"""Reading a filled-in matrix file: the rows of every sheet, found by their header texts.

The workbook is checked before it is opened (size, kind, zip bomb), read with
openpyxl in read-only mode, and each sheet's header row is looked for in its
first rows, by the texts the matrix export writes (in English or the reader's
language). Nothing here touches the database; `answer_upload` compares the
rows with the stored answers.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from openpyxl import load_workbook

from consult.domain.text_clean import clean_text
from consult.exports import cells
from consult.services.comment_import.files import XLSX, FileRefused, file_kind, size_text

#: The largest file accepted, unless the configuration (ANSWER_UPLOAD_MAX_BYTES) says otherwise.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: Rows read from a file, in all its sheets.
MAX_ROWS = 60_000
#: How far down a sheet its header row may be.
HEADER_ROWS = 10
# The columns a sheet needs for its rows to be matched and checked.
_NEEDED = ("tracking", "round_id", "revision", "disposition", "observations")


@dataclass(frozen=True)
class FileRow:
    sheet: str
    row: int
    tracking_number: str
    round_id: str
    revision: str
    disposition: str
    observations: str


def max_bytes() -> int:
    """Return the size limit of an uploaded matrix file, in bytes."""
    return int(current_app.config.get("ANSWER_UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value)).strip()


def _header(values: tuple[Any, ...]) -> dict[str, int] | None:
    """Return the position of each known column if `values` is the matrix's header row."""
    positions: dict[str, int] = {}
    for position, value in enumerate(values):
        column = cells.column_for_header(value) if isinstance(value, str) else None
        if column is not None and column.key not in positions:
            positions[column.key] = position
    return positions if "tracking" in positions and "disposition" in positions else None


class _Reader:
    """Reads the rows under the matrix's header, sheet after sheet, within the row limit."""

    def __init__(self) -> None:
        self.budget = MAX_ROWS
        self.recognised = False  # a sheet had the header

    def rows(self, sheet: Any) -> Iterator[FileRow]:
        """Yield the rows under the sheet's header; nothing for a sheet without it."""
        positions: dict[str, int] | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if positions is None:
                if number > HEADER_ROWS:
                    return
                positions = _header(values)
                if positions is not None:
                    missing = [key for key in _NEEDED if key not in positions]
                    if missing:
                        raise FileRefused(_missing_columns_message(str(sheet.title), missing))
                    self.recognised = True
                continue
            self.budget -= 1
            if self.budget < 0:
                raise FileRefused(
                    _(
                        "The file has more than %(limit)s rows: upload the matrix of fewer rounds.",
                        limit=format_number(MAX_ROWS),
                    )
                )
            found = {
                key: _text(values[position]) if position < len(values) else ""
                for key, position in positions.items()
            }
            if not any(found.get(key) for key in ("tracking", "disposition", "observations")):
                continue  # an empty row
            yield FileRow(
                str(sheet.title),
                number,
                found["tracking"],
                found["round_id"],
                found["revision"],
                found["disposition"],
                found["observations"],
            )


def _missing_columns_message(sheet: str, missing: list[str]) -> str:
    headers = {column.key: str(column.label) for column in cells.COLUMNS}
    return str(
        _(
            "The sheet “%(sheet)s” lacks the columns %(columns)s. Upload the matrix as it was "
            "downloaded, with its hidden columns; only change the Disposition and Observations "
            "columns.",
            sheet=sheet,
            columns=", ".join(f"“{headers[key]}”" for key in missing),
        )
    )


def read_answers(content: bytes) -> list[FileRow]:
    """Return the rows of every sheet of an uploaded matrix that has the matrix's header.

    Raises FileRefused for a file that is too large, not an XLSX workbook,
    damaged, a zip bomb, or without a sheet with the header.
    """
    limit = max_bytes()
    if len(content) > limit:
        raise FileRefused(
            _(
                "The file is %(size)s; a matrix file may be at most %(limit)s.",
                size=size_text(len(content)),
                limit=size_text(limit),
            )
        )
    if file_kind(content, limit) != XLSX:
        raise FileRefused(
            _(
                "This is a Word document. Upload the matrix as an Excel workbook (.xlsx), as "
                "downloaded from the matrix page."
            )
        )
    rows: list[FileRow] = []
    reader = _Reader()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of what it does not read
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                for sheet in workbook.worksheets:
                    rows.extend(reader.rows(sheet))
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
    if not reader.recognised:
        raise FileRefused(
            _(
                "No sheet of this file has the matrix's header row (“Tracking no.”, "
                "“Disposition”, “Observations of the secretariat”, ...). Upload the matrix "
                "as downloaded from the matrix page."
            )
        )
    return rows
