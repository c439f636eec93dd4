"""Opening and changing consultation rounds (the secretariat).

A round's closing time is never set in the past, and a round whose answers
are published is settled: its closing time no longer moves and its details
and invitations no longer change. Every check that depends on the round's
state is made inside the write transaction, against the locked round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import select

from consult.domain.text_clean import clean_line
from consult.extensions import db
from consult.models import (
    ATTRIBUTION,
    PARTICIPATION,
    VISIBILITY,
    Organisation,
    Round,
    RoundInvitation,
    User,
    Version,
)
from consult.services import audit
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.transactions import now, write_transaction


@dataclass(frozen=True)
class RoundSettings:
    """What the secretariat decides when opening a round."""

    title: str
    opens_at: datetime
    closes_at: datetime
    place: str = ""
    meeting_starts_on: date | None = None
    meeting_ends_on: date | None = None
    time_zone: str = "UTC"
    participation: str = "all"
    visibility: str = "open"
    attribution: str = "named"
    invited: Sequence[Organisation] = ()


class ClosesBeforeOpening(ServiceError):
    """The closing time given is not after the round's opening time."""


class ClosingInPast(ServiceError):
    """The closing time given has already passed."""


class RoundSettled(Refused):
    """The round's answers are published: it can no longer be reopened or changed."""


def settled() -> RoundSettled:
    return RoundSettled(
        _("the answers of this round are published: the round can no longer be reopened or changed")
    )


def check_time_zone(name: str) -> str:
    """Return `name` if it is an IANA time zone (e.g. 'Europe/Zurich'), else raise."""
    try:
        ZoneInfo(name)
    # OSError: a name too long for a file name (the zones are files of tzdata).
    except (ZoneInfoNotFoundError, ValueError, OSError) as err:
        raise ServiceError(
            _("'%(name)s' is not a known time zone (e.g. Europe/Zurich)", name=name)
        ) from err
    return name


def _check(settings: RoundSettings) -> None:
    if not settings.title.strip():
        raise ServiceError(_("a round needs a title"))
    if len(settings.title) > 300 or len(settings.place) > 200:
        raise ServiceError(_("the title or place is too long"))
    for moment in (settings.opens_at, settings.closes_at):
        if moment.tzinfo is None:
            raise ServiceError(_("opening and closing times need a time zone"))
    if settings.closes_at <= settings.opens_at:
        raise ClosesBeforeOpening(_("the round must close after it opens"))
    starts, ends = settings.meeting_starts_on, settings.meeting_ends_on
    if starts and ends and ends < starts:
        raise ServiceError(_("the meeting cannot end before it starts"))
    if settings.participation not in PARTICIPATION:
        raise ServiceError(_("unknown participation rule: %(rule)s", rule=settings.participation))
    if settings.visibility not in VISIBILITY:
        raise ServiceError(_("unknown visibility rule: %(rule)s", rule=settings.visibility))
    if settings.attribution not in ATTRIBUTION:
        raise ServiceError(_("unknown attribution rule: %(rule)s", rule=settings.attribution))
    if settings.participation == "invited" and not settings.invited:
        raise ServiceError(_("invite at least one organisation, or open the round to all"))
    check_time_zone(settings.time_zone)


def _check_future(closes_at: datetime, moment: datetime) -> None:
    if closes_at <= moment:
        raise ClosingInPast(_("the closing time has passed: choose a time still to come"))


