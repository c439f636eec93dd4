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
from sqlalchemy import ColumnElement, Select, func, select

from consult import labels, permissions
from consult.extensions import db
from consult.models import Comment, Document, Organisation, Round, User, Version
from consult.services import language_texts
from consult.services.errors import NotFound
from consult.services.matrix.conditions import filter_conditions, order_by, outcomes_of
from consult.services.matrix.filters import MatrixFilters
from consult.services.matrix.model import MatrixMeta, MatrixRow, RoundSheet
from consult.services.matrix.rows import RowMaker
from consult.services.matrix.scope import (
    Scope,
    anywhere,
    base_query,
    document_rounds,
    find_document,
    organisation_shown,
    scope_for,
    visible,
)


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


def _organisation_choices(scope: Scope, only: int | None = None) -> list[OrganisationChoice]:
    """Return the organisations the reader may filter on (just `only`, if given and one of them).

    They are those of the comments the reader sees whose organisation the
    round's attribution rule names to them.
    """
    named = anywhere(organisation_shown(scope))
    query = (
        select(Organisation.id, Organisation.name, Organisation.kind)
        .where(
            Organisation.id.in_(
                select(Comment.organisation_id)
                .join(Round, Round.id == Comment.round_id)
                .where(visible(scope), named)
            )
        )
        .order_by(Organisation.name)
    )
    if only is not None:
        query = query.where(Organisation.id == only)
    rows = db.session.execute(query).all()
    return [OrganisationChoice(r.id, r.name, r.kind) for r in rows]


def readable_document(viewer: User | None, slug: str) -> Document:
    """Return the document `slug` if `viewer` may read a version of it; else raise NotFound.

    A document with only a draft is unknown to stakeholders, as on the reading
    pages: its matrix, files and title are not theirs. Staff may open the matrix
    of a document without a version yet; `viewer` None (the command line) too.
    """
    document = find_document(slug)
    if viewer is None or permissions.sees_every_comment(viewer):
        return document
    versions = db.session.scalars(select(Version).where(Version.document_id == document.id))
    if not any(permissions.can_read_version(viewer, v) for v in versions):
        raise NotFound(_("there is no such document"))
    return document


def matrix_page(user: User, slug: str, filters: MatrixFilters, now: datetime) -> MatrixPage:
    """Return one page of the document's matrix as `user` may see it.

    Raises NotFound for an unknown document, or one of which `user` may read no version.
    """
    all_rounds = document_rounds(user, readable_document(user, slug))
    scope = scope_for(user, slug, filters, now, public=False)
    outcomes = outcomes_of(scope)
    conditions, clause_found = filter_conditions(scope, filters, outcomes)
    query = base_query(scope).where(*conditions)
    total = int(
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    pages = max(1, -(-total // filters.per_page))
    page = min(filters.page, pages)
    offset = (page - 1) * filters.per_page
    rows = db.session.execute(
        query.order_by(*order_by(scope, filters, outcomes)).limit(filters.per_page).offset(offset)
    ).all()
    make = RowMaker(scope, outcomes, start=offset + 1)
    return MatrixPage(
        slug=scope.document.slug,
        title=language_texts.reader_title(scope.document),
        rounds=_round_choices(all_rounds),
        organisations=_organisation_choices(scope),
        filters=filters if page == filters.page else filters.with_page(page),
        rows=[make(r) for r in rows],
        total=total,
        pages=pages,
        clause_found=clause_found,
        staff=scope.staff,
    )


def _sheet_rows(
    scope: Scope,
    round_: Round,
    conditions: list[ColumnElement[bool]],
    order: list[Any],
    make: RowMaker,
) -> Iterator[MatrixRow]:
    query = base_query(scope).where(*conditions, Comment.round_id == round_.id).order_by(*order)
    for row in db.session.execute(query.execution_options(yield_per=500)):
        yield make(row)


def describe_filters(
    scope: Scope, filters: MatrixFilters, *, rounds: bool = True
) -> list[tuple[str, str]]:
    """Return (label, value) for each filter in force, as an export's first sheet lists them.

    An organisation is named only if the reader may filter on it (the matrix
    offers it to them); otherwise the filter matches no comment shown to them,
    and the value says so without the name, which the round's attribution rule
    may hide. `rounds` False leaves out the rounds (for a page that lists them).
    """
    found: list[tuple[str, str]] = []
    if filters.rounds and rounds:
        titles = [r.title for r in scope.rounds if r.id in filters.rounds]
        found.append((_("Rounds"), "; ".join(titles)))
    if filters.organisation is not None:
        offered = _organisation_choices(scope, only=filters.organisation)
        found.append(
            (
                _("Organisation"),
                offered[0].name
                if offered
                else _("An organisation with no comment shown to you: no comment matches"),
            )
        )
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
    unknown document, or one of which `viewer` may read no version.
    """
    readable_document(viewer, slug)
    scope = scope_for(viewer, slug, filters, now, public)
    outcomes = outcomes_of(scope)
    conditions, _found = filter_conditions(scope, filters, outcomes)
    order = order_by(scope, filters, outcomes)
    make = RowMaker(scope, outcomes, start=1)
    versions = sorted(
        {(r.version.number, language_texts.reader_label(r.version)) for r in scope.rounds}
    )
    meta = MatrixMeta(
        document_title=language_texts.reader_title(scope.document),
        document_slug=scope.document.slug,
        version_label="; ".join(labels.version_name(n, label) for n, label in versions),
        round_titles=[r.title for r in scope.rounds],
        made_at=now,
        filters=describe_filters(scope, filters),
        public=public,
    )
    sheets = [
        RoundSheet(r.id, r.title, _sheet_rows(scope, r, conditions, order, make))
        for r in scope.rounds
    ]
    return meta, sheets


def matrix_statement(
    viewer: User | None, slug: str, filters: MatrixFilters, now: datetime
) -> Select[*tuple[Any, ...]]:
    """Return the SQL of every row of the filtered, sorted matrix (for benchmarks and checks)."""
    scope = scope_for(viewer, slug, filters, now, public=False)
    outcomes = outcomes_of(scope)
    where, _found = filter_conditions(scope, filters, outcomes)
    return base_query(scope).where(*where).order_by(*order_by(scope, filters, outcomes))
