"""The matrix's file formats: which writer makes each, and how it is sent.

The command line and the download route both pick a format here by its
name ("xlsx", "csv", "docx"), and say which way the interface's language is
written ("ltr" or "rtl", `consult.languages.direction_of`): the files are in
the language of whoever makes them, and in Arabic they run right to left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, Protocol

from consult.exports.matrix_csv import write_csv
from consult.exports.matrix_docx import write_docx
from consult.exports.matrix_xlsx import write_xlsx
from consult.services.matrix.model import MatrixMeta, RoundSheet


class Writer(Protocol):
    """Writes the matrix to `out`, laid out in `direction` ("ltr" or "rtl")."""

    def __call__(
        self, meta: MatrixMeta, sheets: list[RoundSheet], out: BinaryIO, *, direction: str
    ) -> None: ...


@dataclass(frozen=True)
class MatrixFormat:
    """A file format of the matrix."""

    name: str  # also the file name's extension
    media_type: str
    write: Writer


FORMATS: dict[str, MatrixFormat] = {
    "xlsx": MatrixFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        write_xlsx,
    ),
    "csv": MatrixFormat("csv", "text/csv; charset=utf-8", write_csv),
    "docx": MatrixFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        write_docx,
    ),
}


def file_name(slug: str, round_numbers: list[int], fmt: str, public: bool = False) -> str:
    """Return a file name for the matrix: "sample-matrix-round-2.xlsx", "sample-matrix.csv".

    `round_numbers` are the rounds the file holds when it is limited to some.
    """
    name = f"{slug}-matrix"
    if round_numbers:
        name += "-round-" + "-".join(str(n) for n in round_numbers)
    if public:
        name += "-public"
    return f"{name}.{fmt}"
