"""Rows that never change once published: a version and its clauses, a translation and its
clauses.

Besides the services' checks, a session hook per such pair refuses any flush that would
update or delete the published row or one of its parts, or add a part to it, so that no
code path (a forgotten check, a shell session) can alter what readers were shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session


class ImmutableVersionError(RuntimeError):
    """Raised when something tries to change a published version or translation, or its
    clauses."""


def was_published(row: Any) -> bool:
    """Whether `row` was stored as published (before any change made in this session)."""
    state = inspect(row)
    history = state.attrs.status.history
    committed = history.deleted[0] if history.deleted else row.status
    return bool(committed == "published" and state.persistent)


def frozen_once_published(
    whole: type,
    part: type,
    *,
    owner: str,
    owner_id: str,
    whole_changed: Callable[[Any], str],
    part_changed: Callable[[Any], str],
    part_added: str,
) -> None:
    """Refuse, at every flush, a change to a published `whole` (a row with a `status`), a
    change to or removal of its `part` rows (which name it by `owner` and `owner_id`), and a
    new part; the messages say which."""

    def owner_of(session: Session, row: Any, loaded: bool) -> Any:
        found = getattr(row, owner) if loaded else None
        if found is None and getattr(row, owner_id) is not None:
            found = session.get(whole, getattr(row, owner_id))
        return found

    @event.listens_for(Session, "before_flush")
    def _refuse_changes_to_published(session: Session, _context: Any, _instances: Any) -> None:
        for row in list(session.dirty) + list(session.deleted):
            changed = row in session.deleted or session.is_modified(row, include_collections=False)
            if isinstance(row, whole) and was_published(row):
                if changed:
                    raise ImmutableVersionError(whole_changed(row))
            elif isinstance(row, part):
                found = owner_of(session, row, loaded=False)
                if found is not None and was_published(found) and changed:
                    raise ImmutableVersionError(part_changed(row))
        for row in session.new:
            if isinstance(row, part):
                found = owner_of(session, row, loaded=True)
                if found is not None and was_published(found):
                    raise ImmutableVersionError(part_added)
