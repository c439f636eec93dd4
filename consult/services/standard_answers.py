"""Standard answers: observations the secretariat saves once and picks for many comments.

"Outside the scope of these Principles" may come with the disposition it
usually goes with ("not accepted"); picking the answer offers both. Adding
and removing one is audited; removing one changes no answer already given.
"""

from __future__ import annotations

import hashlib

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consult.domain.text_clean import clean_text
from consult.extensions import db
from consult.models import DISPOSITIONS, StandardAnswer, User
from consult.plurals import ngettext
from consult.services import audit
from consult.services.errors import NotFound, ServiceError
from consult.services.transactions import write_transaction

MAX_TEXT = 2000


def list_answers() -> list[StandardAnswer]:
    """Return every standard answer, in alphabetical order of its text."""
    return list(
        db.session.scalars(
            select(StandardAnswer).order_by(func.lower(StandardAnswer.text), StandardAnswer.id)
        )
    )


def check_text(text: str) -> str:
    """Return the text as stored (trimmed, Unix line ends); raise ServiceError if unfit."""
    text = clean_text(text).strip()
    if not text:
        raise ServiceError(_("write the text of the standard answer"))
    if len(text) > MAX_TEXT:
        raise ServiceError(
            ngettext(
                "a standard answer is limited to %(limit)s character",
                "a standard answer is limited to %(limit)s characters",
                MAX_TEXT,
                limit=format_number(MAX_TEXT),
            )
        )
    return text


def text_key(text: str) -> str:
    """Return the key that makes a standard answer unique: its text, case ignored, hashed."""
    return hashlib.sha256(text.casefold().encode("utf-8")).hexdigest()


def _taken(text: str) -> bool:
    found = db.session.scalar(
        select(StandardAnswer.id).where(StandardAnswer.text_key == text_key(text)).limit(1)
    )
    return found is not None


def add_answer(text: str, disposition: str | None, actor: User | None) -> StandardAnswer:
    """Save a standard answer, optionally with the disposition it goes with; return it.

    A text that is saved already (ignoring case) is refused.
    """
    text = check_text(text)
    disposition = disposition or None
    if disposition is not None and disposition not in DISPOSITIONS:
        raise ServiceError(_("choose a disposition from the list, or none"))
    duplicate = ServiceError(_("this standard answer is saved already"))
    with write_transaction():
        if _taken(text):
            raise duplicate
        answer = StandardAnswer(
            text=text,
            text_key=text_key(text),
            disposition=disposition,
            created_by_id=actor.id if actor else None,
        )
        try:
            audit.record_added(
                actor, "standard_answer.create", "standard_answer", answer, text=text
            )
        except IntegrityError:  # saved by a colleague at the same moment (PostgreSQL)
            raise duplicate from None
    return answer


def remove_answer(answer_id: int, actor: User | None) -> str:
    """Remove a standard answer; return its text. Answers given with it stay as they are."""
    with write_transaction():
        answer = db.session.scalar(
            select(StandardAnswer).where(StandardAnswer.id == answer_id).with_for_update()
        )
        if answer is None:
            raise NotFound(_("there is no such standard answer"))
        text = answer.text
        db.session.delete(answer)
        audit.record(actor, "standard_answer.remove", "standard_answer", answer_id, text=text)
    return text
