"""Choosing the two versions a comparison page shows, among those its reader may see.

By default the newest version the reader may see against the one before it;
a version the reader may not see (a draft, for a stakeholder) does not exist
for them. The comparison itself is consult.services.comparisons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from consult.extensions import db
from consult.models import Document, Version
from consult.services.comparisons import Comparison, VersionRef, compare_versions
from consult.services.errors import NotFound

VersionFilter = Callable[[Version], bool]


@dataclass(frozen=True)
class ComparisonPage:
    """The document, the versions its reader may pick from (oldest first), and the comparison.

    `comparison` is None when the reader can see fewer than two versions.
    """

    slug: str
    title: str
    versions: tuple[VersionRef, ...]
    comparison: Comparison | None


def readable_versions(slug: str, visible: VersionFilter) -> tuple[Document, list[Version]]:
    """Return the document and its versions that pass `visible`, oldest first.

    Raises NotFound for an unknown document, or one with no version the reader may see.
    """
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    versions = [
        v
        for v in db.session.scalars(
            select(Version).where(Version.document_id == document.id).order_by(Version.number)
        )
        if visible(v)
    ]
    if not versions:
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    return document, versions


def pick_versions(
    slug: str,
    visible: VersionFilter,
    old: int | None = None,
    new: int | None = None,
    *,
    compare: bool = True,
) -> tuple[Document, tuple[VersionRef, ...], tuple[Version, Version] | None]:
    """Return the document, the versions its reader may pick from (oldest first), and the
    two versions to compare: `old` and `new`, or by default the newest version the reader
    may see and the one before it (None when there are fewer than two, or `compare` is false).

    Raises NotFound for an unknown document or a version the reader may not see.
    """
    document, versions = readable_versions(slug, visible)
    by_number = {v.number: v for v in versions}
    refs = tuple(VersionRef(v.number, v.label, v.status) for v in versions)
    if old is None or new is None:
        if len(versions) < 2 or not compare:
            return document, refs, None
        return document, refs, (versions[-2], versions[-1])
    if old not in by_number or new not in by_number:
        raise NotFound(_("document '%(slug)s' has no such version", slug=slug))
    return document, refs, (by_number[old], by_number[new])


def comparison_page(
    slug: str,
    visible: VersionFilter,
    old: int | None = None,
    new: int | None = None,
    *,
    compare: bool = True,
) -> ComparisonPage:
    """Return the comparison of versions `old` and `new` of a document, or by default
    the newest version the reader may see against the one before it.

    With `compare` false only the versions to choose from are returned.

    Raises NotFound for an unknown document or a version the reader may not see.
    """
    document, refs, pair = pick_versions(slug, visible, old, new, compare=compare)
    comparison = None if pair is None else compare_versions(*pair)
    return ComparisonPage(document.slug, document.title, refs, comparison)
