"""The matrix summary: how many comments, from whom, of which type, on which clause, answered how.

Every number is a count of comments the reader may see, filtered in SQL with
`permissions.visible_comments` (over the rounds counted), in a fixed number
of GROUP BY queries whatever the number of comments. Beyond which comments
are counted, two of the round's rules shape the numbers for a stakeholder:

- an answer counts by its disposition only where `can_see_response` allows
  (for a stakeholder, once the round's responses are published); before
  that the comment counts as "answer not yet published", never as answered
  or unanswered;
- in a round whose attribution is anonymous, other organisations' comments
  count under "Other participants", never under their kind (the same rule
  as `shows_organisation`); the organisation and kind filters match only
  comments whose organisation the reader may know.

Withdrawn comments are left out of the counts; how many were left out is
said beside them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    literal,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.orm import selectinload

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
from consult.services.comment_queries.views import citations
from consult.services.errors import NotFound
from consult.services.matrix.filters import MatrixFilters

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
    # Round ids asked for that are not rounds of this document the reader knows: left out.
    ignored_rounds: tuple[int, ...]
    filters: tuple[tuple[str, str], ...]  # (filter, value) for each filter applied
    unapplied: tuple[str, ...]  # filters in the query that the summary does not apply
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


@dataclass(frozen=True)
class Scope:
    """What the reader may learn of the comments counted, as SQL conditions on a comment."""

    organisation_hidden: ColumnElement[bool]  # its organisation is not shown to the reader
    answer_shown: ColumnElement[bool]  # its answer (or the lack of one) is shown


def _document(slug: str) -> Document:
    document = db.session.scalar(
        select(Document)
        .options(selectinload(Document.versions).defer(Version.source_text))
        .where(Document.slug == slug)
    )
    if document is None:
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    return document


def _candidate_rounds(user: User, versions: Sequence[Version]) -> list[Round]:
    """The rounds of the document's readable versions that `user` may know of, oldest first."""
    if not versions:
        return []
    return list(
        db.session.scalars(
            select(Round)
            .options(selectinload(Round.invitations))
            .where(
                Round.version_id.in_([v.id for v in versions]),
                permissions.known_rounds(user),
            )
            .order_by(Round.opens_at, Round.id)
        )
    )


def _answers_shown(user: User, round_: Round) -> bool:
    # can_see_response, for the comments of the round the reader sees (those the
    # counts are filtered to): staff always, others once the answers are published.
    return permissions.sees_every_comment(user) or round_.responses_published_at is not None


def _organisations_hidden(user: User, round_: Round) -> bool:
    # shows_organisation: the organisation is hidden from a reader who is not
    # staff, in an anonymous round, unless it is the reader's own.
    return round_.attribution != "named" and not permissions.sees_every_comment(user)


def _scope(user: User, rounds: Sequence[Round]) -> Scope:
    anonymous = [r.id for r in rounds if _organisations_hidden(user, r)]
    hidden: ColumnElement[bool] = (
        and_(Comment.round_id.in_(anonymous), Comment.organisation_id != user.organisation_id)
        if anonymous
        else false()
    )
    unpublished = [r.id for r in rounds if not _answers_shown(user, r)]
    shown: ColumnElement[bool] = not_(Comment.round_id.in_(unpublished)) if unpublished else true()
    return Scope(organisation_hidden=hidden, answer_shown=shown)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filter_conditions(
    filters: MatrixFilters, scope: Scope, version_ids: Sequence[int]
) -> tuple[list[ColumnElement[bool]], list[str]]:
    """Return the SQL conditions for the matrix filters, and the names of those not applied.

    The conditions are on Comment, with Organisation, Response and Clause
    joined (Response and Clause outer). A filter on what the reader may not
    learn matches nothing hidden: the organisation and kind filters only
    comments whose organisation is shown, the answer filters only comments
    whose answer is shown.
    """
    conditions: list[ColumnElement[bool]] = []
    unapplied: list[str] = []
    known = not_(scope.organisation_hidden)
    if filters.organisation is not None:
        conditions += [Comment.organisation_id == filters.organisation, known]
    if filters.kind is not None:
        conditions += [Organisation.kind == filters.kind, known]
    if filters.type is not None:
        conditions.append(Comment.type == filters.type)
    if filters.disposition == "none":
        conditions += [scope.answer_shown, Response.id.is_(None)]
    elif filters.disposition is not None:
        conditions += [scope.answer_shown, Response.disposition == filters.disposition]
    if filters.answered is not None:
        has_answer = Response.id.is_not(None) if filters.answered else Response.id.is_(None)
        conditions += [scope.answer_shown, has_answer]
    if filters.proposed is True:
        conditions.append(Comment.proposed_text.is_not(None))
    elif filters.proposed is False:
        conditions.append(Comment.proposed_text.is_(None))
    if filters.search:
        pattern = _like(filters.search)
        conditions.append(
            or_(
                Comment.body.ilike(pattern, escape="\\"),
                Comment.proposed_text.ilike(pattern, escape="\\"),
            )
        )
    if filters.clause is not None:
        conditions.append(_clause_and_below(filters.clause, version_ids))
    if filters.next is not None:
        unapplied.append("next")
    return conditions, unapplied


