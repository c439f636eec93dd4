"""What the comment pages show, as plain data: comments, rounds, receipts, times.

Texts are rendered safely here (comment_html, never raw user text marked
safe), organisations and tracking numbers are left out where the round's
attribution rule hides them, and times are moments (consult.moments) in
the round's own time zone.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from consult import permissions
from consult.domain.comment_text import comment_html
from consult.domain.diff import Ops
from consult.extensions import db
from consult.languages import reader_language
from consult.models import Clause, Comment, User, Version
from consult.moments import Moment, day_text
from consult.services import language_texts
from consult.services.clause_tree import build_tree
from consult.services.round_queries import RoundSummary


@dataclass(frozen=True)
class Day:
    """A day as shown: machine-readable and in words ("12 March 2026")."""

    iso: str
    text: str

    @classmethod
    def of(cls, day: date) -> Day:
        """Return ``day`` ready to show."""
        return cls(day.isoformat(), day_text(day))


def emailed_day(user: User, comment: Comment) -> Day | None:
    """Return the day an e-mailed comment arrived, for staff and the comment's organisation."""
    if comment.emailed_on is None:
        return None
    if not (permissions.sees_every_comment(user) or permissions.owns_comment(user, comment)):
        return None
    return Day.of(comment.emailed_on)


@dataclass(frozen=True)
class ClauseRef:
    """A clause as a comment names it: key (for links) and citation."""

    key: str
    citation: str


@dataclass(frozen=True)
class ResponseView:
    """The secretariat's answer to a comment."""

    disposition: str
    explanation: Markup


@dataclass(frozen=True)
class CommentRow:
    """One comment in a list."""

    id: int
    tracking_number: str | None
    # What the comment is called on pages ("Comment DE-002", or "Comment 7" of the round).
    name: str
    type: str
    clause: ClauseRef | None
    body: Markup
    organisation: str | None
    withdrawn: bool
    edits: int
    received: Moment
    response: ResponseView | None
    # The day an e-mailed comment arrived (shown to staff and to its organisation).
    emailed: Day | None = None
    language: str = ""  # what it is written in ('' when not known)


@dataclass(frozen=True)
class RoundComments:
    """A round with the comments of it that are shown."""

    round: RoundSummary
    comments: list[CommentRow]


@dataclass(frozen=True)
class Revision:
    """An earlier text of a comment."""

    revision: int
    type: str
    body: Markup
    proposed: str | None
    saved: Moment


@dataclass(frozen=True)
class Receipt:
    """What the commenter's organisation keeps as proof of submission."""

    tracking_number: str
    received: Moment
    updated: Moment | None
    content_hash: str
    revision: int
    emailed: Day | None = None


@dataclass(frozen=True)
class CommentDetail:
    """One comment in full, with what its reader may see and do."""

    row: CommentRow
    round: RoundSummary
    clause_text: str | None
    proposed: str | None
    proposed_diff: Ops | None
    receipt: Receipt | None
    revisions: list[Revision] | None
    can_change: bool


@dataclass(frozen=True)
class FormContext:
    """What the comment form shows around itself: the round, the clause, the organisation."""

    round: RoundSummary
    clause: ClauseRef | None
    clause_heading: str
    clause_html: Markup | None
    clause_text: str | None
    organisation: str
    clause_language: str = ""  # the language of the clause's words shown ('' the version's own)


@dataclass(frozen=True)
class VersionComments:
    """The comment summary of a version page: its rounds, the one shown, counts per clause."""

    rounds: list[RoundSummary]
    selected: RoundSummary | None
    counts: dict[str, int]
    whole_document: int
    can_comment: bool


# Citations of published versions, which never change: a per-process memo of
# derived data (never the source of truth), keyed by the version and the moment
# it was published so that a reused id can never hit an entry of another version.
_CITATIONS: OrderedDict[tuple[int, str, str, str], dict[str, str]] = OrderedDict()
_CITATIONS_KEPT = 16


def forget_citations() -> None:
    """Empty the memo of citations (when a database is wiped and its ids handed out again)."""
    _CITATIONS.clear()


