"""Rendering the consolidated document: its HTML, its PDF, its file name.

The HTML comes from templates/pdf/document.html and the view model of
`gather`; the PDF from consult.exports.pdf.write_pdf, the one place
WeasyPrint is called (with the URL fetcher that serves only the platform's
static files). The template links pdf/base.css and pdf/document.css
relatively: write_pdf resolves them in the static folder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO

from flask import render_template

from consult.exports.pdf import page_footer_css, write_pdf
from consult.models import User
from consult.services.consolidated.gather import gather
from consult.services.consolidated.request import PdfRequest, resolve

TEMPLATE = "pdf/document.html"


def consolidated_html(viewer: User | None, req: PdfRequest, now: datetime) -> str:
    """Return the HTML of the PDF that `req` names, as `viewer` may see it at `now`.

    Raises what `check_request` raises.
    """
    target = resolve(viewer, req, now)
    return render_template(TEMPLATE, doc=gather(viewer, target, now), footer_css=page_footer_css())


def render_consolidated(
    viewer: User | None,
    req: PdfRequest,
    now: datetime,
    out: BinaryIO,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Write the PDF that `req` names to `out`; return its number of pages.

    `progress` hears "layout" and "writing" from the renderer as it goes.
    """
    return write_pdf(consolidated_html(viewer, req, now), out, progress)


def file_name(req: PdfRequest) -> str:
    """Return the PDF's file name: "sample-v2-changes-against-v1.pdf", "...-with-matrix-fr.pdf".

    Give it a checked request (`check_request`), so that the defaults it
    filled in (the version compared with, the round) are named.
    """
    parts = [req.slug, f"v{req.number}", req.variant]
    if req.variant == "changes" and req.against is not None:
        parts += ["against", f"v{req.against}"]
    if req.variant == "comments" and req.round_id is not None:
        parts += ["round", str(req.round_id)]
    if req.matrix_annex:
        parts.append("with-matrix")
    if req.language:
        parts.append(req.language)
    return "-".join(parts) + ".pdf"
