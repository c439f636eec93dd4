"""Submitting, editing and withdrawing comments, with receipts and deadlines that hold.

Every write runs in a write transaction that first locks the round's row
(SELECT ... FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on SQLite) and only then
reads the clock: a comment is accepted if and only if that time is before the
round's closing time, and that time is what the comment is stamped with.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from consult.domain.scripts import script_language
from consult.extensions import db
from consult.models import (
    Clause,
    Comment,
    CommentRevision,
    Round,
    RoundInvitation,
    User,
)
from consult.permissions import speaks_for_organisation
from consult.services import audit, language_texts
from consult.services.comment_input import (
    CommentInput,
    Receipt,
    check_input,
    content_hash,
    receipt,
    without_unchanged_wording,
)
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.rounds import lock_round
from consult.services.transactions import now, write_transaction

MAX_IDEMPOTENCY_KEY = 64


class RoundClosed(Refused):
    """The round is not open (upcoming or closed)."""


class NotParticipating(Refused):
    """The author's organisation does not take part in the round."""


class EditConflict(ServiceError):
    """Someone saved the comment since this person opened it."""

    def __init__(self, comment: Comment) -> None:
        super().__init__(_("this comment was changed by someone else since you opened it"))
        self.comment = comment


def _existing(author_id: int, idempotency_key: str) -> Comment | None:
    return db.session.scalar(
        select(Comment).where(
            Comment.author_id == author_id, Comment.idempotency_key == idempotency_key
        )
    )


@dataclass(frozen=True)
class _Submission:
    """What the locked part of a submission needs, read before taking the lock."""

    author_id: int
    organisation_id: int
    organisation_code: str
    clause_key: str | None
    key: str
    data: CommentInput


def submit_comment(
    round_id: int,
    clause_key: str | None,
    data: CommentInput,
    author: User,
    idempotency_key: str,
) -> Receipt:
    """Store a comment on the clause `clause_key` of the round's version (None: the
    document as a whole) and return its receipt.

    Submitting again with the same idempotency key returns the first receipt
    and stores nothing. Raises NotFound (no such round, or one kept from the
    author; no such clause in the version under consultation), RoundClosed,
    NotParticipating or ServiceError. The round and the clause are read once,
    under the round's lock, with what the checks need: a submission is one
    transaction of four statements.
    """
    if not idempotency_key or len(idempotency_key) > MAX_IDEMPOTENCY_KEY:
        raise ServiceError(_("the form is missing its submission key: reload the page"))
    data = check_input(data)
    organisation = author.organisation
    if organisation is None or not speaks_for_organisation(author):
        raise NotParticipating(_("only stakeholders comment, on behalf of their organisation"))
    submission = _Submission(
        author_id=author.id,
        organisation_id=organisation.id,
        organisation_code=organisation.code,
        clause_key=clause_key or None,
        key=idempotency_key,
        data=data,
    )
    attempts = 3
    for attempt in range(attempts):
        try:
            with write_transaction():
                return _submit_locked(round_id, submission)
        except IntegrityError:
            # A retry of the same submission stored it first (same key), or a
            # colleague's comment took the same sequence number: look, then retry.
            existing = _existing(submission.author_id, idempotency_key)
            if existing is not None:
                return receipt(existing, duplicate=True)
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _lock_round_for(
    round_id: int, clause_key: str | None, organisation_id: int
) -> tuple[Round, Clause | None, bool] | None:
    """Return the round (its row locked FOR SHARE), the clause `clause_key` of its
    version (None if it has none such, or for no key) and whether the organisation
    is invited, in one statement; None if there is no such round."""
    invited = (
        select(RoundInvitation.round_id)
        .where(
            RoundInvitation.round_id == Round.id,
            RoundInvitation.organisation_id == organisation_id,
        )
        .exists()
    )
    statement = (
        select(Round, Clause, invited)
        .outerjoin(
            Clause,
            and_(Clause.version_id == Round.version_id, Clause.key == (clause_key or "")),
        )
        .where(Round.id == round_id)
        .with_for_update(read=True, of=Round)
    )
    row = db.session.execute(statement).one_or_none()
    if row is None:
        return None
    round_, clause, is_invited = row
    return round_, (clause if clause_key else None), bool(is_invited)


