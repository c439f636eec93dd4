"""The matrix query: the comments of a document's rounds as rows, filtered, sorted, paged.

One SQL statement (SQLAlchemy Core rows, not ORM objects) selects the rows of
a page, another counts them; a few more, whose number does not depend on the
number of comments, read the rounds, the organisations, the clause trees and
the stored comparisons with the next versions. Every statement filters with
`permissions.visible_comments`, the rule every page uses, and the columns a
reader may not see are blanked in SQL, so that no filter, sort order or count
can reveal them: a stakeholder's "answered" filter only finds answers that
are published, and an anonymous round's comments cannot be found by their
organisation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
    null,
    or_,
    select,
    true,
)
from sqlalchemy.orm import contains_eager, defer

from consult import labels, permissions
from consult.domain.diff import word_diff
from consult.extensions import db
from consult.models import Clause, Comment, Document, Organisation, Response, Round, User, Version
from consult.services.comment_queries.views import citations
from consult.services.comparisons import Row, compare_versions
from consult.services.errors import NotFound
from consult.services.matrix.filters import NEXT_STATUSES, MatrixFilters
from consult.services.matrix.model import (
    TEMPLATE_TYPES,
    MatrixMeta,
    MatrixRow,
    NextVersion,
    RoundSheet,
)

# What became of a clause, as the matrix's last column groups the comparison's statuses.
_NEXT_GROUPS: dict[str, str] = {
    "unchanged": "unchanged",
    "changed": "changed",
    "split": "changed",
    "merged": "changed",
    "moved": "moved",
    "renumbered": "moved",
    "removed": "removed",
}


@dataclass(frozen=True)
class RoundChoice:
    """A round of the document, as the filters offer it."""

    id: int
    title: str
    version_number: int
    version_label: str
    responses_published: bool


@dataclass(frozen=True)
class OrganisationChoice:
    """An organisation the reader may filter on."""

    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class ClauseGroup:
    """Rows on one clause (or the whole document), shown under the clause's text once."""

    round_id: int
    clause_key: str | None
    clause: str
    clause_text: str | None
    rows: list[MatrixRow]


@dataclass(frozen=True)
class MatrixPage:
    """One page of a document's matrix, with what the filters offer."""

    slug: str
    title: str
    rounds: list[RoundChoice]
    organisations: list[OrganisationChoice]
    filters: MatrixFilters
    rows: list[MatrixRow]
    total: int
    pages: int
    clause_found: bool  # False when the clause filter names no clause of these rounds
    staff: bool  # the reader sees every comment and every answer as drafted

    @property
    def groups(self) -> list[ClauseGroup]:
        """The page's rows, consecutive rows on the same clause of the same round together."""
        found: list[ClauseGroup] = []
        for row in self.rows:
            last = found[-1] if found else None
            if last and last.round_id == row.round_id and last.clause_key == row.clause_key:
                last.rows.append(row)
            else:
                found.append(
                    ClauseGroup(row.round_id, row.clause_key, row.clause, row.clause_text, [row])
                )
        return found


@dataclass(frozen=True)
class _Context:
    """What every statement of one matrix request shares."""

    viewer: User | None
    now: datetime
    document: Document
    rounds: list[Round]  # the rounds shown, oldest first
    public: bool

    @property
    def staff(self) -> bool:
        return self.viewer is None or permissions.sees_every_comment(self.viewer)

    @property
    def organisation_id(self) -> int | None:
        return self.viewer.organisation_id if self.viewer is not None else None


# -- the rounds and what the reader may see of them ---------------------------------------


def _document(slug: str) -> Document:
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        raise NotFound(_("there is no such document"))
    return document


