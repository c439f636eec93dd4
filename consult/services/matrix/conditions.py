"""The matrix's filters and sort orders as SQL, and what became of each clause next.

Filters on answers and organisations are built on the Scope's blanked
columns, so that a stakeholder's "answered" filter finds only published
answers and an anonymous round's comments cannot be found by organisation.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, literal, or_, select

from consult.extensions import db
from consult.models import Clause, Comment, Organisation, Response, Round
from consult.services.clause_history import next_published
from consult.services.comment_queries.views import citations
from consult.services.comparisons import Row, compare_versions
from consult.services.matrix.filters import NEXT_STATUSES, MatrixFilters
from consult.services.matrix.model import NextVersion
from consult.services.matrix.scope import (
    Scope,
    answers_shown,
    anywhere,
    organisation_shown,
    shown,
    visible,
)

_NEXT_GROUPS: dict[str, str] = {
    "unchanged": "unchanged",
    "changed": "changed",
    "split": "changed",
    "merged": "changed",
    "moved": "moved",
    "renumbered": "moved",
    "removed": "removed",
}


def _fate(row: Row, number: int) -> NextVersion:
    status = _NEXT_GROUPS.get(row.status, "changed")
    return NextVersion(
        status=status,
        number=number,
        citation=row.new_number,
        diff=row.diff if status == "changed" or row.text_changed else None,
    )


def outcomes_of(scope: Scope) -> dict[int, dict[str, NextVersion]]:
    """Per round: what became of each clause of its version in the next published version."""
    found: dict[int, dict[str, NextVersion]] = {}
    by_version: dict[int, dict[str, NextVersion]] = {}
    for round_ in scope.rounds:
        version = round_.version
        if version.id not in by_version:
            following = next_published(version) if version.is_published else None
            fates: dict[str, NextVersion] = {}
            if following is not None:
                comparison = compare_versions(version, following)
                for row in comparison.rows:
                    for old in row.old:
                        fates[old.key] = _fate(row, following.number)
            by_version[version.id] = fates
        found[round_.id] = by_version[version.id]
    return found


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _clause_keys(scope: Scope, wanted: str) -> dict[int, set[str]]:
    """Return, per round id, the keys of the clause `wanted` names and of its sub-clauses.

    `wanted` may be a key, a display number or a citation, as people write it.
    """
    needle = " ".join(wanted.split()).casefold()
    found: dict[int, set[str]] = {}
    versions = {r.version_id for r in scope.rounds}
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
        for r in scope.rounds:
            if r.version_id == version_id:
                found[r.id] = keys
    return found


def filter_conditions(
    scope: Scope,
    filters: MatrixFilters,
    outcomes: dict[int, dict[str, NextVersion]],
) -> tuple[list[ColumnElement[bool]], bool]:
    """Return the WHERE conditions of the filters, and whether the clause filter found a clause."""
    conditions = [visible(scope)]
    named = anywhere(organisation_shown(scope))
    answered_shown = anywhere(answers_shown(scope))
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
        keys = _clause_keys(scope, filters.clause)
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


def order_by(
    scope: Scope, filters: MatrixFilters, outcomes: dict[int, dict[str, NextVersion]]
) -> list[Any]:
    whole_first = case((Comment.clause_id.is_(None), 0), else_=1)
    document_order = [
        Round.opens_at,
        Comment.round_id,
        whole_first,
        func.coalesce(Clause.position, 0),
    ]
    member = shown(organisation_shown(scope), Organisation.code)
    answered = answers_shown(scope)
    columns: dict[str, Any] = {
        "number": None,
        "document": None,
        "clause": None,
        "tracking": shown(organisation_shown(scope), Comment.tracking_number),
        "member": member,
        "paragraph": Comment.paragraph,
        "type": Comment.type,
        "comment": Comment.body,
        "proposed": Comment.proposed_text,
        "disposition": shown(answered, Response.disposition),
        "observations": shown(answered, Response.explanation),
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
