"""Read-only views across versions: one clause's history, and what became of comments.

Nothing here writes (apart from the stored comparison that `compare_versions`
may add). Comments are always fetched through `comment_queries`, whose every
query filters with `permissions.visible_comments`, and responses are shown
only where `permissions.can_see_response` allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from consult.domain.diff import Ops, word_diff
from consult.domain.reader_text import reader_text
from consult.extensions import db
from consult.models import Clause, User, Version
from consult.services import comment_queries, language_texts, round_queries
from consult.services.comment_queries import CommentRow, RoundComments
from consult.services.comparison_choice import VersionFilter, readable_versions
from consult.services.comparisons import Row, VersionRef, compare_versions
from consult.services.errors import NotFound
from consult.services.round_queries import RoundSummary, summarise


@dataclass(frozen=True)
class HistoryStep:
    """The clause in one version.

    `change` is "absent" (not in this version) or "removed" (gone since the
    version before), or else the status the comparison with the version before
    gives the clause, in the same words (`consult.domain.alignment.STATUSES`):
    "added" (first seen here), "split" or "merged" (first seen here, made from
    another clause), "moved", "changed", "renumbered" or "unchanged". Against an
    earlier version than the one before (the clause was absent in between) it is
    "changed" or "unchanged". `diff` is set when the text changed, and only
    between texts in one language. `language` is that of the heading and text
    shown; `untranslated` says it is the original's where another was asked for.
    """

    version: VersionRef
    change: str
    number: str
    previous_number: str | None
    heading: str
    text: str
    diff: Ops | None
    heading_diff: Ops | None
    rounds: tuple[RoundComments, ...]
    language: str = ""
    untranslated: bool = False

    @property
    def number_changed(self) -> bool:
        """Whether the clause's display number differs from the version before."""
        return self.previous_number is not None and self.previous_number != self.number


@dataclass(frozen=True)
class ClauseHistory:
    """One clause key through every version its reader may see, oldest first.

    `languages` are those the versions can be read in (their own first);
    `shown` is the one asked for, '' for each version's own.
    """

    slug: str
    title: str
    key: str
    label: str
    steps: tuple[HistoryStep, ...]
    languages: tuple[str, ...] = ()
    shown: str = ""


def _ops(old: str, new: str) -> Ops | None:
    # Texts that read the same (wrapped at other places) have no diff: the step is unchanged.
    return None if reader_text(old) == reader_text(new) else tuple(word_diff(old, new))


@dataclass(frozen=True)
class _Shown:
    """A clause's heading and text as a step shows them, in `language`: a translation's
    (`translated`), or the original's (`untranslated` where another was asked for)."""

    heading: str
    text: str
    language: str
    translated: bool
    untranslated: bool


def _shown(version: Version, clause: Clause, language: str) -> _Shown:
    own = version.text_language
    if language and language != own and version.is_published:
        found = language_texts.clause_in(version.id, clause.key, language)
        if found is not None:
            return _Shown(found[0], found[1], language, True, False)
    return _Shown(clause.heading, clause.text, own, False, bool(language) and language != own)


def _choose(versions: list[Version], asked: str, reader: str) -> tuple[tuple[str, ...], str]:
    """The languages the versions have and the one to show: `asked` (NotFound when no
    version has it), else the reader's when a version has it in another language than its
    own, else '' (each version's own)."""
    languages = tuple(language_texts.languages_of(versions))
    if asked:
        if asked not in languages:
            raise NotFound(_("No version of this document has a text in that language."))
        return languages, asked
    if reader in languages and any(v.text_language != reader for v in versions):
        return languages, reader
    return languages, ""


