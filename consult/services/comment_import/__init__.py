"""Comments that arrive by e-mail, as a filled-in commenting template (.docx or .xlsx).

`files` checks a file before any library opens it, `word` and `excel` read
the template's rows out of it, `choices` lists the clauses a row may be
given and reads a chosen one back, `preview` matches each row to a clause and
says what would be imported, `importing` stores the comments (and gives the
command line its steps), and `uploads` keeps the file between its preview
and its confirmation on the web.
"""

from __future__ import annotations

from consult.services.comment_import.choices import DOCUMENT_CHOICE, read_corrections
from consult.services.comment_import.files import FileRefused, max_bytes
from consult.services.comment_import.importing import (
    ImportedComment,
    ImportResult,
    get_organisation,
    import_file,
    participating_organisations,
    preview_file,
    read_file,
    secretariat_account,
    today_in,
)
from consult.services.comment_import.preview import ImportPreview, PreviewRow
from consult.services.comment_import.uploads import (
    confirm_import,
    discard_import,
    preview_import,
    start_import,
)

__all__ = [
    "DOCUMENT_CHOICE",
    "FileRefused",
    "ImportPreview",
    "ImportResult",
    "ImportedComment",
    "PreviewRow",
    "confirm_import",
    "discard_import",
    "get_organisation",
    "import_file",
    "max_bytes",
    "participating_organisations",
    "preview_file",
    "preview_import",
    "read_corrections",
    "read_file",
    "secretariat_account",
    "start_import",
    "today_in",
]