def _rounds(viewer: User | None, document: Document) -> list[Round]:
    query = (
        select(Round)
        .join(Version, Version.id == Round.version_id)
        .where(Version.document_id == document.id)
        .options(contains_eager(Round.version).defer(Version.source_text))
        .order_by(Round.opens_at, Round.id)
    )
    if viewer is not None:
        query = query.where(permissions.known_rounds(viewer))
    rounds = list(db.session.scalars(query))
    if viewer is not None:
        rounds = [r for r in rounds if permissions.can_read_version(viewer, r.version)]
    return rounds


def _context(
    viewer: User | None, slug: str, filters: MatrixFilters, now: datetime, public: bool
) -> _Context:
    document = _document(slug)
    rounds = _rounds(viewer, document)
    if filters.rounds:
        rounds = [r for r in rounds if r.id in filters.rounds]
    if public:
        # Comments of a round kept for the secretariat never leave it.
        rounds = [r for r in rounds if r.visibility != "secretariat"]
    return _Context(viewer, now, document, rounds, public)


def _visible(ctx: _Context) -> ColumnElement[bool]:
    if not ctx.rounds:
        return false()
    if ctx.viewer is None:
        condition: ColumnElement[bool] = Comment.round_id.in_([r.id for r in ctx.rounds])
    else:
        viewer = ctx.viewer
        condition = or_(*(permissions.visible_comments(viewer, r, ctx.now) for r in ctx.rounds))
    if ctx.public:
        condition = and_(condition, Comment.status == "active")
    return condition


def _answers_shown(ctx: _Context) -> ColumnElement[bool] | None:
    """Where the reader may see the response; None: everywhere (staff, inside the platform)."""
    if ctx.staff and not ctx.public:
        return None
    return Round.responses_published_at.is_not(None)


def _organisation_shown(ctx: _Context) -> ColumnElement[bool] | None:
    """Where the round's attribution rule lets the reader see the organisation; None: everywhere."""
    if ctx.staff and not ctx.public:
        return None
    own = (
        Comment.organisation_id == ctx.organisation_id
        if ctx.organisation_id is not None and not ctx.public
        else false()
    )
    return or_(Round.attribution == "named", own)


def _shown(condition: ColumnElement[bool] | None, value: Any) -> Any:
    if condition is None:
        return value
    return case((condition, value), else_=null())


def _where(condition: ColumnElement[bool] | None) -> ColumnElement[bool]:
    return true() if condition is None else condition


# -- filters ---------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _clause_keys(ctx: _Context, wanted: str) -> dict[int, set[str]]:
    """Return, per round id, the keys of the clause `wanted` names and of its sub-clauses.

    `wanted` may be a key, a display number or a citation, as people write it.
    """
    needle = " ".join(wanted.split()).casefold()
    found: dict[int, set[str]] = {}
    versions = {r.version_id for r in ctx.rounds}
    rows = db.session.execute(
        select(Clause.version_id, Clause.key, Clause.number, Clause.parent_key).where(
            Clause.version_id.in_(versions)
        )
    ).all()
    by_version: dict[int, list[Any]] = {}
    for row in rows:
        by_version.setdefault(row.version_id, []).append(row)
    for version_id, clauses in by_version.items():
        names = citations(version_id)
        roots = {
            c.key
            for c in clauses
            if needle in {c.key.casefold(), c.number.casefold(), names.get(c.key, "").casefold()}
        }
        if not roots:
            continue
        children: dict[str, list[str]] = {}
        for c in clauses:
            if c.parent_key is not None:
                children.setdefault(c.parent_key, []).append(c.key)
        keys: set[str] = set()
        todo = list(roots)
        while todo:
            key = todo.pop()
            if key not in keys:
                keys.add(key)
                todo.extend(children.get(key, ()))
        for r in ctx.rounds:
            if r.version_id == version_id:
                found[r.id] = keys
    return found


