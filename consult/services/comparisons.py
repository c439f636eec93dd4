"""Comparing two versions of a document: computed once per pair, stored, and reused.

`compare_versions` aligns the stored clauses of two versions (every clause of
both accounted for once), diffs the text of each pair whose text changed, and
returns plain data ready for the pages, the CLI and the CSV. The alignment
and the diffs are stored as JSON in the `comparison` table the first time a
pair of published versions is compared, so that every later request, in any
worker, reads them back instead of computing them again. A comparison that
involves a draft is computed each time and never stored (the draft may be
discarded or, in principle, replaced).

What is stored is independent of the reader's language: clause citations
("Guideline 4, paragraph 2") are built when the comparison is read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.domain.alignment import STATUSES, AlignedPair, ClauseText, align, clause_texts
from consult.domain.diff import Ops, word_diff
from consult.domain.reader_text import reader_text
from consult.extensions import db
from consult.languages import language_in_sentence
from consult.models import Clause, Version
from consult.models import Comparison as StoredComparison
from consult.services import language_texts, translations
from consult.services.clause_tree import build_tree
from consult.services.errors import NotFound
from consult.services.transactions import write_transaction

#: Names the alignment and diff code whose results are stored: change it whenever
#: consult/domain/alignment, consult/domain/diff.py or the settings below change,
#: so that comparisons stored by older code are not reused.
ALGORITHM = "align-7/t0.50/k0.00/diff-5"

#: The least word similarity for two different texts to be matched.
THRESHOLD = 0.5

#: Stored versions carry their clause keys forward on import (the drafter checks
#: the matching in the preview, and may mark a clause new), so the keys alone
#: say which clause continues which (``align(carried=True)``), as the comments
#: and the history follow them; text only finds splits and merges.
KEY_THRESHOLD = 0.0


@dataclass(frozen=True)
class ClauseSide:
    """One clause on one side of a row: key, display number (citation), heading, text."""

    key: str
    number: str
    heading: str
    text: str


@dataclass(frozen=True)
class Row:
    """One entry of a comparison, in the newer version's order.

    `diff` (word diff operations) is set when both sides exist and their texts
    differ, `heading_diff` when their headings differ; the pages draw them
    with the `diff` macro.
    """

    status: str
    old: tuple[ClauseSide, ...]
    new: tuple[ClauseSide, ...]
    similarity: float
    text_changed: bool
    diff: Ops | None
    heading_diff: Ops | None

    @property
    def old_number(self) -> str:
        """The old clause's display number (several joined for a merge)."""
        return "; ".join(c.number for c in self.old)

    @property
    def new_number(self) -> str:
        """The new clause's display number (several joined for a split)."""
        return "; ".join(c.number for c in self.new)

    @property
    def old_text(self) -> str:
        """The old clause text as a reader sees it (several joined for a merge)."""
        return _join(reader_text(c.text) for c in self.old)

    @property
    def new_text(self) -> str:
        """The new clause text as a reader sees it (several joined for a split)."""
        return _join(reader_text(c.text) for c in self.new)

    @property
    def old_heading(self) -> str:
        """The old clause heading (several joined for a merge)."""
        return _join_headings(c.heading for c in self.old)

    @property
    def new_heading(self) -> str:
        """The new clause heading (several joined for a split)."""
        return _join_headings(c.heading for c in self.new)

    @property
    def is_change(self) -> bool:
        """Whether anything happened to the clause (any status but unchanged)."""
        return self.status != "unchanged"

    @property
    def number_changed(self) -> bool:
        """Whether the clause has a different display number in the newer version."""
        return bool(self.old and self.new and self.old_number != self.new_number)


@dataclass(frozen=True)
class VersionRef:
    """A version as named on the comparison pages."""

    number: int
    label: str
    status: str


@dataclass(frozen=True)
class Comparison:
    """Two versions compared: counts per status, and every row in the newer version's order."""

    slug: str
    title: str
    old: VersionRef
    new: VersionRef
    summary: dict[str, int]
    rows: tuple[Row, ...]

    def row_for_old_key(self, key: str) -> Row | None:
        """Return the row holding the old clause `key`, or None."""
        return next((r for r in self.rows if any(c.key == key for c in r.old)), None)

    def renumbering(self) -> list[tuple[str, ClauseSide, ClauseSide]]:
        """Return (status, old clause, new clause) for each clause whose number changed."""
        found = []
        for row in self.rows:
            for old in row.old:
                for new in row.new:
                    if old.number != new.number:
                        found.append((row.status, old, new))
        return found


