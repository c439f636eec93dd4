"""Read-only queries for the comment pages: lists, counts, one comment in full.

Nothing here writes. Every list or count of comments is filtered in SQL with
`permissions.visible_comments`, the one rule saying who sees which comment;
a single comment is shown only when the caller has checked
`permissions.can_see_comment`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import ColumnElement, case, false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from consult import permissions
from consult.domain.comment_text import comment_html
from consult.domain.diff import word_diff
from consult.domain.rendering import markdown_to_html
from consult.extensions import db
from consult.models import Clause, Comment, Round, User, Version
from consult.moments import Moment
from consult.services import language_texts
from consult.services.comment_queries.views import (
    ClauseRef,
    CommentDetail,
    CommentRow,
    FormContext,
    Receipt,
    Revision,
    RoundComments,
    RoundNumbers,
    VersionComments,
    citations,
    comment_row,
    emailed_day,
)
from consult.services.errors import NotFound
from consult.services.round_queries import RoundSummary, summarise


def get_comment(comment_id: int, *, in_full: bool = False) -> Comment:
    """Return the comment, or raise NotFound.

    `in_full` loads with it, in the same statement, what its page shows: its
    round, version and document, its clause and its response.
    """
    options = (
        [
            joinedload(Comment.round).joinedload(Round.version).joinedload(Version.document),
            joinedload(Comment.clause),
            joinedload(Comment.response),
        ]
        if in_full
        else []
    )
    comment = db.session.get(Comment, comment_id, options=options)
    if comment is None:
        raise NotFound(_("there is no such comment"))
    return comment


def find_clause(round_: Round, key: str) -> Clause:
    """Return the clause `key` of the round's version, or raise NotFound."""
    clause = db.session.scalar(
        select(Clause).where(Clause.version_id == round_.version_id, Clause.key == key)
    )
    if clause is None:
        raise NotFound(_("the version under consultation has no such clause"))
    return clause


def _document_order() -> tuple[Any, ...]:
    # Comments on the whole document first, then clause by clause, oldest first.
    return (
        case((Comment.clause_id.is_(None), 0), else_=1),
        func.coalesce(Clause.position, 0),
        Comment.received_at,
    )


_LOAD = (
    selectinload(Comment.organisation),
    selectinload(Comment.clause),
    selectinload(Comment.response),
)


def _visible(user: User, rounds: Sequence[Round], now: datetime) -> ColumnElement[bool]:
    if not rounds:
        return false()
    return or_(*(permissions.visible_comments(user, r, now) for r in rounds))


def round_comments(user: User, round_: Round, now: datetime) -> RoundComments:
    """Return the comments of the round `user` may see, in document order."""
    comments = db.session.scalars(
        select(Comment)
        .outerjoin(Clause, Clause.id == Comment.clause_id)
        .where(permissions.visible_comments(user, round_, now))
        .order_by(*_document_order(), Comment.id)
        .options(*_LOAD)
    ).all()
    names = citations(round_.version_id)
    numbers: RoundNumbers = {}
    return RoundComments(
        summarise(round_, now), [comment_row(user, c, names, now, numbers) for c in comments]
    )


def _rounds_of_version(user: User, version: Version) -> list[Round]:
    """The version's rounds that `user` may know about (permissions.known_rounds), newest first."""
    return list(
        db.session.scalars(
            select(Round)
            .where(Round.version_id == version.id, permissions.known_rounds(user))
            .order_by(Round.opens_at.desc(), Round.id.desc())
        )
    )


def clause_comments(
    user: User, version: Version, key: str, citation: str, now: datetime
) -> tuple[list[RoundComments], list[RoundSummary]]:
    """Return the comments on clause `key` (cited as `citation`) that `user` may see, by round.

    Also returns the rounds of the version in which `user` may comment now.
    """
    rounds = _rounds_of_version(user, version)
    comments = db.session.scalars(
        select(Comment)
        .join(Clause, Clause.id == Comment.clause_id)
        .where(
            Clause.version_id == version.id,
            Clause.key == key,
            _visible(user, rounds, now),
        )
        .order_by(Comment.received_at, Comment.id)
        .options(*_LOAD)
    ).all()
    names = {key: citation}
    numbers: RoundNumbers = {}
    by_round: dict[int, list[CommentRow]] = {}
    for comment in comments:
        row = comment_row(user, comment, names, now, numbers)
        by_round.setdefault(comment.round_id, []).append(row)
    shown = [RoundComments(summarise(r, now), by_round[r.id]) for r in rounds if r.id in by_round]
    open_to_user = [summarise(r, now) for r in rounds if permissions.can_comment(user, r, now)]
    return shown, open_to_user


def _pick_round(rounds: list[Round], wanted: int | None, now: datetime) -> Round | None:
    # A round of another version (or none at all) falls back as if none were asked for.
    asked = next((r for r in rounds if r.id == wanted), None)
    if asked is not None:
        return asked
    open_rounds = [r for r in rounds if r.state(now) == "open"]
    chosen = open_rounds or rounds
    return chosen[0] if chosen else None


