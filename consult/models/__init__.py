"""SQLAlchemy models, one module per aggregate."""

from consult.models.accounts import ORGANISATION_KINDS, ROLES, Organisation, User
from consult.models.audit import AuditEvent
from consult.models.documents import Clause, Document, ImmutableVersionError, Version

__all__ = [
    "ORGANISATION_KINDS",
    "ROLES",
    "AuditEvent",
    "Clause",
    "Document",
    "ImmutableVersionError",
    "Organisation",
    "User",
    "Version",
]
