"""The matrix's cells as text, the same in every file format.

Every writer (XLSX, CSV, DOCX) takes its columns and the words of each cell
from here: the header texts (which the Excel round trip reads back), the
comment type as the template writes it ("te (Substantive)"), the disposition's
label, what became of the clause in the next version. Two protections live
here too, for the formats a spreadsheet opens:

- formula injection: a cell whose text begins with =, +, -, @, a tab, a
  carriage return or a line feed is prefixed with a single quote, so that a
  spreadsheet never runs it (and only such cells, so that "Accepted" stays as
  it is);
- Excel's limit of 32,767 characters per cell: a longer text is cut, and the
  cut says so in the cell itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from consult import labels
from consult.plurals import ngettext
from consult.services.matrix.model import MatrixRow, NextVersion

#: What a spreadsheet reads as the start of a formula (or of a DDE payload).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n")
#: The most characters Excel keeps in one cell.
EXCEL_CELL_LIMIT = 32_767

# Characters XML 1.0 cannot carry (XLSX and DOCX are XML): C0 controls other
# than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Column:
    """A column of the matrix's files."""

    key: str
    header: str  # the English header, which the upload always recognises
    label: LazyString  # the header as written, in the reader's language
    width: float  # in characters, for the spreadsheet
    hidden: bool = False  # kept for the round trip, not shown


#: The commenting template's columns widened with Consult's, in order; the
#: last two are hidden in the spreadsheet and read back by the answers upload.
COLUMNS: tuple[Column, ...] = (
    *(
        Column(key, header, labels.MATRIX_COLUMNS[key], width)
        for key, header, width in (
            ("number", "No.", 6),
            ("tracking", "Tracking no.", 13),
            ("member", "MB/NC", 14),
            ("clause", "Clause/Subclause", 14),
            ("paragraph", "Paragraph/Figure/Table", 14),
            ("type", "Type of comment", 15),
            ("comment", "Comments", 55),
            ("proposed", "Proposed change", 55),
            ("disposition", "Disposition", 18),
            ("observations", "Observations of the secretariat", 50),
            ("next", "In the next version", 28),
        )
    ),
    Column("round_id", "Round id", _l("Round id"), 9, hidden=True),
    Column("revision", "Answer revision", _l("Answer revision"), 9, hidden=True),
)
#: The header of the column the CSV file adds in front: the round's title.
ROUND_COLUMN = _l("Round")

CellValue = str | int

# What became of a clause, said of an old clause in the next version.
_NEXT_STATUS: dict[str, LazyString] = {
    "unchanged": _l("Unchanged in version %(number)s"),
    "changed": _l("Changed in version %(number)s"),
    "moved": _l("Moved in version %(number)s"),
    "renumbered": _l("Renumbered in version %(number)s"),
    "split": _l("Split in version %(number)s"),
    "merged": _l("Merged in version %(number)s"),
    "added": _l("Added in version %(number)s"),
    "removed": _l("Removed in version %(number)s"),
}
_WITHDRAWN = _l("[Withdrawn] %(text)s")


def clean(text: str) -> str:
    """Return `text` without the characters an XML file cannot hold."""
    return _NOT_XML.sub("", text)


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula."""
    return text.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Return `text` with a single quote in front if a spreadsheet could run it as a formula."""
    return "'" + text if needs_quote(text) else text


def cut_note(length: int) -> str:
    """Return the note that ends a cut cell, naming the full text's length."""
    count = format_decimal(length, locale=get_locale() or "en")
    return str(
        ngettext(
            "[cut: the full text is %(count)s character; see the platform]",
            "[cut: the full text is %(count)s characters; see the platform]",
            length,
            count=count,
        )
    )


