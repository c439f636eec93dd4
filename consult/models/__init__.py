"""SQLAlchemy models, one module per aggregate."""

from consult.models.accounts import ORGANISATION_KINDS, ROLES, Organisation, User, UserSession
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
    "UserSession",
    "Version",
]