def _conditions(
    ctx: _Context,
    filters: MatrixFilters,
    outcomes: dict[int, dict[str, NextVersion]],
) -> tuple[list[ColumnElement[bool]], bool]:
    """Return the WHERE conditions of the filters, and whether the clause filter found a clause."""
    conditions = [_visible(ctx)]
    named = _where(_organisation_shown(ctx))
    answered_shown = _where(_answers_shown(ctx))
    if filters.organisation is not None:
        conditions.append(and_(Comment.organisation_id == filters.organisation, named))
    if filters.kind is not None:
        conditions.append(and_(Organisation.kind == filters.kind, named))
    if filters.type is not None:
        conditions.append(Comment.type == filters.type)
    has_answer = and_(Response.id.is_not(None), answered_shown)
    if filters.disposition == "none" or filters.answered is False:
        conditions.append(~has_answer)
    if filters.disposition not in (None, "none"):
        conditions.append(and_(Response.disposition == filters.disposition, answered_shown))
    if filters.answered is True:
        conditions.append(has_answer)
    if filters.proposed is True:
        conditions.append(func.coalesce(Comment.proposed_text, "") != "")
    elif filters.proposed is False:
        conditions.append(func.coalesce(Comment.proposed_text, "") == "")
    if filters.search:
        pattern = _like(filters.search)
        conditions.append(
            or_(
                Comment.body.ilike(pattern, escape="\\"),
                Comment.proposed_text.ilike(pattern, escape="\\"),
            )
        )
    clause_found = True
    if filters.clause:
        keys = _clause_keys(ctx, filters.clause)
        clause_found = bool(keys)
        conditions.append(
            or_(*(and_(Comment.round_id == r, Clause.key.in_(k)) for r, k in keys.items()))
            if keys
            else false()
        )
    if filters.next is not None:
        per_round = {
            round_id: [key for key, fate in fates.items() if fate.status == filters.next]
            for round_id, fates in outcomes.items()
        }
        conditions.append(
            or_(
                false(),
                *(
                    and_(Comment.round_id == r, Clause.key.in_(keys))
                    for r, keys in per_round.items()
                    if keys
                ),
            )
        )
    return conditions, clause_found


# -- sorting ---------------------------------------------------------------------------------


def _next_rank(outcomes: dict[int, dict[str, NextVersion]]) -> Any:
    whens = []
    for rank, status in enumerate(NEXT_STATUSES):
        for round_id, fates in outcomes.items():
            keys = [key for key, fate in fates.items() if fate.status == status]
            if keys:
                whens.append((and_(Comment.round_id == round_id, Clause.key.in_(keys)), rank))
    return case(*whens, else_=len(NEXT_STATUSES)) if whens else literal(0)


def _order(
    ctx: _Context, filters: MatrixFilters, outcomes: dict[int, dict[str, NextVersion]]
) -> list[Any]:
    whole_first = case((Comment.clause_id.is_(None), 0), else_=1)
    document_order = [
        Round.opens_at,
        Comment.round_id,
        whole_first,
        func.coalesce(Clause.position, 0),
    ]
    member = _shown(_organisation_shown(ctx), Organisation.code)
    answered = _answers_shown(ctx)
    columns: dict[str, Any] = {
        "number": None,
        "document": None,
        "clause": None,
        "tracking": Comment.tracking_number,
        "member": member,
        "paragraph": Comment.paragraph,
        "type": Comment.type,
        "comment": Comment.body,
        "proposed": Comment.proposed_text,
        "disposition": _shown(answered, Response.disposition),
        "observations": _shown(answered, Response.explanation),
        "next": _next_rank(outcomes),
        "received": Comment.received_at,
    }
    chosen = columns.get(filters.sort)
    tie_break = [Comment.received_at, Comment.id]
    if chosen is None:
        # Document order (also for "No." and "Clause"): reversed on request.
        order = [*document_order, *tie_break]
        return [o.desc() for o in order] if filters.descending else order
    key = chosen.desc() if filters.descending else chosen.asc()
    if filters.grouped:
        # Grouped by clause: the clauses stay in document order, sorted within.
        return [*document_order, key.nulls_last(), *tie_break]
    return [key.nulls_last(), *document_order, *tie_break]


