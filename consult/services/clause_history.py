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
from consult.services import comment_queries, round_queries
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
    "changed" or "unchanged". `diff` is set when the text changed.
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

    @property
    def number_changed(self) -> bool:
        """Whether the clause's display number differs from the version before."""
        return self.previous_number is not None and self.previous_number != self.number


@dataclass(frozen=True)
class ClauseHistory:
    """One clause key through every version its reader may see, oldest first."""

    slug: str
    title: str
    key: str
    label: str
    steps: tuple[HistoryStep, ...]


def _ops(old: str, new: str) -> Ops | None:
    # Texts that read the same (wrapped at other places) have no diff: the step is unchanged.
    return None if reader_text(old) == reader_text(new) else tuple(word_diff(old, new))


def clause_history(
    user: User, slug: str, key: str, visible: VersionFilter, now: datetime
) -> ClauseHistory:
    """Return clause `key` of document `slug` through every version `visible` lets through.

    Each step carries the comments on the clause, by round, that `user` may
    see at `now`. Raises NotFound when no such version has the clause.
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
    steps: list[HistoryStep] = []
    last: tuple[Clause, str] | None = None
    for index, version in enumerate(versions):
        ref = VersionRef(version.number, version.label, version.status)
        clause = clauses.get(version.id)
        if clause is None:
            gone = bool(steps) and steps[-1].change not in {"absent", "removed"}
            change = "removed" if gone else "absent"
            steps.append(HistoryStep(ref, change, "", None, "", "", None, None, ()))
            continue
        citation = comment_queries.citations(version.id).get(key, key)
        rounds, _open = comment_queries.clause_comments(user, version, key, citation, now)
        text_ops = heading_ops = None
        previous: str | None = None
        if last is None:
            change = "added"
        else:
            before, previous = last
            text_ops = _ops(before.text, clause.text)
            heading_ops = _ops(before.heading, clause.heading)
            change = "changed" if text_ops or heading_ops else "unchanged"
        if index > 0:
            # The comparison with the version before names the step, in its words.
            change = _compared(versions[index - 1], version, key) or change
        steps.append(
            HistoryStep(
                ref,
                change,
                citation,
                previous,
                clause.heading,
                clause.text,
                text_ops,
                heading_ops,
                tuple(rounds),
            )
        )
        last = (clause, citation)
    label = last[1] if last is not None else key
    return ClauseHistory(document.slug, document.title, key, label, tuple(steps))


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
