"""Clause keys across versions: carried forward on import, corrected by the drafter.

When version N+1 of a document is imported, its clauses are aligned against
the latest published version and each clause that continues an old one takes
the old clause's key (``carry_keys``), so that its comments and history follow
it even when it was reworded, moved or renumbered. Keys written in the text
(``{#key}``) are never changed.

The drafter checks the result in the preview: ``proposed_matching`` shows the
matching the draft's keys imply, and ``rematch_version`` re-keys a draft
version's clauses when the drafter ties a clause to another old clause or
marks it new. Nothing is stored besides the keys themselves: the matching
shown is always recomputed from them, so it cannot disagree with what the
comments and the history will follow once the version is published.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult.domain.alignment import Alignment, ClauseText, align, carry_keys, clause_texts
from consult.domain.parsing import DraftError, ParsedClause, ParseMessage, parse_text
from consult.extensions import db
from consult.models import Clause, DraftPreview, User, Version
from consult.services import audit, parse_messages
from consult.services.errors import Refused, ServiceError
from consult.services.transactions import write_transaction


def explicit_keys(clauses: Iterable[ParsedClause]) -> frozenset[str]:
    """Return the keys of ``clauses`` that the text writes as ``{#key}`` markers."""
    return frozenset(clause.key for clause in clauses if clause.key_is_explicit)


def _written_keys(version: Version) -> frozenset[str]:
    """Return the keys that ``version``'s stored text writes as ``{#key}`` markers.

    The text is read again by the parser, which imported it: a ``{#key}`` that
    the parser does not take as a marker (inside a paragraph) is not a key.
    Raises ServiceError when the text no longer parses.
    """
    try:
        parsed = parse_text(version.source_text, version.source_filename)
    except DraftError as err:
        raise ServiceError(
            parse_messages.translated(ParseMessage(err.problem.template, err.problem.values)),
            line=err.line,
        ) from err
    return explicit_keys(parsed.clauses)


def previous_published(version: Version) -> Version | None:
    """Return the latest published version of the same document numbered before ``version``."""
    return _latest_published(version.document_id, version.number)


def _latest_published(document_id: int, before: int) -> Version | None:
    return db.session.scalar(
        select(Version)
        .where(
            Version.document_id == document_id,
            Version.number < before,
            Version.status == "published",
        )
        .order_by(Version.number.desc())
        .limit(1)
    )


def carried_keys(
    document_id: int, number: int, clauses: Sequence[ParsedClause]
) -> tuple[Version | None, dict[str, str]]:
    """Return the version keys are carried from, and parsed key -> key to store instead.

    ``number`` is the new version's number; the old clauses are those of the
    latest published version before it (none: nothing is carried). Parent keys
    must be mapped with the same dictionary. Keys written in the text
    (``key_is_explicit``) are never changed.
    """
    previous = _latest_published(document_id, number)
    if previous is None or not clauses:
        return previous, {}
    old = clause_texts(previous.clauses)
    new = clause_texts(clauses)
    explicit = explicit_keys(clauses)
    # A key the drafter wrote that names an old clause ties the two, whatever the text:
    # the rest is then aligned around it.
    old_keys = _keys(old)
    forced: dict[str, str | None] = {key: key for key in explicit if key in old_keys}
    mapping = carry_keys(old, new, align(old, new, forced=forced), explicit=explicit)
    return previous, mapping


@dataclass(frozen=True)
class Matching:
    """The matching of a draft version against the published version it follows."""

    previous: Version
    alignment: Alignment
    old_keys: frozenset[str]


def proposed_matching(version: Version) -> Matching | None:
    """Return how ``version``'s clauses continue those of the previous published version.

    None when there is no earlier published version. The alignment is the one
    the stored keys imply: a clause whose key is an old key continues that old
    clause; any other clause is added, or a further part of a split.
    """
    previous = previous_published(version)
    if previous is None:
        return None
    old = clause_texts(previous.clauses)
    return Matching(previous, keyed_alignment(old, clause_texts(version.clauses)), _keys(old))


def _keys(clauses: Iterable[ClauseText]) -> frozenset[str]:
    return frozenset(clause.key for clause in clauses)


def keyed_alignment(
    old: Sequence[ClauseText], new: Sequence[ClauseText], *, threshold: float = 0.5
) -> Alignment:
    """Return the alignment that the keys of two stored versions imply.

    Keys were carried at import and corrected by the drafter, so they alone
    tie one clause to another (``carried``); text only finds splits and merges.
    The comparison pages and the preview use it, so that they say what the
    comments and the history follow.
    """
    return align(old, new, threshold=threshold, key_threshold=0.0, carried=True)


def continued_key(clause_key: str, old_keys: Collection[str]) -> str | None:
    """Return the old key a clause continues (its own key when that is an old key), else None."""
    return clause_key if clause_key in old_keys else None


@dataclass(frozen=True)
class Rematch:
    """What a correction did: stored key -> new key for every clause re-keyed."""

    renamed: dict[str, str]


def rematch_version(
    version: Version, corrections: Mapping[str, str | None], actor: User | None
) -> Rematch:
    """Re-key a draft version's clauses so that each corrected clause continues its choice.

    ``corrections`` maps a clause key of the draft to the old key it continues,
    or to None for a new clause. A tied clause takes the old key (a clause of
    the draft that held it gets a fresh key); a clause marked new gets a fresh
    key that no published version of the document has used. Raises Refused for
    a published version or one with no published predecessor, ServiceError for
    an unknown key, an old key chosen twice or a key written in the text;
    nothing is changed then. Records a "version.rematch" audit event.
    """
    if version.is_published:
        raise Refused(
            _(
                "version %(number)s is published: its clauses can no longer be re-matched",
                number=version.number,
            )
        )
    previous = previous_published(version)
    if previous is None:
        raise Refused(
            _(
                "version %(number)s follows no published version: nothing to match",
                number=version.number,
            )
        )
    # Checked before the write transaction: it parses the draft's text again.
    renamed = _renames(version, previous, corrections)
    if renamed:
        with write_transaction():
            _apply(version, renamed)
            # The stored preview showed the old keys: the next request computes it again.
            db.session.execute(delete(DraftPreview).where(DraftPreview.version_id == version.id))
            audit.record_version(
                actor,
                "version.rematch",
                version,
                previous=previous.number,
                tied={k: v for k, v in corrections.items() if v is not None and k != v},
                marked_new=sorted(k for k, v in corrections.items() if v is None),
                renamed=renamed,
            )
    return Rematch(renamed)


def _renames(
    version: Version, previous: Version, corrections: Mapping[str, str | None]
) -> dict[str, str]:
    """Return stored key -> new key for the clauses that change, after checking everything."""
    current = [clause.key for clause in version.clauses]
    present = set(current)
    old_keys = {clause.key for clause in previous.clauses}
    unknown = sorted(key for key in corrections if key not in present)
    if unknown:
        raise ServiceError(
            _("version %(number)s has no clause '%(key)s'", number=version.number, key=unknown[0])
        )
    chosen: dict[str, str] = {}
    for new_key, old_key in corrections.items():
        if old_key is None:
            continue
        if old_key not in old_keys:
            raise ServiceError(
                _("version %(number)s has no clause '%(key)s'", number=previous.number, key=old_key)
            )
        if old_key in chosen:
            raise ServiceError(
                _(
                    "old clause '%(old)s' cannot be continued by both '%(first)s' "
                    "and '%(second)s': tie it to one of them only",
                    old=old_key,
                    first=chosen[old_key],
                    second=new_key,
                )
            )
        chosen[old_key] = new_key
    target: dict[str, str | None] = {}  # stored key -> wanted key, None for a fresh one
    for new_key, old_key in corrections.items():
        if old_key is not None and old_key != new_key:
            target[new_key] = old_key
        elif old_key is None and new_key in old_keys:
            target[new_key] = None
    for old_key in chosen:  # a clause that held a key now taken elsewhere loses it
        if old_key in present and old_key not in corrections:
            target[old_key] = None
    written = _written_keys(version)
    for key in target:
        if key in written:
            raise ServiceError(
                _(
                    "the key of clause '%(key)s' is written in the draft's text ({#%(key)s}): "
                    "change it in the text and upload the draft again",
                    key=key,
                )
            )
    used = _document_keys(version.document_id) | present | set(chosen)
    renamed: dict[str, str] = {}
    for key in current:  # document order, so fresh keys are deterministic
        if key not in target:
            continue
        wanted = target[key]
        if wanted is None:
            wanted = _fresh(key, used)
            used.add(wanted)
        renamed[key] = wanted
    return renamed


def _document_keys(document_id: int) -> set[str]:
    """Return every key a published version of the document has used."""
    return set(
        db.session.scalars(
            select(Clause.key)
            .join(Version, Clause.version_id == Version.id)
            .where(Version.document_id == document_id, Version.status == "published")
            .distinct()
        )
    )


def _fresh(key: str, used: Collection[str]) -> str:
    suffix = 2
    while f"{key}-{suffix}" in used:
        suffix += 1
    return f"{key}-{suffix}"


def _apply(version: Version, renamed: Mapping[str, str]) -> None:
    """Rename keys in place, in steps that keep every constraint true after each flush.

    Children let go of renamed parents first, renamed clauses pass through a
    temporary key (so that two clauses can swap keys), then take their new key,
    and children point to their parent's new key.
    """
    clauses = list(version.clauses)
    orphans = [c for c in clauses if c.parent_key in renamed]
    parents = {c.id: c.parent_key for c in orphans}
    for clause in orphans:
        clause.parent_key = None
    db.session.flush()
    moving = [c for c in clauses if c.key in renamed]
    finals = {c.id: renamed[c.key] for c in moving}
    for clause in moving:
        clause.key = f"~rematch-{clause.id}"
    db.session.flush()
    for clause in moving:
        clause.key = finals[clause.id]
    db.session.flush()
    for clause in orphans:
        parent = parents[clause.id]
        clause.parent_key = renamed.get(parent, parent) if parent is not None else None
    db.session.flush()
