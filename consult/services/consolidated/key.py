"""The key of a consolidated PDF: a fingerprint of everything it shows.

A stored PDF is served again for as long as its key stays the same, so the
key takes in every input that can change what the PDF shows:

- the layout: `LAYOUT_REVISION`, and a digest of the template and stylesheet
  files themselves, so that a PDF made by older templates is not reused;
- the language of the PDF's own words (the locale), and the checked request
  (with its defaults filled in: the version compared with, the round);
- the document's title, symbol, publisher, language and kind; each version
  shown: number, label, status, publication and content hash; for the
  changes variant, the comparison's algorithm; the text in another language
  asked for (each version's translation: its title, publication and content);
- the round the cover names: its title, meeting, dates, rules and the
  publication of its answers;
- where comments are shown (comments variant, annex): whose view they are
  ("staff", or the stakeholder's organisation and its name, which the cover
  says), and every comment row that view holds, read with the matrix's own
  scope (consult.services.matrix.scope), which blanks in SQL what the viewer
  may not see: so an answer drafted but unpublished changes a secretariat's
  key and not a stakeholder's. Each row gives its comment's id, revision,
  status, time of change, texts, organisation as shown, and its answer as
  shown; for the annex's "In the next version" column, the document's
  published versions.

What is left out changes nothing shown: the moment the PDF is made (the PDF
says when it was made), and the "Participant n" numbers, which follow each
organisation's first comment in the round and so never change for comments
already made (a later comment only adds a number).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select

from consult import permissions
from consult.extensions import db
from consult.models import Comment, Document, Response, Round, Translation, User, Version
from consult.services.comparisons import ALGORITHM
from consult.services.consolidated.gather import viewer_organisation
from consult.services.consolidated.request import PdfRequest, Target, resolve
from consult.services.matrix.filters import MatrixFilters
from consult.services.matrix.scope import answers_shown, base_query, scope_for, shown, visible

#: Change whenever the code that gathers a PDF's content changes what it shows.
LAYOUT_REVISION = "consolidated-2"


@lru_cache(maxsize=8)
def _layout_digest(templates: str, static: str) -> str:
    """Return the digest of the PDF's templates and stylesheets (read once per process)."""
    digest = hashlib.sha256()
    files = sorted(Path(templates, "pdf").glob("*.html")) + sorted(
        Path(static, "pdf").glob("*.css")
    )
    for path in files:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()


def _moment(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _document(document: Document) -> dict[str, Any]:
    return {
        "slug": document.slug,
        "title": document.title,
        "kind": document.kind,
        "symbol": document.symbol,
        "publisher": document.publisher,
        "language": document.language,
    }


def _version(version: Version) -> dict[str, Any]:
    return {
        "number": version.number,
        "label": version.label,
        "status": version.status,
        "published": _moment(version.published_at),
        "content": version.content_hash,
    }


def _translation(translation: Translation) -> dict[str, Any]:
    return {
        "language": translation.language,
        "title": translation.title,
        "label": translation.label,
        "published": _moment(translation.published_at),
        "content": translation.content_hash,
    }


def _round(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.id,
        "title": round_.title,
        "place": round_.place,
        "meeting": [_moment(round_.meeting_starts_on), _moment(round_.meeting_ends_on)],
        "opens": _moment(round_.opens_at),
        "closes": _moment(round_.closes_at),
        "zone": round_.time_zone,
        "participation": round_.participation,
        "visibility": round_.visibility,
        "attribution": round_.attribution,
        "answers_published": _moment(round_.responses_published_at),
    }


def _viewer_scope(viewer: User | None) -> dict[str, Any]:
    """Return whose view of the comments the PDF shows: staff, or an organisation by name."""
    if viewer is None or permissions.sees_every_comment(viewer):
        return {"scope": "staff"}
    return {
        "scope": "organisation",
        "id": viewer.organisation_id,
        "name": viewer_organisation(viewer),
    }


def _comment_rows(viewer: User | None, target: Target, now: datetime) -> list[list[Any]]:
    """Return every comment row the viewer's PDF shows, as the matrix's scope reads them."""
    assert target.round is not None
    scope = scope_for(
        viewer, target.document.slug, MatrixFilters(rounds=(target.round.id,)), now, False
    )
    answered = answers_shown(scope)
    query = (
        base_query(scope)
        .add_columns(
            Comment.revision,
            Comment.updated_at,
            shown(answered, Response.updated_at).label("answer_updated_at"),
        )
        .where(visible(scope))
        .order_by(Comment.id)
    )
    return [
        [_moment(v) if isinstance(v, datetime | date) else v for v in row]
        for row in db.session.execute(query)
    ]


def _published_versions(document: Document) -> list[list[Any]]:
    rows = db.session.execute(
        select(Version.number, Version.content_hash)
        .where(Version.document_id == document.id, Version.status == "published")
        .order_by(Version.number)
    )
    return [[number, content] for number, content in rows]


def pdf_key(viewer: User | None, req: PdfRequest, now: datetime) -> str:
    """Return the sha256 hex of everything the PDF of `req` shows to `viewer` at `now`.

    Two requests whose PDFs would differ never share a key. Raises what
    `check_request` raises.
    """
    target = resolve(viewer, req, now)
    facts: dict[str, Any] = {
        "layout": LAYOUT_REVISION,
        "files": _layout_digest(str(current_app.template_folder), str(current_app.static_folder)),
        "locale": str(get_locale() or ""),
        "request": target.request.as_params(),
        "document": _document(target.document),
        "version": _version(target.version),
    }
    if target.translation is not None:
        facts["translation"] = _translation(target.translation)
    if target.against is not None:
        facts["against"] = _version(target.against)
        facts["comparison"] = ALGORITHM
        if target.against_translation is not None:
            facts["against_translation"] = _translation(target.against_translation)
    if target.round is not None:
        facts["round"] = _round(target.round)
    if target.shows_comments:
        facts["viewer"] = _viewer_scope(viewer)
        facts["comments"] = _comment_rows(viewer, target, now)
    if target.request.matrix_annex:
        facts["published"] = _published_versions(target.document)
        facts["comparison"] = ALGORITHM
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
