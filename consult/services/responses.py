"""The secretariat's responses to comments: one at a time or many at once, and their publication.

Every save names the revision of the answer it was made on (0: none yet), so
that an answer a colleague saved meanwhile is reported as an `AnswerConflict`
instead of being overwritten. One answer (`respond`) and many (`apply_answers`,
for the matrix's bulk form and the uploaded spreadsheet) go through the same
checks and the same write; many are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import format_number
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.domain.text_clean import clean_text
from consult.extensions import db
from consult.models import DISPOSITIONS, Comment, Response, Round, User
from consult.plurals import ngettext
from consult.services import audit
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.rounds import lock_round
from consult.services.transactions import now, write_transaction

MAX_EXPLANATION = 10_000


@dataclass(frozen=True)
class StoredAnswer:
    """An answer as saved: what a conflicting save is shown beside."""

    disposition: str
    explanation: str
    responder: str
    updated_at: datetime
    revision: int


@dataclass(frozen=True)
class ProposedAnswer:
    """An answer somebody tried to save."""

    disposition: str
    explanation: str


class AnswerConflict(ServiceError):
    """The answer changed since the page (or file) the save was made on: nothing was written.

    `theirs` is the answer stored now (None if there is none any more),
    `yours` the one that was not saved.
    """

    def __init__(
        self,
        comment_id: int,
        tracking_number: str,
        theirs: StoredAnswer | None,
        yours: ProposedAnswer,
    ) -> None:
        super().__init__(
            _(
                "the answer to %(number)s was changed by somebody else meanwhile",
                number=tracking_number,
            )
        )
        self.comment_id = comment_id
        self.tracking_number = tracking_number
        self.theirs = theirs
        self.yours = yours

    @property
    def revision(self) -> int:
        """The revision stored now (0: no answer), to save over it knowingly."""
        return self.theirs.revision if self.theirs else 0


@dataclass(frozen=True)
class AnswerChange:
    """One answer to save: `expected_revision` is the one it was made on (None: don't check)."""

    comment_id: int
    disposition: str
    explanation: str
    expected_revision: int | None = None


@dataclass
class BulkResult:
    """What a save of many answers did, by tracking number.

    `refused` pairs the tracking number (or "#<id>" for a comment that does
    not exist) with the reason; `unchanged` lists answers that were already
    stored exactly as given, and so were not saved again.
    """

    saved: list[str] = field(default_factory=list)
    conflicts: list[AnswerConflict] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def check_answer(disposition: str, explanation: str) -> str:
    """Return the explanation as stored (trimmed, Unix line ends); raise if the answer is unfit."""
    if disposition not in DISPOSITIONS:
        raise ServiceError(_("choose a disposition"))
    explanation = clean_text(explanation).strip()
    if len(explanation) > MAX_EXPLANATION:
        raise ServiceError(
            ngettext(
                "the explanation is limited to %(limit)s character",
                "the explanation is limited to %(limit)s characters",
                MAX_EXPLANATION,
                limit=format_number(MAX_EXPLANATION),
            )
        )
    if disposition != "noted" and not explanation:
        raise ServiceError(_("explain the disposition in a sentence or two"))
    return explanation


def _stored(response: Response | None) -> StoredAnswer | None:
    if response is None:
        return None
    return StoredAnswer(
        disposition=response.disposition,
        explanation=response.explanation,
        responder=response.responder.name,
        updated_at=response.updated_at,
        revision=response.revision,
    )


def _locked_comments(comment_ids: Sequence[int]) -> dict[int, Comment]:
    """Return the comments by id, their rows locked until the transaction ends (PostgreSQL).

    The lock makes the revision check and the write one step: a colleague's
    save of the same comment waits, then sees the new revision. Rows are
    locked in id order, so that two bulk saves cannot deadlock.
    """
    found = db.session.scalars(
        select(Comment)
        .where(Comment.id.in_(sorted(set(comment_ids))))
        .order_by(Comment.id)
        .with_for_update(of=Comment)
        .options(selectinload(Comment.response).selectinload(Response.responder))
        .execution_options(populate_existing=True)
    )
    return {comment.id: comment for comment in found}


def _save(comment: Comment, change: AnswerChange, actor: User, edit_action: str) -> bool:
    """Write one checked answer to a locked comment; return False when it was stored already.

    Raises Refused (withdrawn comment) or AnswerConflict (the answer moved on
    since `change.expected_revision`); writes nothing then.
    """
    explanation = check_answer(change.disposition, change.explanation)
    if comment.is_withdrawn:
        raise Refused(_("this comment was withdrawn: it needs no answer"))
    response = comment.response
    stored = response.revision if response is not None else 0
    same = (
        response is not None
        and response.disposition == change.disposition
        and response.explanation == explanation
    )
    if same:
        return False  # a colleague saving the very same answer is no conflict
    if change.expected_revision is not None and change.expected_revision != stored:
        raise AnswerConflict(
            comment.id,
            comment.tracking_number,
            _stored(response),
            ProposedAnswer(change.disposition, explanation),
        )
    created = response is None
    if response is None:
        response = Response(comment=comment, responder=actor, revision=1)
        db.session.add(response)
    else:
        response.revision = stored + 1
    response.disposition = change.disposition
    response.explanation = explanation
    response.responder = actor
    response.updated_at = now()
    db.session.flush()
    audit.record(
        actor,
        "response.create" if created else edit_action,
        "comment",
        comment.id,
        tracking_number=comment.tracking_number,
        disposition=change.disposition,
        revision=response.revision,
    )
    return True


def respond(
    comment_id: int,
    disposition: str,
    explanation: str,
    actor: User,
    expected_revision: int | None = None,
) -> Response:
    """Create or update the response to a comment; return it.

    `expected_revision` is the revision the answer had when the person began
    (0: no answer yet); if it moved on since, AnswerConflict is raised and
    nothing is written. Saving exactly the stored answer again changes
    nothing. Responses stay internal until the round's responses are
    published; after that they can still be corrected, and each change is
    audited.
    """
    check_answer(disposition, explanation)
    change = AnswerChange(comment_id, disposition, explanation, expected_revision)
    with write_transaction():
        comment = _locked_comments([comment_id]).get(comment_id)
        if comment is None:
            raise NotFound(_("there is no such comment"))
        _save(comment, change, actor, "response.edit")
        response = comment.response
    assert response is not None
    return response


def apply_answers(
    changes: Sequence[AnswerChange], actor: User, action: str = "response.edit"
) -> BulkResult:
    """Save every fit, unconflicted answer of `changes` in one transaction; report the others.

    Each answer gets the checks of `respond`; one that fails them, names a
    withdrawn or unknown comment, or repeats a comment already given is
    refused with its reason, and one whose answer moved on since its
    expected revision is a conflict. Neither stops the others. Each saved
    answer records an audit event: "response.create" for a first answer,
    `action` for a change (the upload names its own).
    """
    result = BulkResult()
    if not changes:
        return result
    with write_transaction():
        comments = _locked_comments([change.comment_id for change in changes])
        seen: set[int] = set()
        for change in changes:
            comment = comments.get(change.comment_id)
            if comment is None:
                result.refused.append((f"#{change.comment_id}", _("there is no such comment")))
                continue
            number = comment.tracking_number
            if comment.id in seen:
                result.refused.append((number, _("this comment is given more than once")))
                continue
            seen.add(comment.id)
            try:
                saved = _save(comment, change, actor, action)
            except AnswerConflict as conflict:
                result.conflicts.append(conflict)
            except ServiceError as err:
                result.refused.append((number, err.message))
            else:
                (result.saved if saved else result.unchanged).append(number)
    return result


def respond_in_bulk(
    comment_ids_with_revisions: Sequence[tuple[int, int]],
    disposition: str,
    explanation: str,
    actor: User,
) -> BulkResult:
    """Give the comments (id, revision shown) one and the same answer, in one transaction.

    The answer is checked once first: ServiceError when it is unfit or no
    comment is named, and nothing is saved.
    """
    if not comment_ids_with_revisions:
        raise ServiceError(_("choose at least one comment"))
    check_answer(disposition, explanation)
    return apply_answers(
        [
            AnswerChange(comment_id, disposition, explanation, revision)
            for comment_id, revision in comment_ids_with_revisions
        ],
        actor,
    )


def publish_responses(round_id: int, actor: User) -> Round:
    """Make the round's responses visible to commenters (by the round's rule); return it."""
    with write_transaction():
        round_ = lock_round(round_id)
        if round_.responses_published_at is not None:
            raise Refused(_("the answers of this round are published already"))
        moment = now()
        if round_.state(moment) != "closed":
            raise Refused(_("answers can be published once the round has closed"))
        round_.responses_published_at = moment
        audit.record(actor, "round.publish_responses", "round", round_.id)
    return round_
