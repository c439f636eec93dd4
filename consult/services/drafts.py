"""Importing drafts as versions of documents, and publishing them."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import contains_eager

from consult.domain.parsing import (
    DraftError,
    ParsedDraft,
    ParseMessage,
    decode_draft,
    parse_text,
)
from consult.extensions import db
from consult.models import (
    Clause,
    Comparison,
    ComparisonFragment,
    Document,
    DraftPreview,
    User,
    Version,
    VersionRendering,
)
from consult.models.base import utcnow
from consult.services import audit, carry, parse_messages, version_language
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.transactions import write_transaction

# The most clauses a draft may have, unless CONSULT_MAX_CLAUSES says otherwise.
DEFAULT_MAX_CLAUSES = 20_000

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


@dataclass(frozen=True)
class ImportResult:
    """What an import produced: the new version and any warnings about the text."""

    version: Version
    clause_count: int
    warnings: tuple[ParseMessage, ...]


def content_hash(text: str) -> str:
    """Return the SHA-256 of a version's source text, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_slug(slug: str) -> str:
    """Return `slug` if it is a valid document slug, else raise ServiceError."""
    if not SLUG_PATTERN.match(slug):
        raise ServiceError(
            _(
                "'%(slug)s' is not a valid document name: use 1 to 80 lowercase letters, "
                "digits and hyphens, starting and ending with a letter or digit",
                slug=slug,
            )
        )
    return slug


def _resolve_slug(requested: str | None, parsed: ParsedDraft) -> str:
    if requested and parsed.slug and requested != parsed.slug:
        raise ServiceError(
            _(
                "the draft's front matter says it belongs to document '%(slug)s', "
                "not '%(requested)s'",
                slug=parsed.slug,
                requested=requested,
            ),
            line=1,
        )
    slug = requested or parsed.slug
    if not slug:
        raise ServiceError(
            _("no document named: give one, or add 'document: SLUG' to the front matter"),
            line=1,
        )
    return check_slug(slug)


def import_draft(
    data: bytes,
    *,
    document_slug: str | None = None,
    filename: str = "",
    title: str | None = None,
    label: str | None = None,
    language: str | None = None,
    publish: bool = False,
    actor: User | None = None,
) -> ImportResult:
    """Import `data` as the next version of a document, creating the document if needed.

    The steps: decode the bytes (once) and parse the text, then in one write
    transaction find or create the document, store the version, give the
    document the symbol, publisher and language its front matter sets, carry keys
    forward from the latest published version, store the clauses and record
    the import. On any error nothing is stored and a ServiceError (with the
    source line where one applies) is raised.
    """
    with draft_problems():
        text = decode_draft(data)  # the one decode: this text is parsed, hashed and stored
        parsed = parse_text(text, filename)
    check_clause_count(len(parsed.clauses))
    slug = _resolve_slug(document_slug, parsed)
    title = (title or "").strip() or None
    label = (label or "").strip() or parsed.label
    digest = content_hash(text)
    written_in = version_language.text_language(language, parsed, text)
    with write_transaction():
        document = _document_for(slug, title, parsed, digest, actor)
        version = _store_version(document, text, digest, filename, label, actor)
        version.language = written_in
        _update_facts(document, parsed, version, actor)
        previous, keys = carry.carried_keys(document.id, version.number, parsed.clauses)
        _store_clauses(version, parsed, keys)
        _record_import(version, parsed, digest, previous, len(keys), actor)
        if publish:
            _publish(version, actor)
    return ImportResult(version, len(parsed.clauses), parsed.warnings)


def check_clause_count(count: int) -> None:
    """Refuse a draft of more clauses than the platform stores (CONSULT_MAX_CLAUSES).

    A file within the size limit can hold a clause per line: stored, compared
    and shown, a hundred thousand of them would outlast any request.
    """
    limit = int(current_app.config.get("MAX_CLAUSES") or DEFAULT_MAX_CLAUSES)
    if count > limit:
        raise ServiceError(
            _(
                "This draft has %(count)s clauses; a draft may have at most %(limit)s. "
                "Split it into several documents, or ask the administrator to raise the limit.",
                count=format_number(count),
                limit=format_number(limit),
            )
        )