def citations(version_id: int) -> dict[str, str]:
    """Return the citation ("Guideline 1, paragraph 2") of every clause of a version, by key."""
    version = db.session.get(Version, version_id)  # usually loaded already with its round
    published = version.published_at if version is not None else None
    # Citations are worded in the reader's language ("paragraph"), with the numbers of the
    # version's text in that language where it has one ("Principe 4, paragraphe 2").
    language = str(get_locale() or "en")
    reader = reader_language()
    # One query more only for a reader whose language is not the version's own.
    translation = (
        language_texts.published_in(version_id, reader)
        if version is not None and published is not None and reader != version.text_language
        else None
    )
    translated = translation.published_at if translation is not None else None
    memo_key = (
        (version_id, published.isoformat(), language, translated.isoformat() if translated else "")
        if published is not None
        else None
    )
    if memo_key is not None and memo_key in _CITATIONS:
        _CITATIONS.move_to_end(memo_key)
        return _CITATIONS[memo_key]
    clauses = db.session.scalars(
        select(Clause).where(Clause.version_id == version_id).order_by(Clause.position)
    ).all()
    _roots, nodes = build_tree(language_texts.text_in(list(clauses), translation))
    names = {key: node.citation for key, node in nodes.items()}
    if memo_key is not None:
        _CITATIONS[memo_key] = names
        while len(_CITATIONS) > _CITATIONS_KEPT:
            _CITATIONS.popitem(last=False)
    return names


# The numbers of a round's comments, by round id then comment id (`numbers_in_round`).
RoundNumbers = dict[int, dict[int, int]]


def numbers_in_round(round_id: int) -> dict[int, int]:
    """Return the number of each comment of the round, 1, 2, ... in order of receipt.

    This names a comment whose tracking number is hidden (it carries the
    organisation's code in a round that does not attribute comments). A
    number never changes once given: withdrawn comments keep theirs, so that
    "Comment 7" cited in a meeting still means the same comment after another
    is withdrawn (a reader sees a gap where a withdrawn comment was, never its
    text). Comments arrive in order of receipt, so a new one only adds a
    number at the end.
    """
    ranked = func.row_number().over(order_by=(Comment.received_at, Comment.id))
    rows = db.session.execute(select(Comment.id, ranked).where(Comment.round_id == round_id))
    return {int(comment_id): int(number) for comment_id, number in rows}


def comment_name(
    user: User, comment: Comment, numbers: RoundNumbers | None = None
) -> tuple[str | None, str]:
    """Return the tracking number `user` may see (or None) and the comment's name for `user`.

    Staff and the comment's organisation, and everyone in a round that names
    organisations, see the tracking number ("Comment DE-002"); in an anonymous
    round others see the comment's number in the round, which never changes
    ("Comment 7"). The database id is never a comment's name.
    """
    if permissions.shows_organisation(user, comment):
        return comment.tracking_number, str(_("Comment %(number)s", number=comment.tracking_number))
    memo = numbers if numbers is not None else {}
    if comment.round_id not in memo:
        memo[comment.round_id] = numbers_in_round(comment.round_id)
    number = memo[comment.round_id].get(comment.id)
    if number is None:
        return None, str(_("Withdrawn comment"))
    return None, str(_("Comment %(number)s", number=number))


def to_the_minute(at: datetime) -> datetime:
    """Return `at` rounded down to the minute."""
    return at.replace(second=0, microsecond=0)


def received_moment(user: User, comment: Comment) -> Moment:
    """Return when the comment was received, as `user` may see it.

    Where its organisation is hidden from `user` (another organisation, in a
    round that does not attribute comments), the time is rounded down to the
    minute: to the second, it could tie the anonymous comment to a named one
    (a comment seen elsewhere, a receipt shown in a meeting). Staff, the
    comment's organisation and everyone in a named round see the exact time.
    """
    at = comment.received_at
    if not permissions.shows_organisation(user, comment):
        at = to_the_minute(at)
    return Moment(at, comment.round.time_zone)


def comment_row(
    user: User,
    comment: Comment,
    names: dict[str, str],
    now: datetime,
    numbers: RoundNumbers | None = None,
) -> CommentRow:
    """Return `comment` as `user` may see it in a list (`numbers`: a memo of numbers_in_round)."""
    clause = comment.clause
    tracking_number, name = comment_name(user, comment, numbers)
    response = comment.response
    shown_response = (
        ResponseView(response.disposition, Markup(comment_html(response.explanation)))
        if response is not None and permissions.can_see_response(user, comment, now)
        else None
    )
    own = permissions.can_see_revisions(user, comment)
    return CommentRow(
        id=comment.id,
        # Tracking numbers carry the organisation's code: not for others in an anonymous round.
        tracking_number=tracking_number,
        name=name,
        type=comment.type,
        clause=ClauseRef(clause.key, names.get(clause.key, clause.key)) if clause else None,
        body=Markup(comment_html(comment.body)),
        language=comment.language,
        organisation=comment.organisation.name
        if permissions.shows_organisation(user, comment)
        else None,
        withdrawn=comment.is_withdrawn,
        edits=comment.revision - 1 if own else 0,
        received=received_moment(user, comment),
        response=shown_response,
        emailed=emailed_day(user, comment),
    )
