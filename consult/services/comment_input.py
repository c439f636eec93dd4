"""What a comment is made of before it is stored, and what its author keeps after.

The input typed (checked and cleaned the same way on the platform, in an
e-mailed template and in the demo), the SHA-256 the receipt states, and the
receipt itself. No database access: `consult.services.comments` stores.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace

from flask_babel import format_number
from flask_babel import gettext as _

from consult.domain.text_clean import clean_text
from consult.languages import LANGUAGES
from consult.models import COMMENT_TYPES, Clause, Comment
from consult.plurals import ngettext
from consult.services.errors import ServiceError

MAX_BODY = 10_000
MAX_PROPOSED = 20_000


@dataclass(frozen=True)
class CommentInput:
    """What a stakeholder typed."""

    type: str
    body: str
    proposed_text: str | None = None
    language: str = ""  # the language the person says the comment is written in ('' not said)
    text_language: str = ""  # the language of the clause text read ('' the version's own)


@dataclass(frozen=True)
class Receipt:
    """What the commenter keeps: tracking number, server time, SHA-256 of the content."""

    tracking_number: str
    received_at: str
    content_hash: str
    comment_id: int
    duplicate: bool = False


def normalise_text(text: str) -> str:
    """Return `text` cleaned of control characters, line ends plain, outer blank space removed."""
    return clean_text(text).strip()


def check_input(data: CommentInput) -> CommentInput:
    """Return the cleaned input, or raise ServiceError saying what is wrong."""
    if data.type not in COMMENT_TYPES:
        raise ServiceError(_("choose the type of comment: general, substantive or editorial"))
    body = normalise_text(data.body)
    if not body:
        raise ServiceError(_("the comment is empty"))
    if len(body) > MAX_BODY:
        length, limit = format_number(len(body)), format_number(MAX_BODY)
        raise ServiceError(
            ngettext(
                "the comment has %(length)s character; the limit is %(limit)s",
                "the comment has %(length)s characters; the limit is %(limit)s",
                len(body),
                length=length,
                limit=limit,
            )
        )
    proposed = normalise_text(data.proposed_text or "") or None
    if proposed is not None and len(proposed) > MAX_PROPOSED:
        length, limit = format_number(len(proposed)), format_number(MAX_PROPOSED)
        raise ServiceError(
            ngettext(
                "the proposed change has %(length)s character; the limit is %(limit)s",
                "the proposed change has %(length)s characters; the limit is %(limit)s",
                len(proposed),
                length=length,
                limit=limit,
            )
        )
    language = data.language if data.language in LANGUAGES else ""
    text_language = data.text_language if data.text_language in LANGUAGES else ""
    return CommentInput(data.type, body, proposed, language, text_language)


def content_hash(
    round_id: int, clause_key: str | None, organisation_code: str, data: CommentInput
) -> str:
    """Return the SHA-256 of what was submitted, as the receipt states it."""
    payload = json.dumps(
        {
            "round": round_id,
            "clause": clause_key,
            "organisation": organisation_code,
            "type": data.type,
            "comment": data.body,
            "proposed_wording": data.proposed_text,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def receipt(comment: Comment, duplicate: bool = False) -> Receipt:
    """Return the receipt of a stored comment."""
    return Receipt(
        tracking_number=comment.tracking_number,
        received_at=comment.received_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
        content_hash=comment.content_hash,
        comment_id=comment.id,
        duplicate=duplicate,
    )


def without_unchanged_wording(
    data: CommentInput, clause: Clause | None, read: str | None = None
) -> CommentInput:
    """Return `data` without a proposed wording that only repeats the clause's text (or the
    text `read`, the clause in the language it was read in)."""
    if data.proposed_text is None or clause is None:
        return data
    if data.proposed_text in (normalise_text(clause.text), normalise_text(read or "")):
        return replace(data, proposed_text=None)
    return data