def version_comments(
    user: User, version: Version, now: datetime, round_id: int | None = None
) -> VersionComments:
    """Return the version's rounds and, for the round shown, counts of visible comments per clause.

    The round shown is `round_id` if it is one of the version's, else the most
    recent open round, else the most recent one. The counts come from one
    GROUP BY query, filtered with the visibility rule.
    """
    rounds = _rounds_of_version(user, version)
    selected = _pick_round(rounds, round_id, now)
    counts: dict[str, int] = {}
    whole = 0
    if selected is not None:
        rows = db.session.execute(
            select(Clause.key, func.count(Comment.id))
            .select_from(Comment)
            .outerjoin(Clause, Clause.id == Comment.clause_id)
            .where(permissions.visible_comments(user, selected, now))
            .group_by(Clause.key)
        )
        for key, count in rows:
            if key is None:
                whole = int(count)
            else:
                counts[str(key)] = int(count)
    return VersionComments(
        rounds=[summarise(r, now) for r in rounds],
        selected=summarise(selected, now) if selected else None,
        counts=counts,
        whole_document=whole,
        can_comment=selected is not None and permissions.can_comment(user, selected, now),
    )


def our_comments(user: User, now: datetime) -> list[RoundComments]:
    """Return the comments of `user`'s organisation across all rounds, newest round first."""
    if user.organisation_id is None:
        return []
    rounds = list(
        db.session.scalars(
            select(Round)
            .where(
                Round.id.in_(
                    select(Comment.round_id).where(Comment.organisation_id == user.organisation_id)
                )
            )
            .order_by(Round.opens_at.desc(), Round.id.desc())
        )
    )
    comments = db.session.scalars(
        select(Comment)
        .outerjoin(Clause, Clause.id == Comment.clause_id)
        .where(Comment.organisation_id == user.organisation_id, _visible(user, rounds, now))
        .order_by(*_document_order(), Comment.id)
        .options(*_LOAD)
    ).all()
    names: dict[int, dict[str, str]] = {}
    numbers: RoundNumbers = {}
    by_round: dict[int, list[CommentRow]] = {}
    for comment in comments:
        version_id = comment.round.version_id
        if version_id not in names:
            names[version_id] = citations(version_id)
        row = comment_row(user, comment, names[version_id], now, numbers)
        by_round.setdefault(comment.round_id, []).append(row)
    return [RoundComments(summarise(r, now), by_round[r.id]) for r in rounds if r.id in by_round]


def comment_detail(user: User, comment: Comment, now: datetime) -> CommentDetail:
    """Return one comment in full for `user`; the caller has checked can_see_comment."""
    round_ = comment.round
    zone = round_.time_zone
    names = citations(round_.version_id)
    row = comment_row(user, comment, names, now)
    clause_text = comment.clause.text if comment.clause else None
    if comment.clause is not None and comment.text_language:
        clause_text = language_texts.ClauseTexts().text(
            round_.version_id, comment.text_language, comment.clause.key, clause_text
        )
    proposed = comment.proposed_text
    # A proposal typed on the platform rewrites the clause; one that came by
    # e-mail is the template's "Proposed change", often an instruction: shown as written.
    diff = (
        tuple(word_diff(clause_text, proposed))
        if proposed is not None and clause_text is not None and comment.channel == "platform"
        else None
    )
    own = permissions.can_see_revisions(user, comment)
    is_author_org = user.organisation_id == comment.organisation_id
    receipt = (
        Receipt(
            tracking_number=comment.tracking_number,
            received=Moment(comment.received_at, zone),
            updated=Moment(comment.updated_at, zone) if comment.revision > 1 else None,
            content_hash=comment.content_hash,
            revision=comment.revision,
            emailed=emailed_day(user, comment),
        )
        if is_author_org
        else None
    )
    revisions = (
        [
            Revision(
                r.revision,
                r.type,
                Markup(comment_html(r.body)),
                r.proposed_text,
                Moment(r.saved_at, zone),
            )
            for r in reversed(comment.revisions)
        ]
        if own
        else None
    )
    return CommentDetail(
        row=row,
        round=summarise(round_, now),
        clause_text=clause_text,
        proposed=proposed,
        proposed_diff=diff,
        receipt=receipt,
        revisions=revisions,
        can_change=permissions.can_change_comment(user, comment, now),
    )


def form_context(
    user: User, round_: Round, clause: Clause | None, now: datetime, language: str = ""
) -> FormContext:
    """Return what the comment form on `clause` (None: the whole document) shows around it,
    the clause in `language` where the version has a published text in it."""
    ref = None
    heading, text = (clause.heading, clause.text) if clause is not None else ("", "")
    shown_in = ""
    if clause is not None:
        ref = ClauseRef(clause.key, citations(round_.version_id).get(clause.key, clause.key))
        words = (
            language_texts.clause_in(round_.version_id, clause.key, language) if language else None
        )
        if words is not None:
            (heading, text), shown_in = words, language
    return FormContext(
        round=summarise(round_, now),
        clause=ref,
        clause_heading=heading.strip(),
        clause_html=Markup(markdown_to_html(text)) if clause and text else None,
        clause_text=text if clause else None,
        organisation=user.organisation.name if user.organisation else "",
        clause_language=shown_in,
    )