def _as_read(
    data: CommentInput, version_id: int, clause: Clause | None
) -> tuple[CommentInput, str | None]:
    """The input with the language of the text it was made on kept only where the version
    has a published text in it, and the clause's words in that language."""
    if not data.text_language:
        return data, None
    texts = language_texts.texts_in(version_id, data.text_language)
    if texts is None:
        return replace(data, text_language=""), None
    return data, texts.get(clause.key) if clause is not None else None


def _existing_and_highest(s: _Submission, round_id: int) -> tuple[int | None, int]:
    """Return the id of a comment stored under this submission's key (a resent form)
    and the organisation's highest sequence number in the round, in one statement."""
    stored = select(Comment.id).where(
        Comment.author_id == s.author_id, Comment.idempotency_key == s.key
    )
    highest = select(func.max(Comment.sequence)).where(
        Comment.round_id == round_id, Comment.organisation_id == s.organisation_id
    )
    existing_id, top = db.session.execute(
        select(stored.scalar_subquery(), highest.scalar_subquery())
    ).one()
    return existing_id, top or 0


def _submit_locked(round_id: int, s: _Submission) -> Receipt:
    # A shared lock: submissions do not wait for each other, but a change of
    # the closing time (an exclusive lock) waits for them, and they for it.
    locked = _lock_round_for(round_id, s.clause_key, s.organisation_id)
    if locked is None:
        raise NotFound(_("there is no such round"))
    round_, clause, invited = locked
    existing_id, highest = _existing_and_highest(s, round_id)
    if existing_id is not None:
        existing = db.session.get(Comment, existing_id)
        assert existing is not None
        return receipt(existing, duplicate=True)
    if round_.participation != "all" and not invited:
        raise NotParticipating(_("your organisation is not invited to comment in this round"))
    if s.clause_key is not None and clause is None:
        raise NotFound(_("the version under consultation has no such clause"))
    moment = now()
    state = round_.state(moment)
    if state != "open":
        raise RoundClosed(
            _("this round has closed: comments are no longer accepted")
            if state == "closed"
            else _("this round is not open yet")
        )
    data, read = _as_read(s.data, round_.version_id, clause)
    comment = store_comment(
        round_id=round_.id,
        organisation_id=s.organisation_id,
        organisation_code=s.organisation_code,
        author_id=s.author_id,
        clause_id=clause.id if clause else None,
        clause_key=s.clause_key,
        data=without_unchanged_wording(data, clause, read),
        idempotency_key=s.key,
        moment=moment,
        sequence=highest + 1,
    )
    audit.record(
        s.author_id,
        "comment.submit",
        "comment",
        comment.id,
        round=round_.id,
        tracking_number=comment.tracking_number,
        content_hash=comment.content_hash,
    )
    return receipt(comment)


def next_sequence(round_id: int, organisation_id: int) -> int:
    """Return the next sequence number of an organisation's comments in a round.

    Call it inside a write transaction that locks the round, so that no other
    comment of the organisation can take the same number meanwhile.
    """
    highest = db.session.scalar(
        select(func.max(Comment.sequence)).where(
            Comment.round_id == round_id, Comment.organisation_id == organisation_id
        )
    )
    return (highest or 0) + 1