def excel_length(text: str) -> int:
    """Return the length of `text` as Excel counts it: in UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def excel_prefix(text: str, limit: int) -> str:
    """Return the longest start of `text` of at most `limit` UTF-16 code units."""
    cut = text[:limit]
    while (excess := excel_length(cut) - limit) > 0:
        cut = cut[:-excess]  # each character removed is at least one unit
    return cut


def fit(text: str, limit: int = EXCEL_CELL_LIMIT) -> str:
    """Return `text`, or if it is longer than `limit` its start followed by the cut note.

    Lengths are counted as Excel counts them (UTF-16 code units); the note
    names the full text's length in characters.
    """
    if len(text) * 2 <= limit or excel_length(text) <= limit:
        return text  # no character counts for more than two units
    note = " … " + cut_note(len(text))
    return excel_prefix(text, limit - excel_length(note)) + note


def sheet_cell(text: str) -> str:
    """Return `text` as a spreadsheet cell holds it: clean, neutralised, within Excel's limit."""
    return fit(neutralise(clean(text)))


def type_text(row: MatrixRow) -> str:
    """Return the comment's type as the template writes it and as we name it: "te (Substantive)"."""
    return f"{row.template_type} ({labels.label(labels.COMMENT_TYPES, row.type)})"


def disposition_text(code: str | None) -> str:
    """Return a disposition's label, or "" for none."""
    return labels.label(labels.DISPOSITIONS, code) if code else ""


def next_version_text(next_version: NextVersion | None) -> str:
    """Return what became of the clause: "Changed in version 3 (now 4.2)", "" if no version yet."""
    if next_version is None:
        return ""
    status = next_version.status
    message = _NEXT_STATUS.get(status)
    number = next_version.number
    if message is None:
        said = str(
            _(
                "%(status)s in version %(number)s",
                status=labels.label(labels.COMPARISON_STATUSES, status),
                number=number,
            )
        )
    else:
        said = str(message) % {"number": number}
    if next_version.citation and status not in {"unchanged", "removed"}:
        said += " " + str(_("(now %(citation)s)", citation=next_version.citation))
    return said


def answer_revision(row: MatrixRow) -> int:
    """Return the revision of the answer the file shows, 0 when it shows none.

    The upload compares it with the stored revision to find answers changed on
    the platform since the download. A file that shows no answer (none yet, or
    one its reader may not see) carries 0, so that it never tells that a hidden
    answer exists.
    """
    if row.disposition is None or row.response_revision is None:
        return 0
    return row.response_revision


class RowTexts:
    """The words of each row's cells, with the labels translated once for a whole file.

    An export of twenty thousand rows would otherwise ask for the same few
    translations hundreds of thousands of times.
    """

    def __init__(self) -> None:
        self._types: dict[tuple[str, str], str] = {}
        self._dispositions = labels.translated(labels.DISPOSITIONS)
        self._next: dict[tuple[str, int, str], str] = {}
        self._withdrawn = str(_WITHDRAWN)

    def values(self, row: MatrixRow) -> dict[str, CellValue]:
        """Return the row's value for each column key, as text or numbers (not neutralised)."""
        kind = (row.template_type, row.type)
        type_said = self._types.get(kind)
        if type_said is None:
            type_said = self._types[kind] = type_text(row)
        following = ""
        if row.next_version is not None:
            fate = row.next_version
            key = (fate.status, fate.number, fate.citation)
            following = self._next.get(key) or self._next.setdefault(key, next_version_text(fate))
        return {
            "number": row.number,
            "tracking": row.tracking_number,
            "member": row.member,
            "clause": row.clause,
            "paragraph": row.paragraph,
            "type": type_said,
            "comment": self._withdrawn % {"text": row.body} if row.withdrawn else row.body,
            "proposed": row.proposed or "",
            "disposition": self._dispositions.get(row.disposition or "", row.disposition or ""),
            "observations": row.observations,
            "next": following,
            "round_id": row.round_id,
            "revision": answer_revision(row),
        }


def row_values(row: MatrixRow) -> dict[str, CellValue]:
    """Return one row's value for each column key (writers of many rows use `RowTexts`)."""
    return RowTexts().values(row)


def normalise_header(text: str) -> str:
    """Return a header cell's text as compared: case, spaces and a trailing colon ignored."""
    return " ".join(text.split()).rstrip(":").strip().casefold()


def column_for_header(text: str) -> Column | None:
    """Return the column whose header `text` is, in English or the reader's language."""
    wanted = normalise_header(text)
    for column in COLUMNS:
        if wanted in {normalise_header(column.header), normalise_header(str(column.label))}:
            return column
    return None
