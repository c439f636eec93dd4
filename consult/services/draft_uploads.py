"""Drafting in the browser: a new document from an upload, the next version of one."""

from __future__ import annotations

from typing import TypedDict, Unpack

from flask_babel import gettext as _
from sqlalchemy import select

from consult.extensions import db
from consult.models import Document, User
from consult.services.drafts import ImportResult, check_slug, import_draft
from consult.services.errors import Refused


class DocumentExists(Refused):
    """A new document was asked for under a slug that is already taken."""

    def __init__(self, slug: str) -> None:
        super().__init__(
            _(
                "there is already a document '%(slug)s': upload a new version of it instead",
                slug=slug,
            )
        )
        self.slug = slug


class DraftOptions(TypedDict, total=False):
    """What a drafter may say about an upload besides its bytes."""

    filename: str
    title: str | None
    label: str | None
    language: str | None
    actor: User | None


def start_document(data: bytes, *, slug: str, **options: Unpack[DraftOptions]) -> ImportResult:
    """Create document `slug` with `data` as its first (draft) version; return the import.

    Raises DocumentExists when the slug is taken, TitleMissing when there is no
    title, and ServiceError for any other problem; nothing is stored on error.
    """
    check_slug(slug)
    if db.session.scalar(select(Document.id).where(Document.slug == slug)) is not None:
        raise DocumentExists(slug)
    # The import raises TitleMissing itself when there is no title.
    return import_draft(data, document_slug=slug, **options)


def add_version(document: Document, data: bytes, **options: Unpack[DraftOptions]) -> ImportResult:
    """Import `data` as the next (draft) version of an existing `document`; return the import."""
    return import_draft(data, document_slug=document.slug, **options)