def clause_history(
    user: User,
    slug: str,
    key: str,
    visible: VersionFilter,
    now: datetime,
    language: str = "",
    reader: str = "",
) -> ClauseHistory:
    """Return clause `key` of document `slug` through every version `visible` lets through.

    Each step carries the comments on the clause, by round, that `user` may
    see at `now`, and the clause's words in `language` where the version has a
    published text in it (else, or without one: in the reader's language `reader`
    where it has one; else its own). Raises NotFound when no such version has the
    clause, or none has `language`.
    """
    document, versions = readable_versions(slug, visible)
    clauses = {
        c.version_id: c
        for c in db.session.scalars(
            select(Clause).where(Clause.version_id.in_([v.id for v in versions]), Clause.key == key)
        )
    }
    if not clauses:
        raise NotFound(_("no version of '%(slug)s' has the clause '%(key)s'", slug=slug, key=key))
    languages, shown_language = _choose(versions, language, reader)
    # Citations are worded with the numbers of the reader's language where a version has it.
    cited_in_reader = language_texts.readable_in(reader, versions)
    steps: list[HistoryStep] = []
    last: tuple[Clause, str, _Shown] | None = None
    for index, version in enumerate(versions):
        ref = VersionRef(version.number, language_texts.reader_label(version), version.status)
        clause = clauses.get(version.id)
        if clause is None:
            gone = bool(steps) and steps[-1].change not in {"absent", "removed"}
            change = "removed" if gone else "absent"
            steps.append(HistoryStep(ref, change, "", None, "", "", None, None, ()))
            continue
        citation = comment_queries.citations(version.id).get(key, key)
        rounds, _open = comment_queries.clause_comments(user, version, key, citation, now)
        shown = _shown(version, clause, shown_language)
        text_ops = heading_ops = None
        previous: str | None = None
        if last is None:
            change = "added"
        else:
            before, previous, shown_before = last
            cited_alike = (before.version_id in cited_in_reader) == (version.id in cited_in_reader)
            if before.number == clause.number and not cited_alike:
                previous = None  # the same number, cited in another language: no "(was ...)"
            text_ops = _ops(before.text, clause.text)
            heading_ops = _ops(before.heading, clause.heading)
            change = "changed" if text_ops or heading_ops else "unchanged"
            # The words compared are those shown: in one language, never across two.
            if shown_before.language != shown.language:
                text_ops = heading_ops = None
            elif change == "changed" and (shown.translated or shown_before.translated):
                text_ops = _ops(shown_before.text, shown.text)
                heading_ops = _ops(shown_before.heading, shown.heading)
        if index > 0:
            # The comparison with the version before names the step, in its words.
            change = _compared(versions[index - 1], version, key) or change
        steps.append(
            HistoryStep(
                ref,
                change,
                citation,
                previous,
                shown.heading,
                shown.text,
                text_ops,
                heading_ops,
                tuple(rounds),
                shown.language,
                shown.untranslated,
            )
        )
        last = (clause, citation, shown)
    label = last[1] if last is not None else key
    title = language_texts.reader_title(document)
    return ClauseHistory(document.slug, title, key, label, tuple(steps), languages, shown_language)


def _compared(before: Version, version: Version, key: str) -> str | None:
    """Return the comparison's status for clause `key` of `version` against `before`.

    None when the comparison does not continue the clause under the same key
    (or from another clause, for a split or a merge).
    """
    for row in compare_versions(before, version).rows:
        if not any(c.key == key for c in row.new):
            continue
        if any(c.key == key for c in row.old) or row.status in {"split", "merged"}:
            return row.status
        return None
    return None


@dataclass(frozen=True)
class Outcome:
    """One comment beside what happened to its clause in the next version.

    `row` is None for a comment on the document as a whole, or when there is
    no next version yet.
    """

    comment: CommentRow
    row: Row | None


@dataclass(frozen=True)
class OutcomePage:
    """An organisation's comments in a round, and the fate of each in the next version."""

    round: RoundSummary
    organisation: str
    version: VersionRef
    next_version: VersionRef | None
    outcomes: tuple[Outcome, ...]


def next_published(version: Version) -> Version | None:
    """Return the first published version of the same document after `version`, if any."""
    return db.session.scalar(
        select(Version)
        .where(
            Version.document_id == version.document_id,
            Version.number > version.number,
            Version.status == "published",
        )
        .order_by(Version.number)
        .limit(1)
    )


def comment_outcomes(user: User, round_id: int, now: datetime) -> OutcomePage:
    """Return `user`'s organisation's standing comments in the round, each beside the fate
    of its clause in the next published version (with the response `user` may see).

    Raises NotFound for an unknown round.
    """
    round_ = round_queries.known_round(user, round_id)
    version = round_.version
    ours = next(
        (group for group in comment_queries.our_comments(user, now) if group.round.id == round_id),
        None,
    )
    comments = [c for c in (ours.comments if ours else []) if not c.withdrawn]
    following = next_published(version)
    rows: dict[str, Row] = {}
    if following is not None and comments:
        comparison = compare_versions(version, following)
        rows = {old.key: row for row in comparison.rows for old in row.old}
    return OutcomePage(
        round=summarise(round_, now),
        organisation=user.organisation.name if user.organisation else "",
        version=VersionRef(version.number, version.label, version.status),
        next_version=VersionRef(following.number, following.label, following.status)
        if following
        else None,
        outcomes=tuple(
            Outcome(c, rows.get(c.clause.key) if c.clause is not None else None) for c in comments
        ),
    )
