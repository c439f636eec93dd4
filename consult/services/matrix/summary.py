"""The matrix summary: how many comments, from whom, of which type, on which clause, answered how.

The summary counts exactly the rows the matrix shows for the same filters:
its rounds, its WHERE conditions and what it hides from the reader come from
the matrix query (`scope_for`, `filter_conditions`, `answers_shown`,
`organisation_shown`), and its counts are a fixed number of GROUP BY
queries whatever the number of comments. Two of the round's rules shape the
numbers for a stakeholder, as they shape the matrix:

- an answer counts by its disposition only once the reader may see it (for a
  stakeholder, once the round's responses are published); before that the
  comment counts as "answer not yet published" in the tallies, and the
  filters take it as the matrix shows it, without an answer (answered=no
  and disposition=none find it, answered=yes and a disposition do not);
- in a round whose attribution is anonymous, other organisations' comments
  count under "Other participants", never under their kind; the
  organisation and kind filters match only comments whose organisation the
  reader may know.

The matrix lists withdrawn comments; the summary leaves them out of its
counts and says how many it left out, so that `total + withdrawn` is the
number of rows of the matrix.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, case, func, literal, select

from consult import labels, permissions
from consult.extensions import db
from consult.models import (
    COMMENT_TYPES,
    DISPOSITIONS,
    ORGANISATION_KINDS,
    Clause,
    Comment,
    Document,
    Organisation,
    Response,
    Round,
    User,
    Version,
)
from consult.services import language_texts
from consult.services.comment_queries.views import citations
from consult.services.errors import NotFound
from consult.services.matrix.conditions import filter_conditions, outcomes_of
from consult.services.matrix.filters import MatrixFilters
from consult.services.matrix.query import describe_filters
from consult.services.matrix.scope import (
    Scope,
    answers_shown,
    base_query,
    document_rounds,
    organisation_shown,
    scope_for,
)

#: The row of the kind table for organisations the round's attribution rule hides.
OTHER_PARTICIPANTS = "other_participants"
#: A comment without an answer the reader may see: none yet, or not yet published.
UNANSWERED = "unanswered"
UNPUBLISHED = "unpublished"
#: How many lines of the clause table the clause chart draws (the table lists them all).
CLAUSES_CHARTED = 15


@dataclass(frozen=True)
class Tally:
    """A labelled count: a disposition, a type, an organisation kind, an answer state."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class KindRow:
    """One organisation kind's comments, by answer (one count per column of the summary)."""

    code: str  # a code of ORGANISATION_KINDS, or OTHER_PARTICIPANTS
    label: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class ClauseTally:
    """The comments on one clause (by its key, across the versions counted)."""

    key: str | None  # None: the comments on the whole document
    label: str  # the clause's citation in the newest version counted, or "Whole document"
    version_number: int | None  # the version whose clause a link should open
    count: int


@dataclass(frozen=True)
class CountedRound:
    """A round whose comments are counted, with what its rules hide from the reader."""

    id: int
    title: str
    version_number: int
    state: str
    only_own: bool  # the reader sees only their organisation's comments (for now)
    answers_hidden: bool  # the answers are not yet published to the reader
    organisations_hidden: bool  # others' organisations are not named to the reader


@dataclass(frozen=True)
class MatrixSummary:
    """What the summary page shows: counts of the comments the reader may see."""

    document_slug: str
    document_title: str
    rounds: tuple[CountedRound, ...]  # the rounds counted, oldest first
    offered: tuple[CountedRound, ...]  # every round of the document the reader knows
    # Round ids asked for that are not rounds of this document the reader knows: left out,
    # as the matrix leaves them out (none asked for left: nothing is counted).
    ignored_rounds: tuple[int, ...]
    filters: tuple[tuple[str, str], ...]  # (filter, value) for each filter applied
    clause_found: bool  # False when the clause filter names no clause of these rounds
    limited: bool  # True when the reader does not see every comment of every round
    total: int  # standing comments counted
    withdrawn: int  # withdrawn comments the reader may see, left out of every count
    columns: tuple[Tally, ...]  # dispositions, then unanswered (and not yet published)
    by_kind: tuple[KindRow, ...]
    by_type: tuple[Tally, ...]
    answered: tuple[Tally, ...]  # answered, unanswered (and not yet published)
    by_clause: tuple[ClauseTally, ...]  # the whole document first, then most-commented first

    @property
    def by_kind_totals(self) -> tuple[Tally, ...]:
        """The kinds' totals, as labelled counts (for the chart)."""
        return tuple(Tally(row.code, row.label, row.total) for row in self.by_kind)

    @property
    def clauses_charted(self) -> tuple[ClauseTally, ...]:
        """The lines of the clause table that the chart draws: the first CLAUSES_CHARTED."""
        whole = 1 if self.by_clause and self.by_clause[0].key is None else 0
        return self.by_clause[: CLAUSES_CHARTED + whole]


