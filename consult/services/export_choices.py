"""What the PDF export page offers a person: the versions to compare with, the rounds to show.

Read-only. The choices are exactly what the person may read: earlier
versions they may see (a stakeholder, published ones), and the rounds on the
version they know about (a stakeholder, the rounds open to their organisation).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from consult import permissions
from consult.extensions import db
from consult.models import Document, ExportJob, User, Version
from consult.services import language_texts
from consult.services.consolidated.request import readable_versions, version_rounds
from consult.services.errors import NotFound


@dataclass(frozen=True)
class VersionChoice:
    """A version as the form offers it."""

    number: int
    label: str
    is_published: bool


@dataclass(frozen=True)
class RoundChoice:
    """A round as the form offers it."""

    id: int
    title: str


@dataclass(frozen=True)
class PdfChoices:
    """The version being exported and what its export form may choose."""

    slug: str
    title: str
    version: VersionChoice
    earlier: list[VersionChoice]  # newest first: the first is the default to compare with
    rounds: list[RoundChoice]  # newest first: the first is the default round
    reads_comments: bool  # False for admins, who read no comments: no comments variant
    languages: tuple[str, ...] = ()  # of the text: the version's own first, then translations


def pdf_choices(user: User, slug: str, number: int) -> PdfChoices:
    """Return the choices for exporting version `number` of `slug` as `user`.

    The versions and rounds come from the same lookups that check a request
    (consult.services.consolidated.request), so the form offers exactly what
    would be accepted. Raises NotFound for an unknown document or version, or
    one `user` may not read.
    """
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        raise NotFound(f"there is no document '{slug}'")
    versions = readable_versions(user, document)
    current = next((v for v in versions if v.number == number), None)
    if current is None:
        raise NotFound(f"{slug} has no version {number}")
    reads = permissions.sees_comment_counts(user)
    rounds = version_rounds(user, document, current) if reads else []
    return PdfChoices(
        slug=document.slug,
        title=document.title,
        version=_choice(current),
        earlier=[_choice(v) for v in reversed(versions) if v.number < number],
        rounds=[RoundChoice(r.id, r.title) for r in reversed(rounds)],
        reads_comments=reads,
        languages=tuple(language_texts.published_languages(current)),
    )


def _choice(version: Version) -> VersionChoice:
    return VersionChoice(version.number, version.label, version.is_published)


def recent_pdf_jobs(user: User, slug: str, number: int, limit: int = 10) -> list[ExportJob]:
    """Return `user`'s latest PDF jobs for version `number` of `slug`, newest first."""
    found: list[ExportJob] = []
    for job in db.session.scalars(
        select(ExportJob)
        .where(ExportJob.requested_by_id == user.id, ExportJob.kind == "pdf")
        .order_by(ExportJob.created_at.desc(), ExportJob.id.desc())
        .limit(200)
    ):
        if job.params.get("slug") == slug and job.params.get("number") == number:
            found.append(job)
            if len(found) == limit:
                break
    return found
