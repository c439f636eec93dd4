"""The home page: what each person came to do, then the documents.

`home_page` gathers, for the signed-in person, the sections their rules call
for: a stakeholder's open rounds and newly published responses, the
secretariat's rounds to follow, answer and publish, a drafter's unpublished
drafts and latest versions. Rounds are selected with
permissions.known_rounds and every count of comments is filtered with
permissions.visible_comments, so that nothing here reveals a round or a
comment its reader may not see. Everything returned is plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from consult import moments
from consult.extensions import db
from consult.models import Comment, Document, Response, Round, User, Version
from consult.moments import Moment
from consult.permissions import (
    can_administer,
    can_draft,
    can_manage_rounds,
    can_read_version,
    known_rounds,
    speaks_for_organisation,
    visible_comments,
)
from consult.plurals import ngettext
from consult.services import language_texts
from consult.services.reading import DocumentSummary, list_documents

#: How long published responses count as new on a stakeholder's home page.
NEW_RESPONSES_FOR = timedelta(days=90)


@dataclass(frozen=True)
class RoundItem:
    """A round as the home page lists it, with the one count its section needs."""

    id: int
    title: str
    document_slug: str
    document_title: str
    version_number: int
    version_label: str
    meeting: str
    closes: Moment
    time_left: str
    count: int
    published: Moment | None = None


@dataclass(frozen=True)
class DraftItem:
    """A version uploaded and not yet published."""

    document_slug: str
    document_title: str
    number: int
    label: str
    uploaded: Moment


@dataclass(frozen=True)
class RoundCount:
    """A round of a version and how many standing comments its reader may see in it."""

    id: int
    title: str
    state: str
    count: int


@dataclass(frozen=True)
class LatestVersion:
    """A document's newest published version and its rounds, each with its comment count."""

    document_slug: str
    document_title: str
    number: int
    label: str
    rounds: tuple[RoundCount, ...]


@dataclass(frozen=True)
class StakeholderWork:
    """Rounds open to the organisation (with its own comment counts), then newly answered ones."""

    open_rounds: tuple[RoundItem, ...]
    answered_rounds: tuple[RoundItem, ...]


@dataclass(frozen=True)
class SecretariatWork:
    """Open rounds, closed rounds with unanswered comments, rounds ready to publish answers."""

    open_rounds: tuple[RoundItem, ...]
    unanswered_rounds: tuple[RoundItem, ...]
    ready_rounds: tuple[RoundItem, ...]


@dataclass(frozen=True)
class DrafterWork:
    """Drafts awaiting publication and each document's latest published version."""

    drafts: tuple[DraftItem, ...]
    latest: tuple[LatestVersion, ...]


@dataclass(frozen=True)
class HomePage:
    """The sections of one person's home page; a role's section is None for other roles."""

    stakeholder: StakeholderWork | None
    secretariat: SecretariatWork | None
    drafter: DrafterWork | None
    administers: bool
    documents: list[DocumentSummary]


def time_left(delta: timedelta) -> str:
    """Return the time until a close in its largest unit: 'closes in 3 days', '... 5 hours'."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return str(ngettext("closes in %(num)s day", "closes in %(num)s days", days))
    if hours:
        return str(ngettext("closes in %(num)s hour", "closes in %(num)s hours", hours))
    if minutes:
        return str(ngettext("closes in %(num)s minute", "closes in %(num)s minutes", minutes))
    return str(_("closes in less than a minute"))


def meeting_text(round_: Round) -> str:
    """Return the round's meeting as text: its dates and place ('' when it has none)."""
    return moments.meeting_text(round_.meeting_starts_on, round_.meeting_ends_on, round_.place)


def _item(round_: Round, now: datetime, count: int) -> RoundItem:
    version = round_.version
    return RoundItem(
        id=round_.id,
        title=round_.title,
        document_slug=version.document.slug,
        document_title=language_texts.reader_title(version.document),
        version_number=version.number,
        version_label=language_texts.reader_label(version),
        meeting=meeting_text(round_),
        closes=Moment(round_.closes_at, round_.time_zone),
        time_left=time_left(round_.closes_at - now),
        count=count,
        published=Moment(round_.responses_published_at, round_.time_zone)
        if round_.responses_published_at
        else None,
    )


def _rounds(user: User, *conditions: ColumnElement[bool]) -> list[Round]:
    """The rounds `user` may know about that meet `conditions`, soonest to close first."""
    return list(
        db.session.scalars(
            select(Round)
            .where(known_rounds(user), *conditions)
            .options(
                selectinload(Round.version).selectinload(Version.document),
                selectinload(Round.invitations),
            )
            .order_by(Round.closes_at, Round.id)
        )
    )


