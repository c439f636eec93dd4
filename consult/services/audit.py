"""Writing the audit trail, always inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from consult.extensions import db
from consult.models import AuditEvent, User


def record(
    actor: User | None, action: str, object_type: str, object_id: object, **details: Any
) -> AuditEvent:
    """Add an audit event to the current session (committed with the change) and return it.

    `actor` is None for actions taken from the command line or by the system.
    """
    event = AuditEvent(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details,
    )
    db.session.add(event)
    return event
