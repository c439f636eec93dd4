"""Read-only questions about rounds: which rounds a reader sees, counts, the response list,
and the headline facts every page about a round shows (`summarise`).

Every count or list of comments here is filtered with
permissions.visible_comments, so that no number reveals a comment its reader
may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from consult import labels
from consult.extensions import db
from consult.models import Clause, Comment, Organisation, Round, User
from consult.moments import Moment, duration
from consult.permissions import known_rounds, knows_round, visible_comments
from consult.services import language_texts
from consult.services.errors import NotFound


def rounds_for_reader(user: User) -> list[Round]:
    """Return the rounds `user` may know about, newest first.

    Stakeholders see the rounds their organisation takes part in; everybody
    else (secretariat, drafters, admins) sees every round.
    """
    query = (
        select(Round)
        .options(selectinload(Round.version), selectinload(Round.invitations))
        .order_by(Round.opens_at.desc(), Round.id.desc())
    )
    return list(db.session.scalars(query.where(known_rounds(user))))


def known_round(user: User, round_id: int) -> Round:
    """Return the round if `user` may know about it (permissions.knows_round).

    Raises NotFound both for a round that does not exist and for one kept from
    `user` (an invitation-only round of other organisations): every page about
    one round answers them alike, so that none betrays that the round exists.
    """
    round_ = db.session.get(Round, round_id)
    if round_ is None or not knows_round(user, round_):
        raise NotFound(_("there is no such round"))
    return round_


def visible_comment_counts(user: User, rounds: list[Round], now: datetime) -> dict[int, int]:
    """Return, per round id, how many standing comments of the round `user` may see."""
    if not rounds:
        return {}
    condition = or_(*(visible_comments(user, round_, now) for round_ in rounds))
    rows = db.session.execute(
        select(Comment.round_id, func.count(Comment.id))
        .where(condition, Comment.status == "active")
        .group_by(Comment.round_id)
    ).all()
    counts = {round_.id: 0 for round_ in rounds}
    counts.update({round_id: int(n) for round_id, n in rows})
    return counts


@dataclass(frozen=True)
class CommentBreakdown:
    """Standing comments of a round by type and by organisation, and how many were withdrawn."""

    total: int
    withdrawn: int
    by_type: list[tuple[str, int]]
    by_organisation: list[tuple[str, int]]


def comment_breakdown(user: User, round_: Round, now: datetime) -> CommentBreakdown:
    """Return the counts of the round's comments that `user` may see, by type and organisation.

    Meant for those who see every comment; for anybody else it counts only
    what they may see.
    """
    visible = visible_comments(user, round_, now)
    active = (visible, Comment.status == "active")
    by_type = db.session.execute(
        select(Comment.type, func.count(Comment.id))
        .where(*active)
        .group_by(Comment.type)
        .order_by(Comment.type)
    ).all()
    by_organisation = db.session.execute(
        select(Organisation.name, func.count(Comment.id))
        .join(Organisation, Organisation.id == Comment.organisation_id)
        .where(*active)
        .group_by(Organisation.name)
        .order_by(Organisation.name)
    ).all()
    withdrawn = db.session.scalar(
        select(func.count(Comment.id)).where(visible, Comment.status == "withdrawn")
    )
    return CommentBreakdown(
        total=sum(int(n) for _type, n in by_type),
        withdrawn=int(withdrawn or 0),
        by_type=[(str(t), int(n)) for t, n in by_type],
        by_organisation=[(str(name), int(n)) for name, n in by_organisation],
    )


def comments_for_responses(user: User, round_: Round, now: datetime) -> list[Comment]:
    """Return the round's standing comments in document order (whole-document ones first)."""
    return list(
        db.session.scalars(
            select(Comment)
            .outerjoin(Clause, Clause.id == Comment.clause_id)
            .where(visible_comments(user, round_, now), Comment.status == "active")
            .options(
                selectinload(Comment.organisation),
                selectinload(Comment.clause),
                selectinload(Comment.response),
            )
            .order_by(Comment.clause_id.is_not(None), Clause.position, Comment.id)
        )
    )


def comment_of_round(round_: Round, comment_id: int) -> Comment:
    """Return the comment if it belongs to `round_`, else raise NotFound."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.round_id != round_.id:
        raise NotFound(_("there is no such comment in this round"))
    return comment


def find_organisation(name_or_code: str) -> Organisation | None:
    """Return the organisation with this name or code (ignoring case), or None."""
    wanted = name_or_code.strip().lower()
    if not wanted:
        return None
    return db.session.scalar(
        select(Organisation)
        .where(
            or_(func.lower(Organisation.name) == wanted, func.lower(Organisation.code) == wanted)
        )
        # A name wins over another organisation's code that happens to spell the same.
        .order_by(func.lower(Organisation.name) != wanted, Organisation.id)
        .limit(1)
    )


def state_text(round_: Round, now: datetime) -> str:
    """Return the round's state in words, with the time left when it is not closed."""
    state = round_.state(now)
    if state == "upcoming":
        return str(_("Upcoming — opens in %(left)s", left=duration(round_.opens_at - now)))
    if state == "open":
        return str(_("Open — closes in %(left)s", left=duration(round_.closes_at - now)))
    return labels.label(labels.ROUND_STATES, state)


@dataclass(frozen=True)
class RoundSummary:
    """What every page about a round shows of it."""

    id: int
    title: str
    document_slug: str
    document_title: str
    version_number: int
    version_label: str
    state: str
    state_text: str
    opens: Moment
    closes: Moment
    time_zone: str


def summarise(round_: Round, now: datetime) -> RoundSummary:
    """Return the round's headline facts, ready to show."""
    version = round_.version
    return RoundSummary(
        id=round_.id,
        title=round_.title,
        document_slug=version.document.slug,
        document_title=language_texts.reader_title(version.document),
        version_number=version.number,
        version_label=language_texts.reader_label(version),
        state=round_.state(now),
        state_text=state_text(round_, now),
        opens=Moment(round_.opens_at, round_.time_zone),
        closes=Moment(round_.closes_at, round_.time_zone),
        time_zone=round_.time_zone,
    )
