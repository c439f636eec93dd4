"""A version's preview, computed once and stored: its clauses, warnings and matching.

The preview of a 2,000-clause revision aligns it with the previous published
version and diffs every changed pair, which takes seconds. It is stored in the
``draft_preview`` table under a digest of everything it depends on (the
algorithm, the previous published version, the version's clauses as stored:
keys, numbers, texts), so that any worker on any host reads it back. A
correction of the matching re-keys the draft's clauses, which changes the
digest; ``rematch_version`` also deletes the row in its own transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from consult.domain.alignment import STATUSES, ClauseText
from consult.domain.diff import Ops
from consult.domain.parsing import DraftError, parse_text
from consult.extensions import db
from consult.models import Clause, DraftPreview, Version
from consult.services import carry, comparisons, parse_messages
from consult.services.transactions import write_transaction
from consult.source_digest import source_digest

#: Names the code whose results are stored: change it when the payload's shape changes
#: (the digest of the modules that write citations and labels changes by itself).
ALGORITHM = (
    "preview-1/"
    + comparisons.ALGORITHM
    + "/"
    + source_digest("consult.labels", "consult.services.clause_tree", "consult.domain.diff")
)


@dataclass(frozen=True)
class PreviewPair:
    """One pairing of the matching: old clause(s), new clause(s), what became of them.

    ``diff`` and ``heading_diff`` are word diffs (``consult.domain.diff``) where
    the text or the heading changed as a reader sees it.
    """

    status: str
    old: tuple[ClauseText, ...]
    new: tuple[ClauseText, ...]
    similarity: float
    text_changed: bool
    diff: Ops | None
    heading_diff: Ops | None


@dataclass(frozen=True)
class Preview:
    """What the preview of a version shows, as plain data.

    ``previous_number`` is None (and ``pairs`` empty) when no published version
    comes before it: there is nothing to match.
    """

    clauses: tuple[ClauseText, ...]
    warnings: tuple[str, ...]
    facts: Mapping[str, str]
    previous_number: int | None
    old_clauses: tuple[ClauseText, ...]
    pairs: tuple[PreviewPair, ...]

    @property
    def old_keys(self) -> frozenset[str]:
        """The keys of the previous published version's clauses."""
        return frozenset(c.key for c in self.old_clauses)

    def summary(self) -> dict[str, int]:
        """Return the number of pairings per status, every status present."""
        counts = dict.fromkeys(STATUSES, 0)
        for pair in self.pairs:
            counts[pair.status] += 1
        return counts


@dataclass(frozen=True)
class PublishFacts:
    """What publishing a version will do, in numbers, for the confirmation page."""

    clauses: int
    previous_number: int | None
    continuing: int  # clauses that take an old clause's key, comments and history
    added: int
    removed: int  # clauses of the previous version that no clause continues


def publish_facts(preview: Preview) -> PublishFacts:
    """Return the counts the confirmation page states, from the matching as it stands."""
    old_keys = preview.old_keys
    continuing = sum(1 for c in preview.clauses if c.key in old_keys)
    new_keys = {c.key for c in preview.clauses}
    removed = sum(1 for key in old_keys if key not in new_keys)
    return PublishFacts(
        len(preview.clauses),
        preview.previous_number,
        continuing,
        len(preview.clauses) - continuing,
        removed,
    )


def version_preview(version: Version) -> Preview:
    """Return the preview of ``version``, read from the database when stored and still true.

    Computed (and stored for every later request) only when no row holds the
    digest of the version's present clauses and predecessor.
    """
    clauses = _clauses(version.id)
    previous = carry.previous_published(version)
    digest = _digest(version.id, previous, clauses)
    text = db.session.scalar(
        select(DraftPreview.payload).where(
            DraftPreview.version_id == version.id, DraftPreview.digest == digest
        )
    )
    if text is not None:
        payload = cast(dict[str, Any], json.loads(text))
    else:
        payload = compute_preview(version, previous, clauses)
        _store(version.id, digest, payload)
    return _preview(payload)


def forget_preview(version: Version) -> None:
    """Delete the stored preview of ``version`` (inside the caller's write transaction)."""
    db.session.execute(delete(DraftPreview).where(DraftPreview.version_id == version.id))


def _clauses(version_id: int) -> list[ClauseText]:
    columns = (
        Clause.key,
        Clause.number,
        Clause.heading,
        Clause.text,
        Clause.parent_key,
        Clause.position,
        Clause.kind,
    )
    query = select(*columns).where(Clause.version_id == version_id).order_by(Clause.position)
    return [ClauseText(*row) for row in db.session.execute(query)]


def _digest(version_id: int, previous: Version | None, clauses: Sequence[ClauseText]) -> str:
    """Return the SHA-256 of what the preview depends on."""
    basis = [
        ALGORITHM,
        version_id,
        None if previous is None else previous.id,
        [_clause_row(c) for c in clauses],
    ]
    text = json.dumps(basis, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clause_row(c: ClauseText) -> list[Any]:
    return [c.key, c.number, c.heading, c.text, c.parent_key, c.position, c.kind]


def compute_preview(
    version: Version, previous: Version | None, clauses: Sequence[ClauseText]
) -> dict[str, Any]:
    """Return the preview as JSON-ready data: warnings, facts, clauses and the matching."""
    try:
        parsed = parse_text(version.source_text, version.source_filename)
    except DraftError as err:  # text imported under an older, more lenient parser
        warnings: list[dict[str, Any]] = [parse_messages.stored(err.problem)]
        facts: dict[str, str] = {}
    else:
        warnings = [parse_messages.stored(w) for w in parsed.warnings]
        given = {
            "symbol": parsed.symbol,
            "publisher": parsed.publisher,
            "language": parsed.language,
        }
        facts = {name: value for name, value in given.items() if value is not None}
    if previous is None:
        matching: dict[str, Any] = {"old": [], "new": [_clause_row(c) for c in clauses], "rows": []}
    else:
        old = comparisons.clause_texts_of(previous)
        matching = comparisons.compute_payload(old, clauses)
    return {
        "warnings": warnings,
        "facts": facts,
        "previous": None if previous is None else previous.number,
        **matching,
    }


def _store(version_id: int, digest: str, payload: dict[str, Any]) -> None:
    """Replace the version's stored preview; when another request stored one first, keep it."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    try:
        with write_transaction():
            db.session.execute(delete(DraftPreview).where(DraftPreview.version_id == version_id))
            db.session.add(DraftPreview(version_id=version_id, digest=digest, payload=text))
    except IntegrityError:
        pass  # a concurrent request stored it: this request's result is as good


def _ops(value: list[list[str]] | None) -> Ops | None:
    return None if value is None else cast(Ops, tuple(map(tuple, value)))


def _preview(payload: dict[str, Any]) -> Preview:
    old = tuple(ClauseText(*c) for c in payload["old"])
    new = tuple(ClauseText(*c) for c in payload["new"])
    pairs = tuple(
        PreviewPair(
            status,
            tuple(old[i] for i in olds),
            tuple(new[j] for j in news),
            similarity,
            changed,
            _ops(text_ops),
            _ops(heading_ops),
        )
        for status, olds, news, similarity, changed, text_ops, heading_ops in payload["rows"]
    )
    return Preview(
        clauses=new,
        warnings=tuple(parse_messages.read_back(w) for w in payload["warnings"]),
        facts=dict(payload["facts"]),
        previous_number=payload["previous"],
        old_clauses=old,
        pairs=pairs,
    )
