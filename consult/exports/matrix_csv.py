"""The comment matrix as one CSV file, for any tool that reads tables.

UTF-8 with a byte-order mark, so that Excel opens accents and non-Latin
scripts correctly; one header row; the rounds one after the other, each row
naming its round in a first column. Cells that a spreadsheet would run as a
formula are neutralised as in the XLSX file. The text is never cut: only
Excel's own cells have a length limit. A CSV file has no layout, so it is the
same whichever way the reader's language is written.
"""

from __future__ import annotations

import csv
import io
from typing import BinaryIO

from consult.exports import cells
from consult.exports.cells import COLUMNS, ROUND_COLUMN
from consult.services.matrix.model import MatrixMeta, RoundSheet


def write_csv(
    meta: MatrixMeta, sheets: list[RoundSheet], out: BinaryIO, *, direction: str = "ltr"
) -> None:
    """Write the matrix's rows of every round to `out` as CSV (UTF-8 with a BOM).

    `direction` changes nothing: a CSV file has no layout.
    """
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        texts = cells.RowTexts()
        writer.writerow(
            [cells.neutralise(str(ROUND_COLUMN))]
            + [cells.neutralise(str(column.label)) for column in COLUMNS]
        )
        for sheet in sheets:
            round_title = cells.neutralise(cells.clean(sheet.round_title))
            for row in sheet.rows:
                values = texts.values(row)
                writer.writerow(
                    [round_title]
                    + [
                        value if isinstance(value, int) else cells.neutralise(cells.clean(value))
                        for value in (values[column.key] for column in COLUMNS)
                    ]
                )
        text.flush()
    finally:
        text.detach()  # leave `out` open for the caller
