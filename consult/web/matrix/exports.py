"""The matrix as a file: XLSX, CSV or DOCX, with the filters of the page it is downloaded from.

Open to everyone who sees the matrix (the secretariat, drafters and
stakeholders; admins read no comments): the file holds exactly the rows of
the filtered matrix as its reader sees it (paging aside), because the rows
come from the same query with the same rules. `public=yes` asks for the
variant for circulation: each round's attribution rule, and no withdrawn
comments, secretariat-only rounds, unpublished answers or personal names.
The file is in the reader's interface language, laid out in its direction
(right to left in Arabic).
"""

from __future__ import annotations

import io

from flask import request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from consult import permissions
from consult.exports.matrix import FORMATS, file_name
from consult.languages import DEFAULT, direction_of
from consult.services.matrix import filters as matrix_filters
from consult.services.matrix.query import export_sheets
from consult.services.transactions import now
from consult.web.lookup import found, user_with
from consult.web.matrix.blueprint import bp


@bp.get("/documents/<slug>/matrix.<any(xlsx, csv, docx):fmt>")
def export(slug: str, fmt: str) -> ResponseReturnValue:
    """Send the filtered matrix of the document as a file to download."""
    user = user_with(permissions.sees_comment_counts)
    chosen = matrix_filters.parse(request.args)
    public = request.args.get("public") == "yes"
    meta, sheets = found(export_sheets, user, slug, chosen, now(), public=public)
    form = FORMATS[fmt]
    # In memory: the XLSX of 20,000 comments is about a megabyte (its CSV, all text, ten).
    out = io.BytesIO()
    form.write(meta, sheets, out, direction=direction_of(str(get_locale() or DEFAULT)))
    out.seek(0)
    rounds = [sheet.round_id for sheet in sheets] if chosen.rounds else []
    response = send_file(
        out,
        mimetype=form.media_type,
        as_attachment=True,
        download_name=file_name(slug, rounds, fmt, public),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
