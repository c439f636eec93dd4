"""Demo rounds: a closed round with comments and answers, and an open one, on the sample principles.

The closed round ("First expert meeting", on version 2) gives the secretariat a
matrix to work in: comments from States, UN entities, IOM, NGOs, the national
human rights institution and universities, some answered, some not, some on
clauses that version 3 changed and some on clauses it kept. Its comments are
dated inside the round, which has closed, so they cannot go through
`comments.submit_comment` (which refuses a closed round): they are written with
`comments.store_comment`, the function that numbers and hashes every comment,
with the same audit events, dated when each comment came in. The open round
("Second expert meeting", on version 3) takes its comments through
`submit_comment` itself.

Loading is idempotent: a round is recognised by its title on the document,
and a round that has comments already is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Clause, Comment, Document, Organisation, Round, User, Version
from consult.services import audit, comments, responses, rounds
from consult.services.comment_input import CommentInput, check_input
from consult.services.demo_comments import (
    FIRST_ROUND_COMMENTS,
    SECOND_ROUND_COMMENTS,
    Answer,
    DemoComment,
)
from consult.services.errors import ServiceError
from consult.services.transactions import now, write_transaction

DOCUMENT = "human-rights-borders"
SECRETARIAT = "secretariat@consult.example"
FIRST_ROUND = "First expert meeting"
SECOND_ROUND = "Second expert meeting"
PLACE = "Geneva"
TIME_ZONE = "Europe/Zurich"


@dataclass
class RoundsAdded:
    """What loading the demo rounds added."""

    rounds: int = 0
    comments: int = 0
    responses: int = 0


def _version(number: int) -> Version | None:
    return db.session.scalar(
        select(Version)
        .join(Document)
        .where(Document.slug == DOCUMENT, Version.number == number, Version.status == "published")
    )


def _round_titled(version: Version, title: str) -> Round | None:
    """Return the round called `title` on any version of the document, if there is one."""
    return db.session.scalar(
        select(Round)
        .join(Version)
        .where(Version.document_id == version.document_id, Round.title == title)
        .order_by(Round.id)
        .limit(1)
    )


def _comment_count(round_: Round) -> int:
    count = db.session.scalar(select(func.count(Comment.id)).where(Comment.round_id == round_.id))
    return int(count or 0)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise ServiceError(_("the demo account %(email)s is missing", email=email))
    return user


def _organisation(name: str) -> Organisation:
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if organisation is None:
        raise ServiceError(_("the demo organisation %(name)s is missing", name=name))
    return organisation


def _clauses(version: Version) -> dict[str, Clause]:
    return {
        c.key: c for c in db.session.scalars(select(Clause).where(Clause.version_id == version.id))
    }


def _clause_key(clauses: dict[str, Clause], key: str | None) -> str | None:
    if key is not None and key not in clauses:
        raise ServiceError(_("the demo draft has no clause %(key)s", key=key))
    return key


def _local(day: date, at: time) -> datetime:
    """Return `at` on `day` in the rounds' time zone, as an aware datetime."""
    return datetime.combine(day, at, tzinfo=ZoneInfo(TIME_ZONE))


def _today() -> date:
    return now().astimezone(ZoneInfo(TIME_ZONE)).date()


def load_rounds() -> RoundsAdded:
    """Add the demo rounds on the sample principles, unless they are there already.

    Nothing is added when the document lacks version 2 or 3 (the sample drafts
    were not loaded) or the secretariat's demo account is missing.
    """
    added = RoundsAdded()
    second, third = _version(2), _version(3)
    if second is None or third is None:
        return added
    secretariat = db.session.scalar(select(User).where(User.email == SECRETARIAT))
    if secretariat is None:
        return added
    _first_round(second, secretariat, added)
    _second_round(third, secretariat, added)
    return added


def _first_round(version: Version, secretariat: User, added: RoundsAdded) -> None:
    round_ = _round_titled(version, FIRST_ROUND)
    if round_ is None:
        today = _today()
        closes_on = today - timedelta(days=15)
        settings = rounds.RoundSettings(
            title=FIRST_ROUND,
            opens_at=_local(today - timedelta(days=45), time(9)),
            closes_at=_local(closes_on, time(18)),
            place=PLACE,
            meeting_starts_on=closes_on + timedelta(days=7),
            meeting_ends_on=closes_on + timedelta(days=8),
            time_zone=TIME_ZONE,
            visibility="open",
            attribution="named",
        )
        round_ = rounds.create_round(version, settings, secretariat, closed_allowed=True)
        added.rounds += 1
    if _comment_count(round_) > 0:
        return
    stored = _store_closed_round_comments(round_, version, secretariat)
    added.comments += len(stored)
    for comment_id, answer in stored:
        if answer is not None:
            responses.respond(comment_id, answer.disposition, answer.explanation, secretariat)
            added.responses += 1