def _clause_and_below(key: str, version_ids: Sequence[int]) -> ColumnElement[bool]:
    """The condition for comments on clause `key` or a clause under it, in any version counted."""
    rows = db.session.execute(
        select(Clause.version_id, Clause.key, Clause.parent_key).where(
            Clause.version_id.in_(version_ids)
        )
    ).all()
    children: dict[tuple[int, str], list[str]] = defaultdict(list)
    for version_id, child, parent in rows:
        if parent is not None:
            children[(version_id, parent)].append(child)
    per_version = []
    for version_id in version_ids:
        if not any(v == version_id and k == key for v, k, _p in rows):
            continue
        keys, todo = set(), [key]
        while todo:
            current = todo.pop()
            keys.add(current)
            todo.extend(children[(version_id, current)])
        per_version.append(and_(Clause.version_id == version_id, Clause.key.in_(sorted(keys))))
    return or_(*per_version) if per_version else false()


def _describe(filters: MatrixFilters) -> list[tuple[str, str]]:
    """Return (filter, value) in words for each filter applied besides the rounds."""
    described: list[tuple[str, str]] = []
    if filters.organisation is not None:
        name = db.session.scalar(
            select(Organisation.name).where(Organisation.id == filters.organisation)
        )
        described.append((_("Organisation"), name or _("an unknown organisation")))
    if filters.kind is not None:
        described.append(
            (_("Kind of organisation"), labels.label(labels.ORGANISATION_KINDS, filters.kind))
        )
    if filters.type is not None:
        described.append((_("Type"), labels.label(labels.COMMENT_TYPES, filters.type)))
    if filters.disposition is not None:
        value = (
            labels.label(labels.ANSWER_STATES, UNANSWERED)
            if filters.disposition == "none"
            else labels.label(labels.DISPOSITIONS, filters.disposition)
        )
        described.append((_("Disposition"), value))
    if filters.answered is not None:
        state = "answered" if filters.answered else UNANSWERED
        described.append((_("Answer"), labels.label(labels.ANSWER_STATES, state)))
    if filters.proposed is not None:
        described.append(
            (
                _("Proposed change"),
                _("With a proposed change") if filters.proposed else _("Without a proposed change"),
            )
        )
    if filters.clause is not None:
        described.append((_("Clause"), _("%(key)s and the clauses under it", key=filters.clause)))
    if filters.search:
        described.append((_("Text"), filters.search))
    return described


def _counted_round(user: User, round_: Round, number: int, now: datetime) -> CountedRound:
    return CountedRound(
        id=round_.id,
        title=round_.title,
        version_number=number,
        state=round_.state(now),
        only_own=not permissions.sees_others_comments(user, round_, now),
        answers_hidden=not _answers_shown(user, round_),
        organisations_hidden=_organisations_hidden(user, round_),
    )


