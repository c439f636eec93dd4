"""Reading the audit trail: filtered, newest first, a page at a time (queries only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.models import AuditEvent

PAGE_SIZE = 50

# The actor filter: anyone (None), actions without a person ("system"), or a user's id.
ActorFilter = int | Literal["system"] | None


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; every part is optional. Dates are whole days in UTC, both inclusive."""

    actor: ActorFilter = None
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    """One page of events, newest first, and where it sits among all matching events."""

    events: list[AuditEvent]
    page: int
    page_count: int
    total: int

    @property
    def has_previous(self) -> bool:
        """Whether a page of newer events comes before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Whether a page of older events comes after this one."""
        return self.page < self.page_count


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _filtered(query: Select[AuditEvent], wanted: AuditFilter) -> Select[AuditEvent]:
    if wanted.actor == "system":
        query = query.where(AuditEvent.actor_id.is_(None))
    elif wanted.actor is not None:
        query = query.where(AuditEvent.actor_id == wanted.actor)
    if wanted.object_type:
        query = query.where(AuditEvent.object_type == wanted.object_type)
    if wanted.object_id:
        query = query.where(AuditEvent.object_id == wanted.object_id)
    if wanted.action:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.date_from is not None:
        query = query.where(AuditEvent.at >= _start_of_day(wanted.date_from))
    if wanted.date_to is not None:
        query = query.where(AuditEvent.at < _start_of_day(wanted.date_to + timedelta(days=1)))
    return query


def search_events(wanted: AuditFilter, page: int = 1, page_size: int = PAGE_SIZE) -> AuditPage:
    """Return page `page` (from 1) of the events matching `wanted`, newest first.

    A page past the last one comes back empty, with the right page count.
    """
    page = max(page, 1)
    base = _filtered(select(AuditEvent), wanted)
    total = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page_count = max(1, -(-total // page_size))
    if page > page_count:  # also keeps absurd page numbers away from the database
        return AuditPage([], page, page_count, total)
    events = db.session.scalars(
        base.options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    return AuditPage(list(events), page, page_count, total)


def object_types() -> list[str]:
    """Return the kinds of object the trail mentions, alphabetically."""
    query = select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
    return list(db.session.scalars(query))


def actions() -> list[str]:
    """Return the actions the trail mentions, alphabetically."""
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return list(db.session.scalars(query))
