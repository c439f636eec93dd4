"""SQLAlchemy models, one module per aggregate."""

from consult.models.accounts import (
    ORGANISATION_KINDS,
    ROLES,
    Organisation,
    PasswordReset,
    User,
    UserSession,
)
from consult.models.audit import AuditEvent
from consult.models.comments import (
    COMMENT_CHANNELS,
    COMMENT_TYPES,
    DISPOSITIONS,
    Comment,
    CommentRevision,
    Response,
    StandardAnswer,
)
from consult.models.comparisons import Comparison, ComparisonFragment
from consult.models.documents import Clause, Document, Version
from consult.models.exports import JOB_STATES, ExportJob, StoredExport
from consult.models.previews import DraftPreview
from consult.models.published import ImmutableVersionError
from consult.models.renderings import VersionRendering
from consult.models.rounds import ATTRIBUTION, PARTICIPATION, VISIBILITY, Round, RoundInvitation
from consult.models.translations import TranslatedClause, Translation
from consult.models.uploads import UPLOAD_KINDS, Upload

__all__ = [
    "ATTRIBUTION",
    "COMMENT_CHANNELS",
    "COMMENT_TYPES",
    "DISPOSITIONS",
    "JOB_STATES",
    "ORGANISATION_KINDS",
    "PARTICIPATION",
    "ROLES",
    "UPLOAD_KINDS",
    "VISIBILITY",
    "AuditEvent",
    "Clause",
    "Comment",
    "CommentRevision",
    "Comparison",
    "ComparisonFragment",
    "Document",
    "DraftPreview",
    "ExportJob",
    "ImmutableVersionError",
    "Organisation",
    "PasswordReset",
    "Response",
    "Round",
    "RoundInvitation",
    "StandardAnswer",
    "StoredExport",
    "TranslatedClause",
    "Translation",
    "Upload",
    "User",
    "UserSession",
    "Version",
    "VersionRendering",
]