def _counts(
    user: User,
    rounds: Sequence[Round],
    now: datetime,
    *conditions: ColumnElement[bool],
) -> dict[int, int]:
    """Per round id, the standing comments `user` may see in it that meet `conditions`."""
    if not rounds:
        return {}
    seen = or_(false(), *(visible_comments(user, r, now) for r in rounds))
    rows = db.session.execute(
        select(Comment.round_id, func.count(Comment.id))
        .outerjoin(Response, Response.comment_id == Comment.id)
        .where(seen, Comment.status == "active", *conditions)
        .group_by(Comment.round_id)
    ).all()
    return {int(round_id): int(n) for round_id, n in rows}


def _is_open(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (Round.opens_at <= now, Round.closes_at > now)


def stakeholder_work(user: User, now: datetime) -> StakeholderWork:
    """The rounds open to the organisation, and those whose responses were newly published.

    Counts are of the organisation's own standing comments; a round with
    published responses is listed when the organisation commented in it.
    """
    ours = Comment.organisation_id == user.organisation_id
    open_rounds = _rounds(user, *_is_open(now))
    open_counts = _counts(user, open_rounds, now, ours)
    answered = _rounds(
        user,
        Round.responses_published_at.is_not(None),
        Round.responses_published_at >= now - NEW_RESPONSES_FOR,
    )
    answered.sort(key=lambda r: r.responses_published_at or now, reverse=True)
    answered_counts = _counts(user, answered, now, ours)
    return StakeholderWork(
        open_rounds=tuple(_item(r, now, open_counts.get(r.id, 0)) for r in open_rounds),
        answered_rounds=tuple(
            _item(r, now, answered_counts[r.id]) for r in answered if answered_counts.get(r.id)
        ),
    )


def secretariat_work(user: User, now: datetime) -> SecretariatWork:
    """Open rounds with their comment counts; closed rounds not yet published, by whether
    comments still wait for an answer (with how many) or all are answered."""
    open_rounds = _rounds(user, *_is_open(now))
    open_counts = _counts(user, open_rounds, now)
    closed = _rounds(user, Round.closes_at <= now, Round.responses_published_at.is_(None))
    totals = _counts(user, closed, now)
    unanswered = _counts(user, closed, now, Response.id.is_(None))
    return SecretariatWork(
        open_rounds=tuple(_item(r, now, open_counts.get(r.id, 0)) for r in open_rounds),
        unanswered_rounds=tuple(
            _item(r, now, unanswered[r.id]) for r in closed if unanswered.get(r.id)
        ),
        # A round nobody commented on has nothing to publish.
        ready_rounds=tuple(
            _item(r, now, totals[r.id])
            for r in closed
            if totals.get(r.id) and not unanswered.get(r.id)
        ),
    )


def drafter_work(user: User, now: datetime) -> DrafterWork:
    """Unpublished drafts (oldest upload first), and each document's latest published
    version with the comment counts of its rounds."""
    drafts = db.session.scalars(
        select(Version)
        .where(Version.status == "draft")
        .options(selectinload(Version.document))
        .order_by(Version.created_at, Version.id)
    ).all()
    newer = aliased(Version)
    latest_number = (
        select(func.max(newer.number))
        .where(newer.document_id == Document.id, newer.status == "published")
        .correlate(Document)
        .scalar_subquery()
    )
    latest = db.session.execute(
        select(Document, Version)
        .join(Version, Version.document_id == Document.id)
        .where(Version.number == latest_number)
        .order_by(Document.title)
    ).all()
    version_ids = [version.id for _document, version in latest]
    rounds = _rounds(user, Round.version_id.in_(version_ids)) if version_ids else []
    counts = _counts(user, rounds, now)
    by_version: dict[int, list[RoundCount]] = {}
    for r in sorted(rounds, key=lambda r: (r.opens_at, r.id)):
        by_version.setdefault(r.version_id, []).append(
            RoundCount(r.id, r.title, r.state(now), counts.get(r.id, 0))
        )
    return DrafterWork(
        drafts=tuple(
            DraftItem(
                v.document.slug,
                v.document.title,
                v.number,
                v.label,
                Moment(v.created_at),
            )
            for v in drafts
            if can_read_version(user, v)
        ),
        latest=tuple(
            LatestVersion(
                d.slug,
                d.title,
                v.number,
                v.label,
                tuple(by_version.get(v.id, ())),
            )
            for d, v in latest
        ),
    )


def home_page(user: User, now: datetime) -> HomePage:
    """Return what `user`'s home page shows: the work of their role, then the documents."""
    return HomePage(
        stakeholder=stakeholder_work(user, now) if speaks_for_organisation(user) else None,
        secretariat=secretariat_work(user, now) if can_manage_rounds(user) else None,
        drafter=drafter_work(user, now) if can_draft(user) else None,
        administers=can_administer(user),
        documents=list_documents(partial(can_read_version, user), can_draft(user)),
    )