# -- the rows ----------------------------------------------------------------------------------


def _base(ctx: _Context) -> Select[*tuple[Any, ...]]:
    answered = _answers_shown(ctx)
    named = _organisation_shown(ctx)
    query: Select[*tuple[Any, ...]] = (
        select(
            Comment.id,
            Comment.round_id,
            Comment.tracking_number,
            Comment.organisation_id,
            Comment.paragraph,
            Comment.type,
            Comment.body,
            Comment.proposed_text,
            Comment.status,
            Comment.received_at,
            Comment.emailed_on,
            _shown(named, Organisation.name).label("organisation_name"),
            _shown(named, Organisation.code).label("organisation_code"),
            _shown(named, Organisation.kind).label("organisation_kind"),
            _shown(named, Organisation.country_code).label("country_code"),
            Clause.key.label("clause_key"),
            Clause.text.label("clause_text"),
            _shown(answered, Response.disposition).label("disposition"),
            _shown(answered, Response.explanation).label("explanation"),
            _shown(answered, Response.revision).label("response_revision"),
        )
        .select_from(Comment)
        .join(Round, Round.id == Comment.round_id)
        .join(Organisation, Organisation.id == Comment.organisation_id)
        .outerjoin(Clause, Clause.id == Comment.clause_id)
        .outerjoin(Response, Response.comment_id == Comment.id)
    )
    return query


def _participants(ctx: _Context) -> dict[tuple[int, int], int]:
    """Number each organisation within each round by its first comment: "Participant 3"."""
    if ctx.staff and not ctx.public:
        return {}
    anonymous = [r.id for r in ctx.rounds if r.attribution == "anonymous"]
    if not anonymous:
        return {}
    first = func.min(Comment.id)
    rows = db.session.execute(
        select(Comment.round_id, Comment.organisation_id, first)
        .where(Comment.round_id.in_(anonymous))
        .group_by(Comment.round_id, Comment.organisation_id)
        .order_by(Comment.round_id, first, Comment.organisation_id)
    ).all()
    numbers: dict[tuple[int, int], int] = {}
    counters: dict[int, int] = {}
    for round_id, organisation_id, _first in rows:
        counters[round_id] = counters.get(round_id, 0) + 1
        numbers[(round_id, organisation_id)] = counters[round_id]
    return numbers


def _next_published(version: Version) -> Version | None:
    return db.session.scalar(
        select(Version)
        .where(
            Version.document_id == version.document_id,
            Version.number > version.number,
            Version.status == "published",
        )
        .options(defer(Version.source_text))
        .order_by(Version.number)
        .limit(1)
    )


def _fate(row: Row, number: int) -> NextVersion:
    status = _NEXT_GROUPS.get(row.status, "changed")
    return NextVersion(
        status=status,
        number=number,
        citation=row.new_number,
        diff=row.diff if status == "changed" or row.text_changed else None,
    )


def _outcomes(ctx: _Context) -> dict[int, dict[str, NextVersion]]:
    """Per round: what became of each clause of its version in the next published version."""
    found: dict[int, dict[str, NextVersion]] = {}
    by_version: dict[int, dict[str, NextVersion]] = {}
    for round_ in ctx.rounds:
        version = round_.version
        if version.id not in by_version:
            following = _next_published(version) if version.is_published else None
            fates: dict[str, NextVersion] = {}
            if following is not None:
                comparison = compare_versions(version, following)
                for row in comparison.rows:
                    for old in row.old:
                        fates[old.key] = _fate(row, following.number)
            by_version[version.id] = fates
        found[round_.id] = by_version[version.id]
    return found


