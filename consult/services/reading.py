"""Read-only queries for the reading pages: documents, versions and clause trees.

Nothing here writes. Each function returns plain data that a template can
show as it is: version summaries with clause counts, the clause tree of a
version with rendered (sanitised) text, display citations, anchors and a
table of contents. A version's clauses are always fetched with one SELECT,
however long the text, and the tree is built in memory. The HTML of a
published version's clauses is made once and stored (`VersionRendering`),
so that a long text is not rendered again at every request.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from consult.domain.rendering import markdown_to_html
from consult.extensions import db
from consult.models import Clause, Document, Version, VersionRendering
from consult.moments import Moment
from consult.services.errors import NotFound
from consult.services.transactions import write_transaction

#: Kinds of clause that structure a text, shown as headings even without a heading text.
STRUCTURAL_KINDS = frozenset(
    {"part", "chapter", "section", "article", "principle", "guideline", "annex", "heading"}
)

#: Names the code that turns clause Markdown into HTML: change it when that code changes,
#: so that renderings stored by the old code are no longer used.
RENDERER = "markdown-it-commonmark-table+nh3/1"

#: Element ids the page layout uses itself, which a clause anchor must not take.
RESERVED_IDS = frozenset({"main", "contents", "clauses"})

_UNSAFE_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9._:-]+")

VersionFilter = Callable[[Version], bool]

# Lists need each version's metadata, never its (possibly long) source text.
_VERSIONS_WITHOUT_SOURCE = selectinload(Document.versions).defer(Version.source_text)


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


@dataclass
class ClauseNode:
    """A clause ready to show, with its subtree.

    `rank` counts the heading-type clauses from the top of the tree down to
    this one (itself included): templates turn it into a heading level
    without ever skipping one.
    """

    key: str
    anchor: str
    number: str
    heading: str
    kind: str
    text: str
    citation: str
    is_heading: bool
    rank: int
    parent_key: str | None
    children: list[ClauseNode] = field(default_factory=list)
    #: The stored HTML of the text, when the page has it (see `version_page`).
    rendered: str | None = None

    @property
    def html(self) -> Markup:
        """The clause text as sanitised HTML (stored, or rendered when shown, not before)."""
        if self.rendered is not None:
            return Markup(self.rendered)
        return Markup(markdown_to_html(self.text)) if self.text else Markup("")

    @property
    def label(self) -> str:
        """How the clause is named in links: number and heading, or its citation."""
        if self.is_heading:
            return " ".join(part for part in (self.number, self.heading) if part) or self.citation
        return self.citation


@dataclass
class TocEntry:
    """A line of the table of contents: a heading-type clause and those under it."""

    anchor: str
    number: str
    heading: str
    children: list[TocEntry] = field(default_factory=list)


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


def clause_anchor(key: str) -> str:
    """Return the element id of a clause: its key, made safe for an HTML id."""
    anchor = _UNSAFE_ID_CHARACTERS.sub("-", key).strip("-") or "clause"
    return f"clause-{anchor}" if anchor in RESERVED_IDS else anchor


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
    document: Document, versions: Sequence[Version], counts: dict[int, int]
) -> DocumentSummary:
    newest_first = sorted(versions, key=lambda v: v.number, reverse=True)
    return DocumentSummary(
        slug=document.slug,
        title=document.title,
        kind=kind_label(document.kind),
        versions=tuple(_summarise_version(v, counts) for v in newest_first),
    )


def list_documents(visible: VersionFilter, show_empty: bool) -> list[DocumentSummary]:
    """Return the documents, by title, each with its versions that pass `visible`.

    A document none of whose versions pass is left out, unless `show_empty`
    (for those who prepare drafts, who need to reach a document still
    without a version).
    """
    documents = db.session.scalars(
        select(Document).options(_VERSIONS_WITHOUT_SOURCE).order_by(Document.title)
    ).all()
    shown = {d.id: [v for v in d.versions if visible(v)] for d in documents}
    counts = _clause_counts(v.id for versions in shown.values() for v in versions)
    return [
        _summarise(d, shown[d.id], counts)
        for d in documents
        if shown[d.id] or (show_empty and not d.versions)
    ]


def document_summary(slug: str, visible: VersionFilter, show_empty: bool) -> DocumentSummary:
    """Return one document with its visible versions; NotFound when the reader may not see it."""
    document = db.session.scalar(
        select(Document).options(_VERSIONS_WITHOUT_SOURCE).where(Document.slug == slug)
    )
    if document is None:
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    versions = [v for v in document.versions if visible(v)]
    if not versions and not (show_empty and not document.versions):
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    return _summarise(document, versions, _clause_counts(v.id for v in versions))


def _own_citation(clause: Clause, unnumbered_index: int, in_paragraph: bool = False) -> str:
    """Return how a clause is cited within its parent: "paragraph 2", "item (a)", "§ 12".

    A numbered paragraph inside another numbered paragraph is a number of it
    ("§ 4, paragraph 1, number 2a"), as a lawyer cites "§ 4 Abs. 1 Nr. 2a".
    """
    number = clause.number.strip() or str(unnumbered_index)
    if clause.kind == "paragraph" and in_paragraph and clause.number.strip():
        return str(_("number %(number)s", number=number.strip("().").strip()))
    if clause.kind == "paragraph":
        return str(_("paragraph %(number)s", number=number.strip("().").strip()))
    if clause.kind == "item":
        return str(_("item %(number)s", number=number))
    if clause.kind == "row":
        return str(_("row %(number)s", number=number.strip("().")))
    if clause.kind == "definition":
        return str(_("definition %(number)s", number=number))
    if clause.kind == "footnote":
        return str(_("footnote %(number)s", number=number))
    if clause.kind == "preamble":
        return str(_("Preamble"))
    return clause.number.strip() or clause.heading.strip() or clause.key


def build_tree(clauses: Sequence[Clause]) -> tuple[list[ClauseNode], dict[str, ClauseNode]]:
    """Return the clause tree (its roots) and every node by key, from clauses in document order."""
    nodes: dict[str, ClauseNode] = {}
    roots: list[ClauseNode] = []
    unnumbered: dict[tuple[str | None, str], int] = {}
    owns: dict[str, str] = {}
    for clause in clauses:
        parent = nodes.get(clause.parent_key) if clause.parent_key else None
        index = 0
        if not clause.number.strip():
            slot = (parent.key if parent else None, clause.kind)
            index = unnumbered[slot] = unnumbered.get(slot, 0) + 1
        in_paragraph = parent is not None and parent.kind == "paragraph" and not parent.is_heading
        own = _own_citation(clause, index, in_paragraph)
        is_heading = bool(clause.heading.strip()) or clause.kind in STRUCTURAL_KINDS
        node = ClauseNode(
            key=clause.key,
            anchor=clause_anchor(clause.key),
            number=clause.number,
            heading=clause.heading,
            kind=clause.kind,
            text=clause.text,
            # A heading-type clause is cited on its own ("Guideline 4", "§ 12"),
            # what lies inside it after it ("Guideline 4, paragraph 2").
            citation=f"{parent.citation}, {own}" if parent and not is_heading else own,
            is_heading=is_heading,
            rank=(parent.rank if parent else 0) + (1 if is_heading else 0),
            parent_key=parent.key if parent else None,
        )
        nodes[clause.key] = node
        owns[clause.key] = own
        (parent.children if parent else roots).append(node)
    _make_unique(roots, nodes, owns)
    return roots, nodes


def _recite(node: ClauseNode, old: str, new: str) -> None:
    """Give ``node`` the citation ``new`` and its subtree the same change of prefix."""
    node.citation = new
    for child in node.children:
        if child.citation.startswith(f"{old}, "):
            _recite(child, child.citation, new + child.citation[len(old) :])


def _neighbour_name(node: ClauseNode, siblings: Sequence[ClauseNode], owns: dict[str, str]) -> str:
    """Name an unnumbered block by the numbered sibling before it, or else after it."""
    at = next(i for i, s in enumerate(siblings) if s is node)
    before = [s for s in siblings[:at] if s.number.strip() and not s.is_heading]
    if before:
        return str(_("text after %(clause)s", clause=owns[before[-1].key]))
    after = [s for s in siblings[at + 1 :] if s.number.strip() and not s.is_heading]
    if after:
        return str(_("text before %(clause)s", clause=owns[after[0].key]))
    return ""


def _make_unique(
    roots: list[ClauseNode], nodes: dict[str, ClauseNode], owns: dict[str, str]
) -> None:
    """Rename citations that two clauses share, so that each names one clause.

    Several preamble blocks become its paragraphs; an unnumbered block that
    shares a numbered sibling's citation is named by its place among the
    numbers ("text after number 4"); a heading cited like another is cited
    within its parent ("Kapitel 2, Abschnitt 1"); any clause still doubled
    after that gets its occurrence ("…, occurrence 2").
    """
    counts = Counter(node.citation for node in nodes.values())
    preambles = [n for n in roots if n.kind == "preamble" and not n.is_heading]
    if len(preambles) > 1:
        for index, node in enumerate(preambles, start=1):
            _recite(node, node.citation, str(_("Preamble, paragraph %(number)s", number=index)))
    for node in list(nodes.values()):
        if node.number.strip() or node.is_heading:
            continue
        parent = nodes.get(node.parent_key) if node.parent_key else None
        # Inside "(1)", a sentence among its numbers is not "paragraph 1" of it.
        in_paragraph = parent is not None and parent.kind == "paragraph" and bool(parent.number)
        if counts[node.citation] < 2 and not in_paragraph:
            continue
        name = _neighbour_name(node, parent.children if parent else roots, owns)
        if name:
            new = f"{parent.citation}, {name}" if parent else name
            _recite(node, node.citation, new)
    counts = Counter(node.citation for node in nodes.values())
    for node in nodes.values():
        if counts[node.citation] > 1 and node.is_heading and node.parent_key:
            parent = nodes[node.parent_key]
            _recite(node, node.citation, f"{parent.citation}, {node.citation}")
    seen: Counter[str] = Counter()
    for node in nodes.values():
        seen[node.citation] += 1
        if seen[node.citation] > 1:
            new = str(
                _(
                    "%(citation)s, occurrence %(number)s",
                    citation=node.citation,
                    number=seen[node.citation],
                )
            )
            _recite(node, node.citation, new)


def build_toc(roots: Sequence[ClauseNode]) -> list[TocEntry]:
    """Return the table of contents: the heading-type clauses, nested as in the text."""
    entries: list[TocEntry] = []
    for node in roots:
        below = build_toc(node.children)
        if node.is_heading:
            entries.append(TocEntry(node.anchor, node.number, node.heading, below))
        else:
            entries.extend(below)
    return entries


def _version_clauses(version: Version) -> list[Clause]:
    return list(
        db.session.scalars(
            select(Clause).where(Clause.version_id == version.id).order_by(Clause.position)
        )
    )


def _headers(version: Version, clause_count: int) -> tuple[DocumentSummary, VersionSummary]:
    document = version.document
    summary = _summarise_version(version, {version.id: clause_count})
    return DocumentSummary(document.slug, document.title, kind_label(document.kind), ()), summary


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


def version_page(version: Version) -> VersionPage:
    """Return a version's clause tree and table of contents (one SELECT for the clauses)."""
    clauses = _version_clauses(version)
    roots, nodes = build_tree(clauses)
    for key, html in clause_html(version, clauses).items():
        nodes[key].rendered = html
    document, summary = _headers(version, len(clauses))
    return VersionPage(document, summary, roots, build_toc(roots))


def _crumb(node: ClauseNode) -> Crumb:
    return Crumb(node.key, node.label)


def clause_page(version: Version, key: str) -> ClausePage:
    """Return the page of clause `key` of `version`, or raise NotFound."""
    clauses = _version_clauses(version)
    order = [c.key for c in clauses]
    if key not in order:
        raise NotFound(
            _("version %(number)s has no clause '%(key)s'", number=version.number, key=key)
        )
    _roots, nodes = build_tree(clauses)
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
    document, summary = _headers(version, len(clauses))
    return ClausePage(
        document=document,
        version=summary,
        clause=node,
        ancestors=tuple(ancestors),
        previous=previous,
        next=following,
        offset=1 - node.rank,
    )
