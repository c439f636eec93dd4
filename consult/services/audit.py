"""Writing the audit trail, always inside the caller's transaction."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from consult.extensions import db
from consult.models import AuditEvent, User, Version


class _Row(Protocol):
    """A model object with an integer primary key."""

    @property
    def id(self) -> int: ...


_R = TypeVar("_R", bound=_Row)


def record(
    actor: User | int | None, action: str, object_type: str, object_id: object, **details: Any
) -> AuditEvent:
    """Add an audit event to the current session (committed with the change) and return it.

    `actor` is the acting user or their id (services that hold a lock pass the
    id, so as not to reload the user), None for the command line or the system.
    """
    event = AuditEvent(
        actor_id=actor if isinstance(actor, int) or actor is None else actor.id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details,
    )
    db.session.add(event)
    return event


def record_added(
    actor: User | int | None, action: str, object_type: str, row: _R, **details: Any
) -> _R:
    """Add a new `row`, flush it to learn its id and record `action` on it; return the row."""
    db.session.add(row)
    db.session.flush()
    record(actor, action, object_type, row.id, **details)
    return row


def record_version(
    actor: User | int | None, action: str, version: Version, **details: Any
) -> AuditEvent:
    """Record `action` on `version`, naming its document and number; return the event."""
    return record(
        actor,
        action,
        "version",
        version.id,
        document=version.document.slug,
        number=version.number,
        **details,
    )