def _member(row: Any, participant: int | None) -> tuple[str, str]:
    """Return (MB/NC, organisation) as the reader may see them."""
    if row.organisation_code is None:
        label = _("Participant %(number)s", number=participant or "?")
        return label, label
    if row.country_code:
        return row.country_code, row.organisation_name
    kind = labels.label(labels.ORGANISATION_KINDS, row.organisation_kind)
    return f"{row.organisation_code} ({kind})", row.organisation_name


class _RowMaker:
    """Turns the query's rows into MatrixRows, numbering them from `start`."""

    def __init__(
        self,
        ctx: _Context,
        outcomes: dict[int, dict[str, NextVersion]],
        start: int,
        with_diffs: bool = True,
    ) -> None:
        self.ctx = ctx
        self.outcomes = outcomes
        self.number = start
        self.with_diffs = with_diffs
        self.participants = _participants(ctx)
        self.titles = {r.id: r.title for r in ctx.rounds}
        self.names = {r.id: citations(r.version_id) for r in ctx.rounds}

    def __call__(self, row: Any) -> MatrixRow:
        number = self.number
        self.number += 1
        key = row.clause_key
        member, organisation = _member(
            row, self.participants.get((row.round_id, row.organisation_id))
        )
        proposed = row.proposed_text
        diff = None
        if self.with_diffs and proposed and row.clause_text:
            diff = tuple(word_diff(row.clause_text, proposed))
        return MatrixRow(
            number=number,
            comment_id=row.id,
            round_id=row.round_id,
            round_title=self.titles.get(row.round_id, ""),
            tracking_number=row.tracking_number,
            member=member,
            organisation=organisation,
            organisation_kind=row.organisation_kind or "",
            clause_key=key,
            clause=self.names[row.round_id].get(key, key) if key else _("Whole document"),
            clause_text=row.clause_text,
            paragraph=row.paragraph or "",
            type=row.type,
            template_type=TEMPLATE_TYPES.get(row.type, ""),
            body=row.body,
            proposed=proposed,
            proposed_diff=diff,
            disposition=row.disposition,
            observations=row.explanation or "",
            response_revision=row.response_revision,
            withdrawn=row.status == "withdrawn",
            received_at=row.received_at,
            emailed_on=row.emailed_on,
            next_version=self.outcomes.get(row.round_id, {}).get(key) if key else None,
        )


def _round_choices(rounds: Sequence[Round]) -> list[RoundChoice]:
    return [
        RoundChoice(
            r.id,
            r.title,
            r.version.number,
            r.version.label,
            r.responses_published_at is not None,
        )
        for r in rounds
    ]


def _organisation_choices(ctx: _Context) -> list[OrganisationChoice]:
    named = _where(_organisation_shown(ctx))
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.kind)
        .where(
            Organisation.id.in_(
                select(Comment.organisation_id)
                .join(Round, Round.id == Comment.round_id)
                .where(_visible(ctx), named)
            )
        )
        .order_by(Organisation.name)
    ).all()
    return [OrganisationChoice(r.id, r.name, r.kind) for r in rows]