def _join(texts: Any) -> str:
    return "\n\n".join(t for t in texts if t)


def _join_headings(headings: Any) -> str:
    return " / ".join(h for h in headings if h)


def compare_versions(old: Version, new: Version, language: str = "") -> Comparison:
    """Return the comparison of two versions of one document (`old` may be the newer one),
    in `language` when given: one both versions have (see `shared_languages`).

    Between published versions it is computed at most once and then read
    from the database; with a draft it is computed and not stored. In another
    language, the clauses are matched as in the originals (a clause is the
    same clause in every language) and the words compared are the language's.
    """
    storable = old.is_published and new.is_published
    payload = _stored_payload(old, new) if storable else None
    if payload is None:
        payload = compute_payload(_clauses(old), _clauses(new))
        payload["citations"] = _citations(payload)
        if storable:
            payload = _store(old, new, payload)
    if language and not (language == old.text_language == new.text_language):
        payload = _in_language(payload, old, new, language)
    return _comparison(old, new, payload)


def shared_languages(old: Version, new: Version) -> list[str]:
    """The languages both versions can be read in: the newer's own first, then the others."""
    first = language_texts.published_languages(new)
    second = language_texts.published_languages(old)
    return [language for language in first if language in second]


def _words_in(version: Version, language: str) -> dict[str, tuple[str, str, str]]:
    """Each clause's number, heading and text in `language`, by key; NotFound without it."""
    translation = None
    if language != version.text_language:
        try:
            translation = translations.get_translation(version, language)
        except NotFound:
            translation = None
        if translation is None or not translation.is_published:
            raise NotFound(
                _(
                    "Version %(number)s has no text in %(language)s.",
                    number=version.number,
                    language=language_in_sentence(language),
                )
            )
    clauses = db.session.scalars(
        select(Clause).where(Clause.version_id == version.id).order_by(Clause.position)
    )
    return {
        c.key: (c.number, c.heading, c.text)
        for c in language_texts.text_in(list(clauses), translation)
    }


def _in_language(
    payload: dict[str, Any], old: Version, new: Version, language: str
) -> dict[str, Any]:
    """The comparison with each clause's words in `language` and its diffs made again."""
    sides = {}
    for side, version in (("old", old), ("new", new)):
        words = _words_in(version, language)
        sides[side] = [[c[0], *words[c[0]], *c[4:]] for c in payload[side]]
    rows = []
    for status, olds, news, similarity, _changed, _text_ops, _heading_ops in payload["rows"]:
        text_ops = heading_ops = None
        changed = False
        if olds and news:
            a = _join(sides["old"][i][3] for i in olds)
            b = _join(sides["new"][j][3] for j in news)
            ha = _join_headings(sides["old"][i][2] for i in olds)
            hb = _join_headings(sides["new"][j][2] for j in news)
            if reader_text(a) != reader_text(b):
                text_ops, changed = word_diff(a, b), True
            if reader_text(ha) != reader_text(hb):
                heading_ops = word_diff(ha, hb)
        rows.append([status, olds, news, similarity, changed, text_ops, heading_ops])
    return {"old": sides["old"], "new": sides["new"], "rows": rows}


def clause_texts_of(version: Version) -> list[ClauseText]:
    """Return the stored clauses of `version` as plain data, in document order."""
    return _clauses(version)


def _clauses(version: Version) -> list[ClauseText]:
    rows = db.session.scalars(
        select(Clause).where(Clause.version_id == version.id).order_by(Clause.position)
    )
    return clause_texts(rows)


def _stored_payload(old: Version, new: Version) -> dict[str, Any] | None:
    text = db.session.scalar(
        select(StoredComparison.payload).where(
            StoredComparison.old_version_id == old.id,
            StoredComparison.new_version_id == new.id,
            StoredComparison.algorithm == ALGORITHM,
        )
    )
    return None if text is None else cast(dict[str, Any], json.loads(text))


