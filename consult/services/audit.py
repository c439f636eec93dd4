"""Writing the audit trail, always inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from consult.extensions import db
from consult.models import AuditEvent, User


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