def matrix_page(user: User, slug: str, filters: MatrixFilters, now: datetime) -> MatrixPage:
    """Return one page of the document's matrix as `user` may see it.

    Raises NotFound for an unknown document.
    """
    all_rounds = _rounds(user, _document(slug))
    ctx = _context(user, slug, filters, now, public=False)
    outcomes = _outcomes(ctx)
    conditions, clause_found = _conditions(ctx, filters, outcomes)
    query = _base(ctx).where(*conditions)
    total = int(
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    pages = max(1, -(-total // filters.per_page))
    page = min(filters.page, pages)
    offset = (page - 1) * filters.per_page
    rows = db.session.execute(
        query.order_by(*_order(ctx, filters, outcomes)).limit(filters.per_page).offset(offset)
    ).all()
    make = _RowMaker(ctx, outcomes, start=offset + 1)
    return MatrixPage(
        slug=ctx.document.slug,
        title=ctx.document.title,
        rounds=_round_choices(all_rounds),
        organisations=_organisation_choices(ctx),
        filters=filters if page == filters.page else filters.with_page(page),
        rows=[make(r) for r in rows],
        total=total,
        pages=pages,
        clause_found=clause_found,
        staff=ctx.staff,
    )


def _sheet_rows(
    ctx: _Context,
    round_: Round,
    conditions: list[ColumnElement[bool]],
    order: list[Any],
    make: _RowMaker,
) -> Iterator[MatrixRow]:
    query = _base(ctx).where(*conditions, Comment.round_id == round_.id).order_by(*order)
    for row in db.session.execute(query.execution_options(yield_per=500)):
        yield make(row)


def describe_filters(filters: MatrixFilters, rounds: Sequence[Round]) -> list[tuple[str, str]]:
    """Return (label, value) for each filter in force, as an export's first sheet lists them."""
    found: list[tuple[str, str]] = []
    if filters.rounds:
        titles = [r.title for r in rounds if r.id in filters.rounds]
        found.append((_("Rounds"), "; ".join(titles)))
    if filters.organisation is not None:
        name = db.session.scalar(
            select(Organisation.name).where(Organisation.id == filters.organisation)
        )
        found.append((_("Organisation"), name or str(filters.organisation)))
    if filters.kind:
        found.append(
            (_("Kind of organisation"), labels.label(labels.ORGANISATION_KINDS, filters.kind))
        )
    if filters.type:
        found.append((_("Type of comment"), labels.label(labels.COMMENT_TYPES, filters.type)))
    if filters.disposition:
        value = (
            _("No answer yet")
            if filters.disposition == "none"
            else labels.label(labels.DISPOSITIONS, filters.disposition)
        )
        found.append((_("Disposition"), value))
    if filters.answered is not None:
        found.append((_("Answered"), _("Yes") if filters.answered else _("No")))
    if filters.proposed is not None:
        found.append((_("With a proposed change"), _("Yes") if filters.proposed else _("No")))
    if filters.clause:
        found.append((_("Clause and its sub-clauses"), filters.clause))
    if filters.search:
        found.append((_("Text"), filters.search))
    if filters.next:
        found.append(
            (_("In the next version"), labels.label(labels.NEXT_VERSION_STATUSES, filters.next))
        )
    return found


def export_sheets(
    viewer: User | None,
    slug: str,
    filters: MatrixFilters,
    now: datetime,
    public: bool = False,
) -> tuple[MatrixMeta, list[RoundSheet]]:
    """Return every row of the filtered, sorted matrix (no paging), a sheet per round.

    `viewer` None is the command line, which sees what the secretariat sees.
    `public` makes the variant for circulation beyond the secretariat: the
    round's attribution rule, no withdrawn comments, no comments of rounds kept
    for the secretariat, no unpublished answers. Rows are read lazily, round
    by round: iterate each sheet's rows once, in order. Raises NotFound for an
    unknown document.
    """
    ctx = _context(viewer, slug, filters, now, public)
    outcomes = _outcomes(ctx)
    conditions, _found = _conditions(ctx, filters, outcomes)
    order = _order(ctx, filters, outcomes)
    make = _RowMaker(ctx, outcomes, start=1)
    versions = sorted({(r.version.number, r.version.label) for r in ctx.rounds})
    meta = MatrixMeta(
        document_title=ctx.document.title,
        document_slug=ctx.document.slug,
        version_label="; ".join(
            _("Version %(number)s", number=n) + (f" ({label})" if label else "")
            for n, label in versions
        ),
        round_titles=[r.title for r in ctx.rounds],
        made_at=now,
        filters=describe_filters(filters, ctx.rounds),
        public=public,
    )
    sheets = [
        RoundSheet(r.id, r.title, _sheet_rows(ctx, r, conditions, order, make)) for r in ctx.rounds
    ]
    return meta, sheets