def _check_readable(user: User, document: Document) -> None:
    """Raise NotFound unless the reader may read a version of the document.

    Staff may open the summary of a document that has no version yet.
    """
    versions = db.session.scalars(select(Version).where(Version.document_id == document.id)).all()
    if not any(permissions.can_read_version(user, v) for v in versions) and (
        versions or not permissions.sees_every_comment(user)
    ):
        raise NotFound(_("there is no such document"))


def _counted_round(user: User, scope: Scope, round_: Round) -> CountedRound:
    # The notes beside each round say in words what answers_shown and
    # organisation_shown hide from the reader in SQL.
    return CountedRound(
        id=round_.id,
        title=round_.title,
        version_number=round_.version.number,
        state=round_.state(scope.now),
        only_own=not permissions.sees_others_comments(user, round_, scope.now),
        answers_hidden=not scope.staff and round_.responses_published_at is None,
        organisations_hidden=not scope.staff and round_.attribution != "named",
    )


def matrix_summary(user: User, slug: str, filters: MatrixFilters, now: datetime) -> MatrixSummary:
    """Return the counts of the comments of document `slug` that `user` may see, as of `now`.

    The comments counted are the rows of the matrix with the same filters
    (sorting and paging aside). Round ids in `filters.rounds` that are not
    rounds of the document the reader knows are left out, as the matrix
    leaves them out, and named in `ignored_rounds`. Raises NotFound for an
    unknown document, or one of which the reader may read no version.
    """
    scope = scope_for(user, slug, filters, now, public=False)
    _check_readable(user, scope.document)
    known = document_rounds(user, scope.document)
    ignored = tuple(sorted(set(filters.rounds) - {r.id for r in scope.rounds}))
    # What became of the clauses is read only when a filter asks for it.
    outcomes = outcomes_of(scope) if filters.next is not None else {}
    conditions, clause_found = filter_conditions(scope, filters, outcomes)
    rows: list[tuple[str, str, str, str, int]] = []
    clause_rows: list[tuple[int | None, str | None, int | None, int]] = []
    if scope.rounds:
        rows = _tallies(scope, conditions)
        clause_rows = _clause_tallies(scope, conditions)
    numbers = {r.version_id: r.version.number for r in known}
    return _assemble(
        scope.document,
        tuple(_counted_round(user, scope, r) for r in scope.rounds),
        tuple(_counted_round(user, scope, r) for r in known),
        ignored,
        tuple(describe_filters(scope, filters, rounds=False)),
        rows,
        _clauses(clause_rows, numbers),
        limited=not scope.staff,
        clause_found=clause_found,
    )


def _tallies(
    scope: Scope, conditions: list[ColumnElement[bool]]
) -> list[tuple[str, str, str, str, int]]:
    """Count the matrix's rows by status, kind shown, answer shown and type: one GROUP BY query."""
    named = organisation_shown(scope)
    answered = answers_shown(scope)
    kind: Any = (
        Organisation.kind
        if named is None
        else case((named, Organisation.kind), else_=literal(OTHER_PARTICIPANTS))
    )
    hidden = [] if answered is None else [(~answered, literal(UNPUBLISHED))]
    answer = case(*hidden, (Response.id.is_(None), literal(UNANSWERED)), else_=Response.disposition)
    # The CASE expressions are grouped by through a subquery: PostgreSQL does not
    # take a GROUP BY expression whose parameters are bound apart from the SELECT's.
    inner = (
        base_query(scope)
        .with_only_columns(
            Comment.status.label("status"),
            kind.label("kind"),
            answer.label("answer"),
            Comment.type.label("type"),
        )
        .where(*conditions)
        .subquery()
    )
    query = select(
        inner.c.status, inner.c.kind, inner.c.answer, inner.c.type, func.count()
    ).group_by(inner.c.status, inner.c.kind, inner.c.answer, inner.c.type)
    return [
        (str(status), str(kind_), str(answer_), str(type_), int(n))
        for status, kind_, answer_, type_, n in db.session.execute(query)
    ]