def store_comment(
    *,
    round_id: int,
    organisation_id: int,
    organisation_code: str,
    author_id: int,
    clause_id: int | None,
    clause_key: str | None,
    data: CommentInput,
    idempotency_key: str,
    moment: datetime,
    sequence: int | None = None,
    paragraph: str = "",
    emailed_on: date | None = None,
) -> Comment:
    """Add a checked comment with its tracking number and content hash; return it, flushed.

    The one place comments are numbered and hashed, for those typed on the
    platform and those that arrived by e-mail (`emailed_on` set). Runs inside
    the caller's write transaction, which holds the round's lock and records
    the audit event.
    """
    if sequence is None:
        sequence = next_sequence(round_id, organisation_id)
    digest = content_hash(round_id, clause_key, organisation_code, data)
    comment = Comment(
        round_id=round_id,
        clause_id=clause_id,
        organisation_id=organisation_id,
        author_id=author_id,
        type=data.type,
        body=data.body,
        proposed_text=data.proposed_text,
        paragraph=paragraph,
        sequence=sequence,
        tracking_number=f"{organisation_code}-{sequence:03d}",
        idempotency_key=idempotency_key,
        content_hash=digest,
        received_at=moment,
        updated_at=moment,
        revision=1,
        status="active",
        channel="email" if emailed_on is not None else "platform",
        emailed_on=emailed_on,
        language=written_in(data.body, typed_here=emailed_on is None, said=data.language),
        text_language=data.text_language,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def written_in(body: str, *, typed_here: bool, said: str = "") -> str:
    """Return the language a comment is written in: its script's where that leaves no doubt,
    else the one its author said, else (for one typed on the platform) the language of the
    pages it was typed on; else ''."""
    by_script = script_language(body)
    if by_script is not None:
        return by_script
    if said:
        return said
    if not typed_here:
        return ""
    locale = get_locale()
    return str(locale).replace("_", "-") if locale is not None else ""


def _check_can_change(comment: Comment, author: User) -> Round:
    round_ = lock_round(comment.round_id)
    if author.organisation_id != comment.organisation_id:
        raise Refused(_("only your organisation's own comments can be changed"))
    if comment.is_withdrawn:
        raise Refused(_("this comment was withdrawn and can no longer be changed"))
    if round_.responses_published_at is not None:
        raise RoundClosed(
            _("the answers of this round are published: its comments can no longer be changed")
        )
    if round_.state(now()) != "open":
        raise RoundClosed(_("this round has closed: comments can no longer be changed"))
    return round_


def edit_comment(
    comment_id: int, data: CommentInput, author: User, expected_revision: int
) -> Receipt:
    """Save a new text for a comment, keeping the previous one as a revision.

    `expected_revision` is the revision the person started from: if another
    save happened since, EditConflict is raised (carrying the newer comment)
    and nothing is changed.
    """
    data = check_input(data)
    with write_transaction():
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            raise NotFound(_("there is no such comment"))
        _check_can_change(comment, author)
        db.session.refresh(comment)
        if comment.revision != expected_revision:
            raise EditConflict(comment)
        db.session.add(
            CommentRevision(
                comment_id=comment.id,
                revision=comment.revision,
                type=comment.type,
                body=comment.body,
                proposed_text=comment.proposed_text,
                content_hash=comment.content_hash,
                saved_at=comment.updated_at,
                saved_by_id=author.id,
            )
        )
        read = None
        if comment.text_language and comment.clause is not None:
            texts = language_texts.texts_in(comment.round.version_id, comment.text_language)
            read = texts.get(comment.clause.key) if texts else None
        data = without_unchanged_wording(data, comment.clause, read)
        moment = now()
        comment.type = data.type
        comment.body = data.body
        comment.language = written_in(
            data.body, typed_here=comment.channel == "platform", said=data.language
        )
        comment.proposed_text = data.proposed_text
        comment.content_hash = content_hash(
            comment.round_id,
            comment.clause.key if comment.clause else None,
            comment.organisation.code,
            data,
        )
        comment.revision += 1
        comment.updated_at = moment
        audit.record(
            author,
            "comment.edit",
            "comment",
            comment.id,
            tracking_number=comment.tracking_number,
            revision=comment.revision,
            content_hash=comment.content_hash,
        )
    return receipt(comment)


def withdraw_comment(comment_id: int, author: User) -> Comment:
    """Withdraw a comment: it is kept, but leaves the matrix. Return it."""
    with write_transaction():
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            raise NotFound(_("there is no such comment"))
        _check_can_change(comment, author)
        moment = now()
        comment.status = "withdrawn"
        comment.withdrawn_at = moment
        comment.updated_at = moment
        audit.record(
            author,
            "comment.withdraw",
            "comment",
            comment.id,
            tracking_number=comment.tracking_number,
        )
    return comment
