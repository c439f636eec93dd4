"""The comparison page as a reader takes it in: runs of unchanged clauses folded, and
the rendered clauses of a stored comparison kept in the database.

A comparison of two published versions never changes, and neither does the
HTML that shows it in one language and one view: the page's clauses are
rendered once per way of showing them and stored (`ComparisonFragment`), so
that a later request, in any worker, sends them without reading the stored
alignment again. A comparison with a draft is rendered each time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.languages import language_in_sentence
from consult.models import ComparisonFragment, Version
from consult.services.comparison_choice import VersionFilter, pick_versions
from consult.services.comparisons import (
    ALGORITHM,
    Comparison,
    Row,
    VersionRef,
    compare_versions,
    shared_languages,
)
from consult.services.errors import NotFound
from consult.services.transactions import write_transaction
from consult.source_digest import source_digest

#: What the page does with unchanged clauses: fold each run of them (the default),
#: hide them, or show every clause.
UNCHANGED = ("fold", "hide", "show")


@dataclass(frozen=True)
class Run:
    """Consecutive rows of a comparison that are shown alike.

    `start` is the index of the first row among the comparison's rows (it names
    the run in a link that opens it); `unchanged` says whether its clauses are
    all unchanged, and `folded` whether they are shown folded (only a count and
    their numbers) rather than in full.
    """

    start: int
    rows: tuple[Row, ...]
    unchanged: bool
    folded: bool

    @property
    def numbers(self) -> list[str]:
        """The display numbers of the run's clauses, in order."""
        return [row.new_number if row.new else row.old_number for row in self.rows]


def runs(rows: Sequence[Row], unchanged: str = "fold", opened: int | None = None) -> list[Run]:
    """Return the rows to show, in runs: with `unchanged` "fold", each run of unchanged
    clauses is folded except the one starting at row `opened`; with "hide" those runs
    are left out; with "show" every row is one run, shown in full."""
    if unchanged == "show":
        return [Run(0, tuple(rows), False, False)] if rows else []
    shown: list[Run] = []
    start = 0
    while start < len(rows):
        same = rows[start].status == "unchanged"
        end = start + 1
        while end < len(rows) and (rows[end].status == "unchanged") == same:
            end += 1
        if not (same and unchanged == "hide"):
            folded = same and start != opened
            shown.append(Run(start, tuple(rows[start:end]), same, folded))
        start = end
    return shown


@dataclass(frozen=True)
class ComparisonView:
    """The comparison page: the document, the versions to pick from (oldest first),
    the two compared (None when there are fewer than two), and their clauses as HTML.

    `html` is the rendered summary and clauses, read from the database when they
    were stored, or rendered now; it is None when nothing is compared.
    """

    slug: str
    title: str
    versions: tuple[VersionRef, ...]
    old: VersionRef | None
    new: VersionRef | None
    html: str | None
    languages: tuple[str, ...] = ()  # the languages both versions can be read in
    language: str = ""  # the one compared


#: Renders a comparison's summary and clauses, shown in the given runs, as HTML.
Render = Callable[[Comparison, list[Run]], str]


def comparison_view(
    slug: str,
    visible: VersionFilter,
    old: int | None,
    new: int | None,
    *,
    compare: bool,
    unchanged: str,
    opened: int | None,
    variant: str,
    render: Render,
    language: str = "",
) -> ComparisonView:
    """Return the comparison page of versions `old` and `new` (by default the newest
    two the reader may see), its clauses rendered by `render`.

    Between published versions the rendering is stored under `variant` (a string
    naming everything else the HTML depends on: templates, language, view) and
    read back on later requests.

    `language` is one both versions can be read in ('' for the newer one's own).

    Raises NotFound for an unknown document or a version the reader may not see,
    or a language the two versions do not share.
    """
    document, refs, pair = pick_versions(slug, visible, old, new, compare=compare)
    if pair is None:
        return ComparisonView(document.slug, document.title, refs, None, None, None)
    older, newer = pair
    # Two versions in different languages, with no language in common, are compared as
    # they are written (each in its own).
    languages = tuple(shared_languages(older, newer))
    if not language:
        language = languages[0] if languages else ""
    elif language not in languages:
        raise NotFound(
            _(
                "Versions %(old)s and %(new)s are not both in %(language)s.",
                old=older.number,
                new=newer.number,
                language=language_in_sentence(language),
            )
        )
    key = _key(f"{variant}\n{language}")
    storable = older.is_published and newer.is_published
    html = _stored(older, newer, key) if storable else None
    if html is None:
        comparison = compare_versions(older, newer, language)
        shown = runs(comparison.rows, unchanged, opened)
        html = render(comparison, shown)
        # Only a run that exists is stored opened: any other number shows the page
        # with every run folded, rendered each time, so that made-up links store nothing.
        if storable and (opened is None or any(r.start == opened and r.unchanged for r in shown)):
            _store(older, newer, key, html)
    return ComparisonView(
        document.slug, document.title, refs, _ref(older), _ref(newer), html, languages, language
    )


def _ref(version: Version) -> VersionRef:
    return VersionRef(version.number, version.label, version.status)


# The code the stored HTML depends on besides its templates (named in `variant`).
_CODE = (
    "consult.labels",
    "consult.moments",
    "consult.services.clause_tree",
    "consult.domain.diff",
    "consult.domain.rendering",
    "consult.web.compare",
)


def _key(variant: str) -> str:
    code = source_digest(*_CODE)
    return hashlib.sha256(f"{ALGORITHM}\n{code}\n{variant}".encode()).hexdigest()


def _stored(old: Version, new: Version, key: str) -> str | None:
    return db.session.scalar(
        select(ComparisonFragment.html).where(
            ComparisonFragment.old_version_id == old.id,
            ComparisonFragment.new_version_id == new.id,
            ComparisonFragment.variant == key,
        )
    )


def _store(old: Version, new: Version, key: str, html: str) -> None:
    """Store the rendering; another request may have stored the same one first."""
    old_id, new_id = old.id, new.id
    try:
        with write_transaction():
            db.session.add(
                ComparisonFragment(
                    old_version_id=old_id, new_version_id=new_id, variant=key, html=html
                )
            )
    except IntegrityError:
        pass  # the same HTML, stored by a concurrent request
