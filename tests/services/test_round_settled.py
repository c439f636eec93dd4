"""Closing times in the past, closing now, settled rounds and corrections of a round."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Comment, Round, User, Version
from consult.services import comments, responses, round_corrections, rounds
from consult.services.errors import Refused, ServiceError
from consult.services.round_corrections import RoundDetails
from tests import factories

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def settings(**changes: Any) -> rounds.RoundSettings:
    base = rounds.RoundSettings(
        title="Expert meeting", opens_at=T0 + timedelta(days=1), closes_at=T0 + timedelta(days=7)
    )
    return replace(base, **changes)


def events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def reloaded(round_id: int) -> Round:
    db.session.expire_all()
    found = db.session.get(Round, round_id)
    assert found is not None
    return found


@pytest.fixture
def version(app: Flask) -> Version:
    app.config["CLOCK"] = lambda: T0
    return factories.version(publish=True)


def at(app: Flask, moment: datetime) -> None:
    app.config["CLOCK"] = lambda: moment


def test_creating_a_round_that_has_already_closed_is_refused(
    version: Version, users: dict[str, User]
) -> None:
    past = settings(opens_at=T0 - timedelta(days=3), closes_at=T0 - timedelta(minutes=1))
    with pytest.raises(rounds.ClosingInPast):
        rounds.create_round(version, past, users["secretariat"])
    with pytest.raises(rounds.ClosingInPast):
        rounds.create_round(version, replace(past, closes_at=T0), users["secretariat"])
    assert db.session.scalar(select(Round.id)) is None
    recorded = rounds.create_round(version, past, None, closed_allowed=True)
    assert recorded.state(T0) == "closed"


def test_close_now_closes_an_open_round_at_this_moment(
    app: Flask, version: Version, users: dict[str, User]
) -> None:
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    with pytest.raises(Refused, match="not opened yet"):
        rounds.close_round_now(round_.id, users["secretariat"])
    moment = T0 + timedelta(days=2)
    at(app, moment)
    factories.comment(round_.id, users["stakeholder"])
    rounds.close_round_now(round_.id, users["secretariat"])
    assert reloaded(round_.id).closes_at == moment
    event = events()[-1]
    assert (event.action, event.details["new"]) == ("round.close_now", moment.isoformat())
    with pytest.raises(comments.RoundClosed):
        factories.comment(round_.id, users["stakeholder"])
    with pytest.raises(Refused, match="closed already"):
        rounds.close_round_now(round_.id, users["secretariat"])


@pytest.fixture
def published(app: Flask, version: Version, users: dict[str, User]) -> tuple[Round, Comment]:
    """A round closed with one comment, its answers published."""
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    at(app, T0 + timedelta(days=2))
    comment = factories.comment(round_.id, users["stakeholder"])
    at(app, T0 + timedelta(days=8))
    responses.publish_responses(round_.id, users["secretariat"])
    return round_, comment


def test_a_settled_round_keeps_its_close_and_comments(
    app: Flask, published: tuple[Round, Comment], users: dict[str, User]
) -> None:
    round_, _comment = published
    before = len(events())
    with pytest.raises(rounds.RoundSettled):
        rounds.change_closing_time(round_, T0 + timedelta(days=30), users["secretariat"])
    with pytest.raises(rounds.RoundSettled):
        rounds.close_round_now(round_.id, users["secretariat"])
    with pytest.raises(rounds.RoundSettled):
        round_corrections.correct_round(round_.id, users["secretariat"], invited=[])
    assert reloaded(round_.id).closes_at == T0 + timedelta(days=7)
    assert len(events()) == before


def test_comments_of_a_published_round_cannot_change_even_if_its_close_was_moved(
    app: Flask, published: tuple[Round, Comment], users: dict[str, User]
) -> None:
    """The services refuse whatever the closing time says (rounds published before this rule)."""
    round_, comment = published
    stored = reloaded(round_.id)
    stored.closes_at = T0 + timedelta(days=30)  # as an older release allowed
    db.session.commit()
    data = comments.CommentInput("general", "New text")
    with pytest.raises(comments.RoundClosed, match="published"):
        comments.edit_comment(comment.id, data, users["stakeholder"], expected_revision=1)
    with pytest.raises(comments.RoundClosed, match="published"):
        comments.withdraw_comment(comment.id, users["stakeholder"])
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).status == "active"


def _details(round_: Round, **changes: Any) -> RoundDetails:
    return replace(round_corrections.details_of(round_), **changes)


def test_correcting_an_upcoming_round_changes_and_audits_each_field(
    version: Version, users: dict[str, User]
) -> None:
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    new_open = T0 + timedelta(days=2)
    details = _details(
        round_,
        title=" Third meeting ",
        place="Vienna",
        meeting_starts_on=date(2026, 4, 1),
        opens_at=new_open,
    )
    done = round_corrections.correct_round(round_.id, users["secretariat"], details=details)
    assert done.fields == ["title", "place", "meeting_starts_on", "opens_at"]
    stored = reloaded(round_.id)
    assert (stored.title, stored.place, stored.opens_at) == ("Third meeting", "Vienna", new_open)
    event = events()[-1]
    assert (event.action, event.actor_id) == ("round.correct", users["secretariat"].id)
    assert event.details["changes"]["title"] == ["Expert meeting", "Third meeting"]
    assert event.details["changes"]["opens_at"] == [
        (T0 + timedelta(days=1)).isoformat(),
        new_open.isoformat(),
    ]
    again = round_corrections.correct_round(round_.id, users["secretariat"], details=details)
    assert not again.changed and events()[-1].id == event.id  # nothing changed, nothing audited


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "needs a title"),
        ({"title": "x" * 301}, "too long"),
        ({"opens_at": T0 + timedelta(days=7)}, "close after it opens"),
        ({"opens_at": T0 + timedelta(days=9)}, "close after it opens"),
        ({"meeting_starts_on": date(2026, 4, 2), "meeting_ends_on": date(2026, 4, 1)}, "meeting"),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(
    version: Version, users: dict[str, User], changes: dict[str, Any], message: str
) -> None:
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    before = len(events())
    with pytest.raises(ServiceError, match=message):
        round_corrections.correct_round(
            round_.id, users["secretariat"], details=_details(round_, **changes)
        )
    assert reloaded(round_.id).title == "Expert meeting"
    assert len(events()) == before


def test_once_open_only_invitations_change_and_commenters_stay_invited(
    app: Flask, version: Version, users: dict[str, User]
) -> None:
    ours = users["stakeholder"].organisation
    beta = factories.organisation(name="Beta Org")
    gamma = factories.organisation(name="Gamma Org")
    round_ = rounds.create_round(
        version, settings(participation="invited", invited=[ours, beta]), users["secretariat"]
    )
    at(app, T0 + timedelta(days=2))
    factories.comment(round_.id, users["stakeholder"])
    with pytest.raises(Refused, match="only its invitations"):
        round_corrections.correct_round(
            round_.id, users["secretariat"], details=_details(round_, title="Renamed")
        )
    with pytest.raises(Refused, match="has already commented"):
        round_corrections.correct_round(round_.id, users["secretariat"], invited=[beta, gamma])
    with pytest.raises(ServiceError, match="at least one"):
        round_corrections.correct_round(round_.id, users["secretariat"], invited=[])
    assert sorted(i.organisation.name for i in reloaded(round_.id).invitations) == sorted(
        [ours.name, "Beta Org"]
    )
    done = round_corrections.correct_round(round_.id, users["secretariat"], invited=[ours, gamma])
    assert (done.invited, done.dropped) == (["Gamma Org"], ["Beta Org"])
    stored = reloaded(round_.id)
    assert stored.takes_part(gamma.id) and not stored.takes_part(beta.id)
    event = events()[-1]
    assert event.details == {"changes": {}, "invited": ["Gamma Org"], "dropped": ["Beta Org"]}
    at(app, T0 + timedelta(days=8))
    with pytest.raises(Refused, match="has closed"):
        round_corrections.correct_round(round_.id, users["secretariat"], invited=[ours])


def test_a_round_open_to_all_has_no_invitations_to_change(
    version: Version, users: dict[str, User]
) -> None:
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    with pytest.raises(ServiceError, match="no invitations"):
        round_corrections.correct_round(
            round_.id, users["secretariat"], invited=[users["stakeholder"].organisation]
        )