def _clause_tallies(
    scope: Scope, conditions: list[ColumnElement[bool]]
) -> list[tuple[int | None, str | None, int | None, int]]:
    """Count the standing rows by version and clause key (None: whole document): one query."""
    query = (
        base_query(scope)
        .with_only_columns(
            Clause.version_id, Clause.key, func.min(Clause.position), func.count(Comment.id)
        )
        .where(Comment.status == "active", *conditions)
        .group_by(Clause.version_id, Clause.key)
    )
    return [
        (version_id, key, position, int(n))
        for version_id, key, position, n in db.session.execute(query)
    ]


def _clauses(
    rows: list[tuple[int | None, str | None, int | None, int]], numbers: dict[int, int]
) -> list[ClauseTally]:
    """Merge the counts of a key across versions; whole document first, then most-commented."""
    whole = 0
    totals: dict[str, int] = defaultdict(int)
    newest: dict[str, tuple[int, int, int]] = {}  # key -> (version number, version id, position)
    for version_id, key, position, n in rows:
        if key is None or version_id is None:
            whole += n
            continue
        totals[key] += n
        place = (numbers[version_id], version_id, position or 0)
        if key not in newest or place > newest[key]:
            newest[key] = place
    names = {
        version_id: citations(version_id) for version_id in {v for _n, v, _p in newest.values()}
    }
    ordered = sorted(totals, key=lambda k: (-totals[k], newest[k][2], k))
    tallies = [ClauseTally(None, _("Whole document"), None, whole)] if whole else []
    for key in ordered:
        number, version_id, _position = newest[key]
        tallies.append(ClauseTally(key, names[version_id].get(key, key), number, totals[key]))
    return tallies


def _assemble(
    document: Document,
    rounds: tuple[CountedRound, ...],
    offered: tuple[CountedRound, ...],
    ignored: tuple[int, ...],
    filters: tuple[tuple[str, str], ...],
    rows: list[tuple[str, str, str, str, int]],
    by_clause: list[ClauseTally],
    *,
    limited: bool,
    clause_found: bool,
) -> MatrixSummary:
    withdrawn = sum(n for status, *_rest, n in rows if status == "withdrawn")
    active = [
        (kind, answer, type_, n) for status, kind, answer, type_, n in rows if status == "active"
    ]
    answers: dict[str, int] = defaultdict(int)
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    types: dict[str, int] = defaultdict(int)
    for kind, answer, type_, n in active:
        answers[answer] += n
        kinds[kind][answer] += n
        types[type_] += n
    codes = [*DISPOSITIONS, UNANSWERED] + ([UNPUBLISHED] if answers[UNPUBLISHED] else [])
    columns = tuple(Tally(c, _answer_label(c), answers[c]) for c in codes)
    by_kind = tuple(
        KindRow(
            kind,
            _kind_label(kind),
            tuple(kinds[kind][c] for c in codes),
            sum(kinds[kind].values()),
        )
        for kind in (*ORGANISATION_KINDS, OTHER_PARTICIPANTS)
        if kind in kinds
    )
    answered = sum(answers[d] for d in DISPOSITIONS)
    states = [("answered", answered), (UNANSWERED, answers[UNANSWERED])]
    if answers[UNPUBLISHED]:
        states.append((UNPUBLISHED, answers[UNPUBLISHED]))
    return MatrixSummary(
        document_slug=document.slug,
        document_title=language_texts.reader_title(document),
        rounds=rounds,
        offered=offered,
        ignored_rounds=ignored,
        filters=filters,
        clause_found=clause_found,
        limited=limited,
        total=sum(n for *_rest, n in active),
        withdrawn=withdrawn,
        columns=columns,
        by_kind=by_kind,
        by_type=tuple(
            Tally(t, labels.label(labels.COMMENT_TYPES, t), types[t]) for t in COMMENT_TYPES
        ),
        answered=tuple(Tally(s, labels.label(labels.ANSWER_STATES, s), n) for s, n in states),
        by_clause=tuple(by_clause),
    )


def _answer_label(code: str) -> str:
    if code in DISPOSITIONS:
        return labels.label(labels.DISPOSITIONS, code)
    return labels.label(labels.ANSWER_STATES, code)


def _kind_label(code: str) -> str:
    if code == OTHER_PARTICIPANTS:
        return str(_("Other participants"))
    return labels.label(labels.ORGANISATION_KINDS, code)