@contextmanager
def draft_problems() -> Iterator[None]:
    """Raise the parser's DraftError as the ServiceError callers show, with its line."""
    try:
        yield
    except DraftError as err:
        raise ServiceError(parse_messages.translated(_alone(err.problem)), line=err.line) from err


def _alone(problem: ParseMessage) -> ParseMessage:
    """The message without its line (a ServiceError carries the line itself)."""
    return ParseMessage(problem.template, problem.values)


def _document_for(
    slug: str, title: str | None, parsed: ParsedDraft, digest: str, actor: User | None
) -> Document:
    """Return the document `slug`, created (or retitled to `title`) as the import asks.

    Raises TitleMissing for a new document without a title, and Refused when
    the text is the same as the document's latest version.
    """
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        return _create_document(slug, title or parsed.title, parsed, actor)
    latest = db.session.scalar(
        select(Version)
        .where(Version.document_id == document.id)
        .order_by(Version.number.desc())
        .limit(1)
    )
    if latest is not None and latest.content_hash == digest:
        raise Refused(
            _(
                "this text is identical to version %(number)s of '%(slug)s'; nothing imported",
                number=latest.number,
                slug=slug,
            )
        )
    if title and title != document.title:
        audit.record(
            actor, "document.retitle", "document", document.id, old=document.title, new=title
        )
        document.title = title[:500]
    return document


def _create_document(
    slug: str, title: str | None, parsed: ParsedDraft, actor: User | None
) -> Document:
    """Add and return a new document as the draft describes it; TitleMissing if untitled."""
    if not title:
        raise TitleMissing(
            _(
                "the draft has no title: start it with a '# Title' heading, add 'title:' "
                "to the front matter, or give a title"
            ),
            line=1,
        )
    facts = _front_matter_facts(parsed)
    document = Document(
        slug=slug, title=title[:500], kind=parsed.kind or "", created_by=actor, **facts
    )
    return audit.record_added(actor, "document.create", "document", document, slug=slug, **facts)


def _front_matter_facts(parsed: ParsedDraft) -> dict[str, str]:
    """Return the symbol, publisher and language the front matter gives (parser-checked)."""
    given = {"symbol": parsed.symbol, "publisher": parsed.publisher, "language": parsed.language}
    return {name: value for name, value in given.items() if value is not None}


def _update_facts(
    document: Document, parsed: ParsedDraft, version: Version, actor: User | None
) -> None:
    """Give `document` the facts `version`'s front matter sets, recording what changed.

    The document is not versioned (its published versions are): a later
    version's front matter that gives a symbol, publisher or language replaces
    the document's; one that gives none leaves it as it is.
    """
    changed = {
        name: {"old": getattr(document, name), "new": value}
        for name, value in _front_matter_facts(parsed).items()
        if getattr(document, name) != value
    }
    if not changed:
        return
    for name, change in changed.items():
        setattr(document, name, change["new"])
    audit.record(
        actor, "document.update", "document", document.id, version=version.number, **changed
    )


def _store_version(
    document: Document,
    text: str,
    digest: str,
    filename: str,
    label: str | None,
    actor: User | None,
) -> Version:
    """Add and return the document's next version, a draft holding `text`."""
    number = (
        db.session.scalar(
            select(func.max(Version.number)).where(Version.document_id == document.id)
        )
        or 0
    ) + 1
    version = Version(
        document=document,
        number=number,
        label=(label or "")[:300],
        status="draft",
        source_text=text,
        source_filename=filename[:255],
        content_hash=digest,
        created_by=actor,
    )
    db.session.add(version)
    db.session.flush()
    return version


def _store_clauses(version: Version, parsed: ParsedDraft, keys: Mapping[str, str]) -> None:
    """Add the parsed clauses to `version`, each under its carried key (`keys`) or its own."""
    db.session.add_all(
        Clause(
            version_id=version.id,
            key=keys.get(clause.key, clause.key),
            number=clause.number,
            heading=clause.heading,
            text=clause.text,
            kind=clause.kind,
            position=clause.position,
            parent_key=None
            if clause.parent_key is None
            else keys.get(clause.parent_key, clause.parent_key),
        )
        for clause in parsed.clauses
    )


