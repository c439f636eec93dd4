"""Correcting a round after it was created: details until it opens, invitations until it closes.

Every change is checked against the locked round inside the write
transaction and recorded in the audit log with its old and new values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Comment, Organisation, Round, RoundInvitation, User
from consult.plurals import ngettext
from consult.services import audit
from consult.services.errors import Refused, ServiceError
from consult.services.rounds import ClosesBeforeOpening, lock_round, settled
from consult.services.transactions import now, write_transaction


@dataclass(frozen=True)
class RoundDetails:
    """What the secretariat may correct in a round until it opens."""

    title: str
    place: str
    meeting_starts_on: date | None
    meeting_ends_on: date | None
    opens_at: datetime


@dataclass(frozen=True)
class Correction:
    """What a correction changed: the details' field names, organisations invited and dropped."""

    fields: list[str]
    invited: list[str]
    dropped: list[str]

    @property
    def changed(self) -> bool:
        """Whether anything changed at all."""
        return bool(self.fields or self.invited or self.dropped)


def details_of(round_: Round) -> RoundDetails:
    """Return the round's correctable details as they stand."""
    return RoundDetails(
        title=round_.title,
        place=round_.place,
        meeting_starts_on=round_.meeting_starts_on,
        meeting_ends_on=round_.meeting_ends_on,
        opens_at=round_.opens_at,
    )


def _checked_details(details: RoundDetails, closes_at: datetime) -> RoundDetails:
    details = RoundDetails(
        title=details.title.strip(),
        place=details.place.strip(),
        meeting_starts_on=details.meeting_starts_on,
        meeting_ends_on=details.meeting_ends_on,
        opens_at=details.opens_at,
    )
    if not details.title:
        raise ServiceError(_("a round needs a title"))
    if len(details.title) > 300 or len(details.place) > 200:
        raise ServiceError(_("the title or place is too long"))
    if details.opens_at.tzinfo is None:
        raise ServiceError(_("opening and closing times need a time zone"))
    if details.opens_at >= closes_at:
        raise ClosesBeforeOpening(_("the round must close after it opens"))
    starts, ends = details.meeting_starts_on, details.meeting_ends_on
    if starts and ends and ends < starts:
        raise ServiceError(_("the meeting cannot end before it starts"))
    return details


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _organisations_that_commented(round_id: int, organisation_ids: set[int]) -> list[str]:
    if not organisation_ids:
        return []
    names = db.session.scalars(
        select(Organisation.name)
        .where(Organisation.id.in_(organisation_ids))
        .where(
            select(func.count(Comment.id))
            .where(Comment.round_id == round_id, Comment.organisation_id == Organisation.id)
            .scalar_subquery()
            > 0
        )
        .order_by(Organisation.name)
    )
    return list(names)


def _change_invitations(
    round_: Round, invited: Sequence[Organisation]
) -> tuple[list[str], list[str]]:
    """Invite exactly `invited`; return the names invited and dropped (the round is locked)."""
    if round_.participation != "invited":
        raise ServiceError(
            _("every organisation may comment in this round: there are no invitations to change")
        )
    wanted = {o.id: o for o in invited}
    if not wanted:
        raise ServiceError(_("invite at least one organisation"))
    current = {i.organisation_id: i for i in round_.invitations}
    commented = _organisations_that_commented(round_.id, set(current) - set(wanted))
    if commented:
        raise Refused(
            ngettext(
                "%(names)s has already commented in this round and stays invited",
                "%(names)s have already commented in this round and stay invited",
                len(commented),
                names=", ".join(commented),
            )
        )
    dropped = sorted(current[key].organisation.name for key in set(current) - set(wanted))
    added = sorted(wanted[key].name for key in set(wanted) - set(current))
    round_.invitations = [i for key, i in current.items() if key in wanted] + [
        RoundInvitation(organisation=wanted[key]) for key in wanted if key not in current
    ]
    return added, dropped


def correct_round(
    round_id: int,
    actor: User | None,
    *,
    details: RoundDetails | None = None,
    invited: Sequence[Organisation] | None = None,
) -> Correction:
    """Correct a round's details (until it opens) and invitations (until it closes).

    None leaves that part as it is. An organisation that has commented in the
    round stays invited (Refused): its comments would otherwise belong to a
    round it is no longer part of. Nothing changes after the round has closed
    or its answers are published. Return what changed (audited as
    'round.correct' with old and new values).
    """
    with write_transaction():
        locked = lock_round(round_id)
        if locked.responses_published_at is not None:
            raise settled()
        state = locked.state(now())
        if state == "closed":
            raise Refused(
                _("this round has closed: its details and invitations can no longer be changed")
            )
        changes: dict[str, list[object]] = {}
        if details is not None:
            new = _checked_details(details, locked.closes_at)
            old = details_of(locked)
            for name in RoundDetails.__dataclass_fields__:
                before, after = getattr(old, name), getattr(new, name)
                if before != after:
                    changes[name] = [_plain(before), _plain(after)]
            if changes and state != "upcoming":
                raise Refused(_("this round has opened: only its invitations can still be changed"))
            for name in changes:
                setattr(locked, name, getattr(new, name))
        added, dropped = _change_invitations(locked, invited) if invited is not None else ([], [])
        correction = Correction(fields=list(changes), invited=added, dropped=dropped)
        if correction.changed:
            audit.record(
                actor,
                "round.correct",
                "round",
                locked.id,
                changes=changes,
                invited=added,
                dropped=dropped,
            )
    return correction