def _store(old: Version, new: Version, payload: dict[str, Any]) -> dict[str, Any]:
    """Store the payload; when another request stored it first, return the stored one."""
    old_id, new_id = old.id, new.id
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    try:
        with write_transaction():
            db.session.add(
                StoredComparison(
                    old_version_id=old_id, new_version_id=new_id, algorithm=ALGORITHM, payload=text
                )
            )
    except IntegrityError:
        stored = _stored_payload(old, new)
        if stored is not None:
            return stored
        raise
    return payload


def compute_payload(old: Sequence[ClauseText], new: Sequence[ClauseText]) -> dict[str, Any]:
    """Return the comparison of two clause lists as JSON-ready data (no localised text)."""
    alignment = align(old, new, threshold=THRESHOLD, key_threshold=KEY_THRESHOLD, carried=True)
    old_index = {id(c): n for n, c in enumerate(old)}
    new_index = {id(c): n for n, c in enumerate(new)}
    rows = [_payload_row(p, old_index, new_index) for p in alignment.pairs]
    return {
        "old": [_payload_clause(c) for c in old],
        "new": [_payload_clause(c) for c in new],
        "rows": rows,
    }


def _payload_clause(c: ClauseText) -> list[Any]:
    return [c.key, c.number, c.heading, c.text, c.parent_key, c.position, c.kind]


def _payload_row(pair: AlignedPair, old_index: dict[int, int], new_index: dict[int, int]) -> Any:
    text_ops = heading_ops = None
    if pair.old and pair.new and pair.text_changed:
        # Diffs are of the texts as a reader sees them: none where only the wrapping differs.
        a, b = _join(c.text for c in pair.old), _join(c.text for c in pair.new)
        if reader_text(a) != reader_text(b):
            text_ops = word_diff(a, b)
        ha, hb = (
            _join_headings(c.heading for c in pair.old),
            _join_headings(c.heading for c in pair.new),
        )
        if reader_text(ha) != reader_text(hb):
            heading_ops = word_diff(ha, hb)
    return [
        pair.status,
        [old_index[id(c)] for c in pair.old],
        [new_index[id(c)] for c in pair.new],
        round(pair.similarity, 4),
        pair.text_changed,
        text_ops,
        heading_ops,
    ]


def _cite(clauses: list[list[Any]]) -> list[str]:
    texts = [ClauseText(*c) for c in clauses]
    # build_tree reads only the fields a ClauseText has.
    _roots, nodes = build_tree(cast("Sequence[Clause]", texts))
    return [nodes[t.key].citation for t in texts]


def _locale() -> str:
    return str(get_locale() or "")


def _citations(payload: dict[str, Any]) -> dict[str, Any]:
    """Return the clauses' citations in the current language, to store beside the payload.

    Citations are translated text: they are reused only by readers of the same
    language and built afresh for others.
    """
    return {"locale": _locale(), "old": _cite(payload["old"]), "new": _cite(payload["new"])}


def _sides(payload: dict[str, Any], side: str) -> list[ClauseSide]:
    stored: dict[str, Any] = payload.get("citations") or {}
    reuse = stored.get("locale") == _locale()
    numbers: list[str] = stored[side] if reuse else _cite(payload[side])
    return [
        ClauseSide(c[0], number, c[2], c[3])
        for c, number in zip(payload[side], numbers, strict=True)
    ]


def _ops(value: list[list[str]] | None) -> Ops | None:
    return None if value is None else cast(Ops, tuple(map(tuple, value)))


def _comparison(old: Version, new: Version, payload: dict[str, Any]) -> Comparison:
    old_sides, new_sides = _sides(payload, "old"), _sides(payload, "new")
    rows = tuple(
        Row(
            status=status,
            old=tuple(old_sides[i] for i in olds),
            new=tuple(new_sides[j] for j in news),
            similarity=similarity,
            text_changed=changed,
            diff=_ops(text_ops),
            heading_diff=_ops(heading_ops),
        )
        for status, olds, news, similarity, changed, text_ops, heading_ops in payload["rows"]
    )
    counts = dict.fromkeys(STATUSES, 0)
    for row in rows:
        counts[row.status] += 1
    document = new.document
    return Comparison(
        slug=document.slug,
        title=document.title,
        old=VersionRef(old.number, old.label, old.status),
        new=VersionRef(new.number, new.label, new.status),
        summary=counts,
        rows=rows,
    )
