"""Read-only queries for the reading pages: documents, versions and clause trees.

Nothing here writes. Each function returns plain data that a template can
show as it is: version summaries with clause counts, the clause tree of a
version with rendered (sanitised) text, display citations, anchors and a
table of contents (built by ``clause_tree``). A version's clauses are always
fetched with one SELECT, however long the text, and the tree is built in memory. The HTML of a
published version's clauses is made once and stored (`VersionRendering`),
so that a long text is not rendered again at every request.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.domain.rendering import markdown_to_html
from consult.extensions import db
from consult.languages import reader_language
from consult.models import Clause, Document, Translation, Version, VersionRendering
from consult.moments import Moment
from consult.services.clause_tree import ClauseNode, TocEntry, build_toc, build_tree, toc_folds
from consult.services.errors import NotFound
from consult.services.language_texts import TextClause, text_in, titles_in
from consult.services.transactions import write_transaction
from consult.source_digest import source_digest

#: Names the code that turns clause Markdown into HTML, with the digest of its source,
#: so that renderings stored by other code are no longer used.
RENDERER = "md-table-nh3/1/" + source_digest("consult.domain.rendering")

VersionFilter = Callable[[Version], bool]

# Lists need each version's metadata, never its (possibly long) source text.
_VERSIONS = selectinload(Document.versions)


@dataclass(frozen=True)
class VersionSummary:
    """One version as listed: number, label, status, when it was published, clause count."""

    number: int
    label: str
    status: str
    published: Moment | None
    clause_count: int

    @property
    def is_published(self) -> bool:
        """True once the version is frozen."""
        return self.status == "published"


@dataclass(frozen=True)
class DocumentSummary:
    """A document with the versions its reader may see, newest first."""

    slug: str
    title: str
    kind: str
    versions: tuple[VersionSummary, ...]
    language: str = "en"  # the language of the text (a BCP 47 tag)


@dataclass(frozen=True)
class Crumb:
    """A link to a clause's own page, with the text to show."""

    key: str
    label: str


@dataclass(frozen=True)
class VersionPage:
    """Everything the version page shows."""

    document: DocumentSummary
    version: VersionSummary
    tree: list[ClauseNode]
    toc: list[TocEntry]

    @property
    def toc_folded(self) -> bool:
        """Whether the contents are long enough to show their top level with the rest folded."""
        return toc_folds(self.toc)


@dataclass(frozen=True)
class VersionHeader:
    """What the version page shows above its text: the document and the version."""

    document: DocumentSummary
    version: VersionSummary


@dataclass(frozen=True)
class ClausePage:
    """Everything a clause's permanent page shows.

    The page's h1 names the clause; `offset` is added to the rank of the
    clauses under it to give their heading levels, so that the first
    headings below the h1 are h2.
    """

    document: DocumentSummary
    version: VersionSummary
    clause: ClauseNode
    ancestors: tuple[Crumb, ...]
    previous: Crumb | None
    next: Crumb | None
    offset: int


def kind_label(kind: str) -> str:
    """Return a document kind such as 'principles-and-guidelines' as words."""
    return kind.replace("-", " ").replace("_", " ").strip().capitalize()


def _clause_counts(version_ids: Iterable[int]) -> dict[int, int]:
    ids = list(version_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Clause.version_id, func.count())
        .where(Clause.version_id.in_(ids))
        .group_by(Clause.version_id)
    )
    return {int(row[0]): int(row[1]) for row in rows}


def _summarise_version(version: Version, counts: dict[int, int]) -> VersionSummary:
    return VersionSummary(
        number=version.number,
        label=version.label,
        status=version.status,
        published=Moment(version.published_at) if version.published_at else None,
        clause_count=counts.get(version.id, 0),
    )


def _summarise(
    document: Document,
    versions: Sequence[Version],
    counts: dict[int, int],
    titles: Mapping[int, str] | None = None,
) -> DocumentSummary:
    """The document as listed; titled in the reader's language where `titles` has it."""
    newest_first = sorted(versions, key=lambda v: v.number, reverse=True)
    title = (titles or {}).get(document.id)
    return DocumentSummary(
        slug=document.slug,
        title=title or document.title,
        kind=kind_label(document.kind),
        versions=tuple(_summarise_version(v, counts) for v in newest_first),
        language=reader_language() if title else document.language or "en",
    )


def list_documents(visible: VersionFilter, show_empty: bool) -> list[DocumentSummary]:
    """Return the documents, by title, each with its versions that pass `visible`.

    A document none of whose versions pass is left out, unless `show_empty`
    (for those who prepare drafts, who need to reach a document still
    without a version).
    """
    documents = db.session.scalars(
        select(Document).options(_VERSIONS).order_by(Document.title)
    ).all()
    shown = {d.id: [v for v in d.versions if visible(v)] for d in documents}
    counts = _clause_counts(v.id for versions in shown.values() for v in versions)
    titles = titles_in(reader_language(), shown)
    return [
        _summarise(d, shown[d.id], counts, titles)
        for d in documents
        if shown[d.id] or (show_empty and not d.versions)
    ]


