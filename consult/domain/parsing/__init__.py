"""Draft parsing: Markdown or plain-text drafts into a tree of keyed clauses.

Pure Python (no Flask, no SQLAlchemy). Uploaded bytes go through
``parse_draft``; a caller that keeps the text decodes it once with
``decode_draft`` and parses it with ``parse_text``. Bad input raises
``DraftError`` with a message naming the line.
"""

from __future__ import annotations

from .errors import DraftError, ParseMessage
from .model import CLAUSE_KINDS, ParsedClause, ParsedDraft
from .parser import parse_draft, parse_text
from .source import MAX_DRAFT_BYTES, decode_draft

__all__ = [
    "CLAUSE_KINDS",
    "MAX_DRAFT_BYTES",
    "DraftError",
    "ParseMessage",
    "ParsedClause",
    "ParsedDraft",
    "decode_draft",
    "parse_draft",
    "parse_text",
]