def _record_import(
    version: Version,
    parsed: ParsedDraft,
    digest: str,
    previous: Version | None,
    carried: int,
    actor: User | None,
) -> None:
    """Record the "version.import" audit event, with the version keys were carried from."""
    keys = {"keys_from": previous.number, "keys_carried": carried} if previous else {}
    audit.record_version(
        actor,
        "version.import",
        version,
        clauses=len(parsed.clauses),
        content_hash=digest,
        **keys,
    )


def _publish(version: Version, actor: User | None) -> None:
    """Mark `version` published by `actor` and record it; Refused if it already is."""
    if version.is_published:
        raise Refused(_("version %(number)s is already published", number=version.number))
    version.status = "published"
    version.published_at = utcnow()
    version.published_by = actor
    audit.record_version(actor, "version.publish", version)


def publish_version(version: Version, actor: User | None) -> Version:
    """Publish a draft version, freezing it for good; return it."""
    with write_transaction():
        _publish(version, actor)
    return version


def get_document(slug: str) -> Document:
    """Return the document called `slug`, or raise NotFound."""
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    return document


def get_version(slug: str, number: int) -> Version:
    """Return version `number` of document `slug`, or raise NotFound.

    One SELECT loads the version with its document (kept with it, so that
    `version.document` asks nothing more); the source text, a deferred column,
    is loaded only where it is read (parsing a draft).
    """
    query = (
        select(Version)
        .join(Version.document)
        .where(Document.slug == slug, Version.number == number)
        .options(contains_eager(Version.document))
    )
    version = db.session.scalar(query)
    if version is None:
        get_document(slug)  # no such document: says so
        raise NotFound(_("document '%(slug)s' has no version %(number)s", slug=slug, number=number))
    return version


def list_documents() -> list[Document]:
    """Return every document, by slug, with its versions loaded."""
    return list(db.session.scalars(select(Document).order_by(Document.slug)))


def discard_version(version: Version, actor: User | None) -> None:
    """Delete a draft version and its clauses; a published version is refused."""
    with write_transaction():
        if version.is_published:
            raise Refused(
                _(
                    "version %(number)s is published: it can never be changed or deleted",
                    number=version.number,
                )
            )
        # Bulk statements, not the ORM's row by row: a draft may have thousands of clauses.
        db.session.execute(delete(DraftPreview).where(DraftPreview.version_id == version.id))
        db.session.execute(
            delete(VersionRendering).where(VersionRendering.version_id == version.id)
        )
        for column in (Comparison.old_version_id, Comparison.new_version_id):
            db.session.execute(delete(Comparison).where(column == version.id))
        for column in (ComparisonFragment.old_version_id, ComparisonFragment.new_version_id):
            db.session.execute(delete(ComparisonFragment).where(column == version.id))
        # One statement, so that parent and child rows go together.
        db.session.execute(delete(Clause).where(Clause.version_id == version.id))
        audit.record_version(actor, "version.discard", version)
        db.session.delete(version)


# What a version's text says besides its clauses (consult.services.draft_uploads: uploads).


class TitleMissing(ServiceError):
    """A new document has no title: none was given and the draft carries none."""


@dataclass(frozen=True)
class DraftReading:
    """What a version's text says besides its clauses: the parser's warnings, and the
    document facts its front matter sets (symbol, publisher, language: only those given)."""

    warnings: tuple[ParseMessage, ...]
    facts: Mapping[str, str]


def read_draft(version: Version) -> DraftReading:
    """Return the parser's warnings about a version's text and the facts its front matter sets.

    Parsing is deterministic, so re-parsing the stored text gives what the
    import got.
    """
    try:
        parsed = parse_text(version.source_text, version.source_filename)
    except DraftError as err:  # text imported under an older, more lenient parser
        return DraftReading((err.problem,), {})
    return DraftReading(parsed.warnings, _front_matter_facts(parsed))


def draft_warnings(version: Version) -> tuple[ParseMessage, ...]:
    """Return the parser's warnings about a version's text (see ``read_draft``)."""
    return read_draft(version).warnings