def create_round(
    version: Version, settings: RoundSettings, actor: User | None, *, closed_allowed: bool = False
) -> Round:
    """Open a round on a published version; return it.

    A closing time that has passed is refused, unless `closed_allowed` (a round
    recorded after the fact: demo data, tests of history).
    """
    if not version.is_published:
        raise ServiceError(_("a round can only be opened on a published version"))
    _check(settings)
    with write_transaction():
        if not closed_allowed:
            _check_future(settings.closes_at, now())
        round_ = Round(
            version=version,
            title=clean_line(settings.title).strip(),
            place=clean_line(settings.place).strip(),
            meeting_starts_on=settings.meeting_starts_on,
            meeting_ends_on=settings.meeting_ends_on,
            opens_at=settings.opens_at,
            closes_at=settings.closes_at,
            time_zone=settings.time_zone,
            participation=settings.participation,
            visibility=settings.visibility,
            attribution=settings.attribution,
            created_by=actor,
        )
        if settings.participation == "invited":
            invited = {o.id: o for o in settings.invited}.values()
            round_.invitations = [RoundInvitation(organisation=o) for o in invited]
        audit.record_added(
            actor,
            "round.create",
            "round",
            round_,
            version=version.id,
            opens_at=settings.opens_at.isoformat(),
            closes_at=settings.closes_at.isoformat(),
            visibility=settings.visibility,
            participation=settings.participation,
            attribution=settings.attribution,
        )
    return round_


def lock_round(round_id: int, *, shared: bool = False) -> Round:
    """Return the round with its row locked, inside the caller's write transaction.

    On PostgreSQL: FOR SHARE (`shared`, taken by submissions, which then do not
    wait for each other) or FOR UPDATE (changes to the round itself, which wait
    for submissions in progress). SQLite's BEGIN IMMEDIATE already serialises.
    """
    round_ = db.session.scalar(
        select(Round).where(Round.id == round_id).with_for_update(read=shared)
    )
    if round_ is None:
        raise NotFound(_("there is no such round"))
    return round_


def change_closing_time(round_: Round, closes_at: datetime, actor: User | None) -> Round:
    """Move a round's closing time (to extend it, reopen it or close it early); return it.

    The round's row is locked, so that no comment is accepted under the old
    deadline while the new one is being set. A time that has passed is refused
    (ClosingInPast), never moved to now: comments accepted before this lock was
    granted must not end up dated after the round's close. A round whose
    answers are published keeps its closing time (RoundSettled).
    """
    with write_transaction():
        locked = lock_round(round_.id)
        if locked.responses_published_at is not None:
            raise settled()
        if closes_at.tzinfo is None or closes_at <= locked.opens_at:
            raise ClosesBeforeOpening(_("the round must close after it opens"))
        _check_future(closes_at, now())
        old = locked.closes_at
        locked.closes_at = closes_at
        audit.record(
            actor,
            "round.change_closing",
            "round",
            locked.id,
            old=old.isoformat(),
            new=closes_at.isoformat(),
        )
    return locked


def close_round_now(round_id: int, actor: User | None) -> Round:
    """Close an open round at this moment, under its lock; return it.

    Refused unless the round is open: an upcoming round has nothing to close
    yet (its times can be corrected), a closed one is closed already.
    """
    with write_transaction():
        locked = lock_round(round_id)
        if locked.responses_published_at is not None:
            raise settled()
        moment = now()
        state = locked.state(moment)
        if state == "upcoming":
            raise Refused(_("this round has not opened yet: there is nothing to close"))
        if state == "closed":
            raise Refused(_("this round has closed already"))
        old = locked.closes_at
        locked.closes_at = moment
        audit.record(
            actor,
            "round.close_now",
            "round",
            locked.id,
            old=old.isoformat(),
            new=moment.isoformat(),
        )
    return locked


def get_round(round_id: int) -> Round:
    """Return the round, or raise NotFound."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotFound(_("there is no such round"))
    return round_


def rounds_of_version(version: Version) -> list[Round]:
    """Return the version's rounds, newest first."""
    return list(
        db.session.scalars(
            select(Round).where(Round.version_id == version.id).order_by(Round.opens_at.desc())
        )
    )


def list_rounds() -> list[Round]:
    """Return every round, newest first."""
    return list(db.session.scalars(select(Round).order_by(Round.opens_at.desc())))