def matrix_summary(user: User, slug: str, filters: MatrixFilters, now: datetime) -> MatrixSummary:
    """Return the counts of the comments of document `slug` that `user` may see, as of `now`.

    The rounds counted are `filters.rounds` (those of them that are rounds of
    the document the reader knows; the others are named in `ignored_rounds`),
    or every round of the document's versions. Raises NotFound for an unknown
    document, or one of which the reader may read no version.
    """
    document = _document(slug)
    versions = [v for v in document.versions if permissions.can_read_version(user, v)]
    if not versions and (document.versions or not permissions.sees_every_comment(user)):
        raise NotFound(_("there is no document '%(slug)s'", slug=slug))
    numbers = {v.id: v.number for v in versions}
    candidates = _candidate_rounds(user, versions)
    chosen = [r for r in candidates if r.id in filters.rounds]
    ignored = tuple(sorted(set(filters.rounds) - {r.id for r in chosen}))
    rounds = chosen or candidates
    offered = {r.id: _counted_round(user, r, numbers[r.version_id], now) for r in candidates}
    scope = _scope(user, rounds)
    version_ids = sorted({r.version_id for r in rounds})
    conditions, unapplied = filter_conditions(filters, scope, version_ids)
    rows: list[tuple[str, str, str, str, int]] = []
    clause_rows: list[tuple[int | None, str | None, int | None, int]] = []
    if rounds:
        visible = or_(*(permissions.visible_comments(user, r, now) for r in rounds))
        rows = _tallies(visible, scope, conditions)
        clause_rows = _clause_tallies(visible, conditions)
    return _assemble(
        document,
        tuple(offered[r.id] for r in rounds),
        tuple(offered.values()),
        ignored,
        filters,
        unapplied,
        rows,
        _clauses(clause_rows, numbers),
        limited=not permissions.sees_every_comment(user),
    )


def _from_comments(*columns: Any) -> Select[Any]:
    """Select `columns` from the comments with their organisation, response and clause."""
    return (
        select(*columns)
        .select_from(Comment)
        .join(Organisation, Organisation.id == Comment.organisation_id)
        .outerjoin(Response, Response.comment_id == Comment.id)
        .outerjoin(Clause, Clause.id == Comment.clause_id)
    )


def _tallies(
    visible: ColumnElement[bool], scope: Scope, conditions: list[ColumnElement[bool]]
) -> list[tuple[str, str, str, str, int]]:
    """Count comments by status, kind shown, answer shown and type: one GROUP BY query."""
    kind = case((scope.organisation_hidden, literal(OTHER_PARTICIPANTS)), else_=Organisation.kind)
    answer = case(
        (not_(scope.answer_shown), literal(UNPUBLISHED)),
        (Response.id.is_(None), literal(UNANSWERED)),
        else_=Response.disposition,
    )
    # The CASE expressions are grouped by through a subquery: PostgreSQL does not
    # take a GROUP BY expression whose parameters are bound apart from the SELECT's.
    inner = (
        _from_comments(
            Comment.status.label("status"),
            kind.label("kind"),
            answer.label("answer"),
            Comment.type.label("type"),
        )
        .where(visible, *conditions)
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
    visible: ColumnElement[bool], conditions: list[ColumnElement[bool]]
) -> list[tuple[int | None, str | None, int | None, int]]:
    """Count standing comments by version and clause key (None: whole document): one query."""
    query = (
        _from_comments(
            Clause.version_id, Clause.key, func.min(Clause.position), func.count(Comment.id)
        )
        .where(visible, Comment.status == "active", *conditions)
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
    filters: MatrixFilters,
    unapplied: list[str],
    rows: list[tuple[str, str, str, str, int]],
    by_clause: list[ClauseTally],
    *,
    limited: bool,
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
        document_title=document.title,
        rounds=rounds,
        offered=offered,
        ignored_rounds=ignored,
        filters=tuple(_describe(filters)),
        unapplied=tuple(unapplied),
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