def _store_closed_round_comments(
    round_: Round, version: Version, secretariat: User
) -> list[tuple[int, Answer | None]]:
    """Write the first round's comments as they came in, in one transaction; return their ids."""
    clauses = _clauses(version)
    ordered = sorted(FIRST_ROUND_COMMENTS, key=lambda c: (c.day, c.hour))
    stored: list[tuple[int, Answer | None]] = []
    with write_transaction():
        locked = rounds.lock_round(round_.id)
        for index, demo in enumerate(ordered, start=1):
            moment = locked.opens_at + timedelta(days=demo.day, hours=demo.hour)
            if not locked.opens_at < moment < locked.closes_at:
                raise ServiceError(_("a demo comment falls outside its round"))
            comment = _store_one(locked, demo, clauses, secretariat, moment, index)
            stored.append((comment.id, demo.answer))
    return stored


def _store_one(
    round_: Round,
    demo: DemoComment,
    clauses: dict[str, Clause],
    secretariat: User,
    moment: datetime,
    index: int,
) -> Comment:
    key = _clause_key(clauses, demo.clause)
    clause = clauses[key] if key is not None else None
    if demo.emailed:
        organisation = _organisation(demo.sender)
        author = secretariat
        # The e-mail came the day before the secretariat entered it.
        emailed_on: date | None = (
            (moment - timedelta(days=1)).astimezone(ZoneInfo(TIME_ZONE)).date()
        )
    else:
        author = _user(demo.sender)
        if author.organisation is None:
            raise ServiceError(
                _("the demo account %(email)s has no organisation", email=demo.sender)
            )
        organisation = author.organisation
        emailed_on = None
    data = check_input(CommentInput(demo.type, demo.body, demo.proposed))
    comment = comments.store_comment(
        round_id=round_.id,
        organisation_id=organisation.id,
        organisation_code=organisation.code,
        author_id=author.id,
        clause_id=clause.id if clause is not None else None,
        clause_key=clause.key if clause is not None else None,
        data=data,
        idempotency_key=f"demo-round-{round_.id}-{index:03d}",
        moment=moment,
        paragraph=demo.paragraph,
        emailed_on=emailed_on,
    )
    if emailed_on is not None:
        event = audit.record(
            author.id,
            "comment.import",
            "comment",
            comment.id,
            round=round_.id,
            organisation=organisation.id,
            tracking_number=comment.tracking_number,
            content_hash=comment.content_hash,
            emailed_on=emailed_on.isoformat(),
            demo=True,
        )
    else:
        event = audit.record(
            author.id,
            "comment.submit",
            "comment",
            comment.id,
            round=round_.id,
            tracking_number=comment.tracking_number,
            content_hash=comment.content_hash,
            demo=True,
        )
    event.at = moment
    if demo.withdrawn:
        withdrawn_at = moment + timedelta(days=2)
        comment.status = "withdrawn"
        comment.withdrawn_at = withdrawn_at
        comment.updated_at = withdrawn_at
        withdrawal = audit.record(
            author.id,
            "comment.withdraw",
            "comment",
            comment.id,
            tracking_number=comment.tracking_number,
            demo=True,
        )
        withdrawal.at = withdrawn_at
    return comment


def _second_round(version: Version, secretariat: User, added: RoundsAdded) -> None:
    round_ = _round_titled(version, SECOND_ROUND)
    if round_ is None:
        today = _today()
        closes_on = today + timedelta(days=30)
        settings = rounds.RoundSettings(
            title=SECOND_ROUND,
            opens_at=_local(today - timedelta(days=2), time(9)),
            closes_at=_local(closes_on, time(18)),
            place=PLACE,
            meeting_starts_on=closes_on + timedelta(days=14),
            meeting_ends_on=closes_on + timedelta(days=15),
            time_zone=TIME_ZONE,
            visibility="own_until_close",
            attribution="anonymous",
        )
        round_ = rounds.create_round(version, settings, secretariat, closed_allowed=True)
        added.rounds += 1
    if _comment_count(round_) > 0 or round_.state(now()) != "open":
        return
    clauses = _clauses(version)
    for index, demo in enumerate(SECOND_ROUND_COMMENTS, start=1):
        receipt = comments.submit_comment(
            round_.id,
            _clause_key(clauses, demo.clause),
            CommentInput(demo.type, demo.body, demo.proposed),
            _user(demo.sender),
            idempotency_key=f"demo-round-{round_.id}-{index:03d}",
        )
        if not receipt.duplicate:
            added.comments += 1
