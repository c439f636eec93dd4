"""The consolidated document: a version typeset as a PDF, clean, with its changes or its comments.

- request: `PdfRequest`, `VARIANTS`, `check_request` and `resolve` (who may ask for what);
- key: `pdf_key`, the fingerprint of everything a PDF shows, under which it is stored;
- gather and changes: the view model a template shows (no queries in templates);
- render: `consolidated_html`, `render_consolidated`, `file_name`;
- job: `run_pdf_job`, what a background job calls.
"""

from __future__ import annotations

from consult.services.consolidated.key import pdf_key
from consult.services.consolidated.render import consolidated_html, file_name, render_consolidated
from consult.services.consolidated.request import (
    VARIANTS,
    BadRequest,
    PdfRequest,
    check_request,
    resolve,
)

__all__ = [
    "VARIANTS",
    "BadRequest",
    "PdfRequest",
    "check_request",
    "consolidated_html",
    "file_name",
    "pdf_key",
    "render_consolidated",
    "resolve",
]