def document_summary(slug: str, visible: VersionFilter, show_empty: bool) -> DocumentSummary:
    """Return one document with its visible versions; NotFound when the reader may not see it."""
    document = db.session.scalar(select(Document).options(_VERSIONS).where(Document.slug == slug))
    if document is None:
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    versions = [v for v in document.versions if visible(v)]
    if not versions and not (show_empty and not document.versions):
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    titles = titles_in(reader_language(), [document.id])
    return _summarise(document, versions, _clause_counts(v.id for v in versions), titles)


def _version_clauses(version: Version) -> list[Clause]:
    return list(
        db.session.scalars(
            select(Clause).where(Clause.version_id == version.id).order_by(Clause.position)
        )
    )


def _headers(
    version: Version, clause_count: int, translation: Translation | None = None
) -> tuple[DocumentSummary, VersionSummary]:
    document = version.document
    summary = _summarise_version(version, {version.id: clause_count})
    if translation is not None and translation.label:
        summary = replace(summary, label=translation.label)
    if translation is not None:
        title, language = translation.title or document.title, translation.language
    else:
        title, language = document.title, version.text_language
    header = DocumentSummary(document.slug, title, kind_label(document.kind), (), language)
    return header, summary


def version_header(
    version: Version, clause_count: int, translation: Translation | None = None
) -> VersionHeader:
    """Return the document and version summaries of a version page whose text is already made."""
    return VersionHeader(*_headers(version, clause_count, translation))


def _stored_rendering(version_id: int) -> dict[str, str] | None:
    payload = db.session.scalar(
        select(VersionRendering.payload).where(
            VersionRendering.version_id == version_id, VersionRendering.renderer == RENDERER
        )
    )
    return None if payload is None else dict(json.loads(payload))


def clause_html(version: Version, clauses: Sequence[Clause]) -> dict[str, str]:
    """Return the sanitised HTML of each clause with a text, by key.

    For a published version it is made at the first request and stored for
    every later one (and every worker); a draft's is made each time.
    """
    if version.status != "published":
        return {c.key: markdown_to_html(c.text) for c in clauses if c.text}
    version_id = version.id
    stored = _stored_rendering(version_id)
    if stored is not None:
        return stored
    made = {c.key: markdown_to_html(c.text) for c in clauses if c.text}
    payload = json.dumps(made, ensure_ascii=False, separators=(",", ":"))
    try:
        with write_transaction():
            db.session.add(
                VersionRendering(version_id=version_id, renderer=RENDERER, payload=payload)
            )
    except IntegrityError:  # another request stored it first: the same HTML
        pass
    return made


def _mark_untranslated(
    nodes: dict[str, ClauseNode], clauses: Sequence[TextClause], version: Version
) -> None:
    """Give the clauses shown in the original's words (no translation) the original's language."""
    for clause in clauses:
        if not clause.translated:
            nodes[clause.key].language = version.text_language


def version_page(version: Version, translation: Translation | None = None) -> VersionPage:
    """Return a version's clause tree and table of contents (one SELECT for the clauses),
    in the language of `translation` when one is given (its clauses, one SELECT more)."""
    stored = _version_clauses(version)
    if translation is None:
        roots, nodes = build_tree(stored)
        for key, html in clause_html(version, stored).items():
            nodes[key].rendered = html
    else:
        clauses = text_in(stored, translation)
        roots, nodes = build_tree(clauses)
        _mark_untranslated(nodes, clauses, version)
    document, summary = _headers(version, len(stored), translation)
    return VersionPage(document, summary, roots, build_toc(roots))


def page_order(tree: Sequence[ClauseNode]) -> list[ClauseNode]:
    """Every clause of the tree in the order of the page: each before those under it."""
    order: list[ClauseNode] = []
    stack = list(reversed(tree))
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(reversed(node.children))
    return order


def _crumb(node: ClauseNode) -> Crumb:
    return Crumb(node.key, node.label)


def clause_page(version: Version, key: str, translation: Translation | None = None) -> ClausePage:
    """Return the page of clause `key` of `version` (in `translation`'s words), else NotFound."""
    stored = _version_clauses(version)
    clauses = text_in(stored, translation)
    order = [c.key for c in clauses]
    if key not in order:
        raise NotFound(
            _("version %(number)s has no clause '%(key)s'", number=version.number, key=key)
        )
    _roots, nodes = build_tree(clauses)
    if translation is not None:
        _mark_untranslated(nodes, clauses, version)
    node = nodes[key]
    ancestors: list[Crumb] = []
    parent_key = node.parent_key
    while parent_key is not None:
        parent = nodes[parent_key]
        ancestors.insert(0, _crumb(parent))
        parent_key = parent.parent_key
    at = order.index(key)
    previous = _crumb(nodes[order[at - 1]]) if at > 0 else None
    following = _crumb(nodes[order[at + 1]]) if at + 1 < len(order) else None
    document, summary = _headers(version, len(clauses), translation)
    return ClausePage(
        document=document,
        version=summary,
        clause=node,
        ancestors=tuple(ancestors),
        previous=previous,
        next=following,
        offset=1 - node.rank,
    )
