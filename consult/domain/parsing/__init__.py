"""Draft parsing: Markdown or plain-text drafts into a tree of keyed clauses.

Pure Python (no Flask, no SQLAlchemy). The one entry point is ``parse_draft``;
bad input raises ``DraftError`` with a message naming the line.
"""

from __future__ import annotations

from .errors import DraftError
from .model import CLAUSE_KINDS, ParsedClause, ParsedDraft
from .parser import parse_draft
from .source import MAX_DRAFT_BYTES

__all__ = [
    "CLAUSE_KINDS",
    "MAX_DRAFT_BYTES",
    "DraftError",
    "ParsedClause",
    "ParsedDraft",
    "parse_draft",
]
