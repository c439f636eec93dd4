"""Checking an uploaded file before any library opens it: size, kind, and zip bombs.

A .docx and an .xlsx are zip archives. Before python-docx or openpyxl read
one, the archive's directory is checked with `zipfile`: the sizes it declares
once uncompressed, their total, the compression ratio of each member and the
number of members. Both libraries read members through `zipfile`, which stops
at the declared size, so a file that passes cannot unpack into more than the
limits below.
"""

from __future__ import annotations

import io
import zipfile

from flask import current_app
from flask_babel import gettext as _

from consult.services.errors import ServiceError

#: The largest file accepted, unless the configuration (COMMENT_IMPORT_MAX_BYTES) says otherwise.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: What the archive may unpack into, in all.
MAX_UNCOMPRESSED = 50 * 1024 * 1024
#: How many times a large member may be bigger than its compressed form.
MAX_RATIO = 100
#: Members smaller than this are not held to the ratio (short XML parts compress very well).
RATIO_FLOOR = 1024 * 1024
#: How many members the archive may have.
MAX_MEMBERS = 2000

DOCX = "docx"
XLSX = "xlsx"

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE = b"PK\x03\x04"


class FileRefused(ServiceError):
    """A file that cannot be imported at all; nothing was stored."""


def max_bytes() -> int:
    """Return the size limit of an uploaded commenting template, in bytes."""
    return int(current_app.config.get("COMMENT_IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def size_text(size: int) -> str:
    """Return a size as people read it ("10 MB", "12.5 MB", "36 KB")."""
    megabytes = size / (1024 * 1024)
    if megabytes < 1:
        return f"{-(-size // 1024)} KB"
    if megabytes >= 10 or megabytes.is_integer():
        return f"{megabytes:.0f} MB"
    return f"{megabytes:.1f} MB"


def _refuse_container(content: bytes) -> None:
    if content.startswith(_OLE_SIGNATURE):
        raise FileRefused(
            _(
                "This is an older Word or Excel file (.doc or .xls), or a password-protected "
                "one. Open it, save it as .docx or .xlsx without a password, and upload that."
            )
        )
    if not content.startswith(_ZIP_SIGNATURE):
        raise FileRefused(
            _(
                "This file is not a Word document (.docx) or an Excel workbook (.xlsx). "
                "Save the commenting template in one of those formats and upload it again."
            )
        )


def _check_members(archive: zipfile.ZipFile) -> None:
    members = archive.infolist()
    bomb = FileRefused(
        _(
            "This file unpacks into far more data than a commenting template holds "
            "(it may be a “zip bomb”), so it was not opened."
        )
    )
    if len(members) > MAX_MEMBERS:
        raise bomb
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED:
        raise bomb
    for member in members:
        if member.flag_bits & 0x1:
            raise FileRefused(
                _("This file is password-protected. Save it without a password and upload it.")
            )
        if member.file_size > RATIO_FLOOR and (
            member.compress_size == 0 or member.file_size / member.compress_size > MAX_RATIO
        ):
            raise bomb


def file_kind(content: bytes, limit: int | None = None) -> str:
    """Return DOCX or XLSX for an uploaded file, or raise FileRefused saying what is wrong.

    Nothing is decompressed here: only the archive's directory is read.
    """
    limit = max_bytes() if limit is None else limit
    if not content:
        raise FileRefused(_("The file is empty."))
    if len(content) > limit:
        raise FileRefused(
            _(
                "The file is %(size)s; a commenting template may be at most %(limit)s.",
                size=size_text(len(content)),
                limit=size_text(limit),
            )
        )
    _refuse_container(content)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_members(archive)
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise FileRefused(
            _("The file is damaged: it could not be opened as a Word or Excel file.")
        ) from err
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "mimetype" in names or "content.xml" in names:
        raise FileRefused(
            _(
                "This is an OpenDocument file (LibreOffice, .odt or .ods). Save it as "
                ".docx or .xlsx and upload that."
            )
        )
    raise FileRefused(
        _(
            "This file is not a Word document (.docx) or an Excel workbook (.xlsx). "
            "Save the commenting template in one of those formats and upload it again."
        )
    )


def no_header_message() -> str:
    """Return the message for a file without the commenting template's header."""
    return str(
        _(
            "No table in this file has the commenting template's header. A header row "
            "needs a “Comments” column and at least two of “MB/NC”, “Line number”, "
            "“Clause/Subclause”, “Paragraph/Figure/Table”, “Type of comment” and "
            "“Proposed change”."
        )
    )
