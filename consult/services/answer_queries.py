"""What the secretariat reads while answering: a comment in full with its current answer.

For the answer page and the conflict page of the matrix. These pages are the
secretariat's, who see every comment (the caller checks `can_answer` on the
comment's round); nothing here writes. Texts are made safe here
(comment_html, markdown_to_html), and times are moments in the round's zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.domain.comment_text import comment_html
from consult.domain.diff import Ops, word_diff
from consult.domain.rendering import markdown_to_html
from consult.extensions import db
from consult.models import Comment, Response, Round, Version
from consult.moments import Moment
from consult.services import language_texts
from consult.services.comment_queries.views import ClauseRef, citations
from consult.services.errors import NotFound
from consult.services.responses import AnswerConflict, StoredAnswer


@dataclass(frozen=True)
class CurrentAnswer:
    """The answer stored now."""

    disposition: str
    explanation: Markup
    explanation_text: str
    responder: str
    updated: Moment
    revision: int


@dataclass(frozen=True)
class CommentToAnswer:
    """One comment as the secretariat answers it."""

    id: int
    round_id: int
    round_title: str
    document_slug: str
    document_title: str
    version_number: int
    time_zone: str
    tracking_number: str
    organisation: str
    type: str
    clause: ClauseRef | None
    clause_html: Markup | None
    paragraph: str
    body: Markup
    proposed: str | None
    proposed_diff: Ops | None
    withdrawn: bool
    answer: CurrentAnswer | None

    @property
    def revision(self) -> int:
        """The revision of the stored answer (0: none), which a save must name."""
        return self.answer.revision if self.answer else 0


@dataclass(frozen=True)
class ConflictView:
    """A comment whose answer moved on while somebody answered it: theirs, and yours unsaved."""

    comment: CommentToAnswer
    theirs: CurrentAnswer | None
    yours_disposition: str
    yours_explanation: str
    yours_html: Markup

    @property
    def revision(self) -> int:
        """The revision to name to save yours over theirs knowingly."""
        return self.theirs.revision if self.theirs else 0


def _current(answer: StoredAnswer, zone_name: str) -> CurrentAnswer:
    return CurrentAnswer(
        disposition=answer.disposition,
        explanation=Markup(comment_html(answer.explanation)),
        explanation_text=answer.explanation,
        responder=answer.responder,
        updated=Moment(answer.updated_at, zone_name),
        revision=answer.revision,
    )


def _view(comment: Comment, names: dict[str, str]) -> CommentToAnswer:
    round_ = comment.round
    version = round_.version
    clause = comment.clause
    response = comment.response
    proposed = comment.proposed_text
    read = clause.text if clause is not None else ""
    if clause is not None and comment.text_language:
        read = (
            language_texts.ClauseTexts().text(
                version.id, comment.text_language, clause.key, clause.text
            )
            or ""
        )
    return CommentToAnswer(
        id=comment.id,
        round_id=round_.id,
        round_title=round_.title,
        document_slug=version.document.slug,
        document_title=version.document.title,
        version_number=version.number,
        time_zone=round_.time_zone,
        tracking_number=comment.tracking_number,
        organisation=comment.organisation.name,
        type=comment.type,
        clause=ClauseRef(clause.key, names.get(clause.key, clause.number)) if clause else None,
        clause_html=Markup(markdown_to_html(clause.text)) if clause and clause.text else None,
        paragraph=comment.paragraph,
        body=Markup(comment_html(comment.body)),
        proposed=proposed,
        proposed_diff=tuple(word_diff(read, proposed))
        if clause is not None and proposed is not None
        else None,
        withdrawn=comment.is_withdrawn,
        answer=_current(
            StoredAnswer(
                response.disposition,
                response.explanation,
                response.responder.name,
                response.updated_at,
                response.revision,
            ),
            round_.time_zone,
        )
        if response is not None
        else None,
    )


def comments_to_answer(comment_ids: Sequence[int]) -> list[CommentToAnswer]:
    """Return the comments that exist among `comment_ids`, in the order given."""
    found = db.session.scalars(
        select(Comment)
        .where(Comment.id.in_(set(comment_ids)))
        .options(
            selectinload(Comment.organisation),
            selectinload(Comment.clause),
            selectinload(Comment.response).selectinload(Response.responder),
            selectinload(Comment.round).selectinload(Round.version).selectinload(Version.document),
        )
    ).all()
    names = {v: citations(v) for v in {c.round.version_id for c in found}}
    views = {c.id: _view(c, names[c.round.version_id]) for c in found}
    return [views[i] for i in comment_ids if i in views]


def comment_to_answer(comment_id: int) -> CommentToAnswer:
    """Return one comment to answer, or raise NotFound."""
    found = comments_to_answer([comment_id])
    if not found:
        raise NotFound(_("there is no such comment"))
    return found[0]


def conflicts_to_show(conflicts: Sequence[AnswerConflict]) -> list[ConflictView]:
    """Return each conflict with its comment, their answer as it was found, and yours."""
    views = {v.id: v for v in comments_to_answer([c.comment_id for c in conflicts])}
    return [
        ConflictView(
            comment=views[c.comment_id],
            theirs=_current(c.theirs, views[c.comment_id].time_zone) if c.theirs else None,
            yours_disposition=c.yours.disposition,
            yours_explanation=c.yours.explanation,
            yours_html=Markup(comment_html(c.yours.explanation)),
        )
        for c in conflicts
        if c.comment_id in views
    ]


def rounds_of_comments(comment_ids: Sequence[int]) -> list[Round]:
    """Return the rounds the existing comments among `comment_ids` belong to."""
    if not comment_ids:
        return []
    return list(
        db.session.scalars(
            select(Round).where(
                Round.id.in_(select(Comment.round_id).where(Comment.id.in_(set(comment_ids))))
            )
        )
    )


def round_of_comment(comment_id: int) -> Round:
    """Return the round of the comment, or raise NotFound."""
    round_ = db.session.scalar(
        select(Round).join(Comment, Comment.round_id == Round.id).where(Comment.id == comment_id)
    )
    if round_ is None:
        raise NotFound(_("there is no such comment"))
    return round_
