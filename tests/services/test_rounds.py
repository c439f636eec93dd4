"""Opening rounds, moving their close, and the read-only questions asked about them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent, Round, User, Version
from consult.services import comments, round_queries, rounds
from consult.services.errors import NotFound, ServiceError
from tests import factories

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def settings(**changes: Any) -> rounds.RoundSettings:
    base = rounds.RoundSettings(
        title="Expert meeting", opens_at=T0, closes_at=T0 + timedelta(days=7)
    )
    return replace(base, **changes)


def round_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Round)) or 0


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def version(app: Flask) -> Version:
    app.config["CLOCK"] = lambda: T0 + timedelta(hours=1)
    return factories.version(publish=True)


def test_create_round_stores_settings_and_audits(version: Version, users: dict[str, User]) -> None:
    beta = factories.organisation(name="Beta Org")
    created = rounds.create_round(
        version,
        settings(
            title="  Second expert meeting  ",
            place=" Geneva ",
            meeting_starts_on=date(2026, 4, 1),
            meeting_ends_on=date(2026, 4, 2),
            time_zone="Europe/Zurich",
            participation="invited",
            visibility="own_until_close",
            attribution="anonymous",
            invited=[beta, beta],  # a repeated organisation is invited once
        ),
        users["secretariat"],
    )
    assert (created.title, created.place) == ("Second expert meeting", "Geneva")
    assert [i.organisation_id for i in created.invitations] == [beta.id]
    assert created.takes_part(beta.id) and not created.takes_part(
        users["stakeholder"].organisation_id
    )
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[-1]
    assert (event.action, event.object_id, event.actor_id) == (
        "round.create",
        str(created.id),
        users["secretariat"].id,
    )
    assert event.details["visibility"] == "own_until_close"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "needs a title"),
        ({"title": "x" * 301}, "too long"),
        ({"closes_at": T0}, "close after it opens"),
        ({"closes_at": T0 - timedelta(minutes=1)}, "close after it opens"),
        ({"opens_at": datetime(2026, 3, 10, 12, 0)}, "need a time zone"),
        (
            {"meeting_starts_on": date(2026, 4, 2), "meeting_ends_on": date(2026, 4, 1)},
            "cannot end",
        ),
        ({"participation": "some"}, "participation"),
        ({"visibility": "public"}, "visibility"),
        ({"attribution": "signed"}, "attribution"),
        ({"participation": "invited"}, "invite at least one"),
        ({"time_zone": "Mars/Olympus"}, "not a known time zone"),
    ],
)
def test_create_round_refuses_bad_settings(
    version: Version, users: dict[str, User], changes: dict[str, Any], message: str
) -> None:
    before = actions()
    with pytest.raises(ServiceError, match=message):
        rounds.create_round(version, settings(**changes), users["secretariat"])
    assert round_count() == 0
    assert actions() == before


def test_create_round_refuses_a_draft_version(app: Flask, users: dict[str, User]) -> None:
    draft = factories.version(publish=False)
    with pytest.raises(ServiceError, match="published version"):
        rounds.create_round(draft, settings(), users["secretariat"])
    assert round_count() == 0


def test_change_closing_time_moves_it_and_audits(version: Version, users: dict[str, User]) -> None:
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    later = T0 + timedelta(days=10)
    rounds.change_closing_time(round_, later, users["secretariat"])
    db.session.expire_all()
    assert db.session.get(Round, round_.id).closes_at == later
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[-1]
    assert event.action == "round.change_closing"
    assert event.details == {
        "old": (T0 + timedelta(days=7)).isoformat(),
        "new": later.isoformat(),
    }


@pytest.mark.parametrize("closes_at", [T0, T0 - timedelta(days=1), datetime(2026, 3, 20)])
def test_change_closing_time_refuses_bad_times(
    version: Version, users: dict[str, User], closes_at: datetime
) -> None:
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    before = actions()
    with pytest.raises(ServiceError):
        rounds.change_closing_time(round_, closes_at, users["secretariat"])
    db.session.expire_all()
    assert db.session.get(Round, round_.id).closes_at == T0 + timedelta(days=7)
    assert actions() == before


def test_a_closing_time_already_past_is_refused_not_set_to_now(
    app: Flask, version: Version, users: dict[str, User]
) -> None:
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    app.config["CLOCK"] = lambda: T0 + timedelta(days=2)
    before = actions()
    for past in (T0 + timedelta(days=1), T0 + timedelta(days=2)):
        with pytest.raises(rounds.ClosingInPast):
            rounds.change_closing_time(round_, past, users["secretariat"])
    db.session.expire_all()
    assert db.session.get(Round, round_.id).closes_at == T0 + timedelta(days=7)
    assert actions() == before


def test_closing_early_stops_comments(app: Flask, version: Version, users: dict[str, User]) -> None:
    round_ = rounds.create_round(version, settings(), users["secretariat"])
    app.config["CLOCK"] = lambda: T0 + timedelta(days=1)
    factories.comment(round_.id, users["stakeholder"])
    rounds.change_closing_time(round_, T0 + timedelta(days=1, hours=1), users["secretariat"])
    app.config["CLOCK"] = lambda: T0 + timedelta(days=1, hours=1)
    with pytest.raises(comments.RoundClosed):
        factories.comment(round_.id, users["stakeholder"])


def test_get_round_of_unknown_id_raises(app: Flask) -> None:
    with pytest.raises(NotFound):
        rounds.get_round(12345)


# --- round_queries --------------------------------------------------------------


def test_rounds_for_reader_follows_participation(version: Version, users: dict[str, User]) -> None:
    beta = factories.organisation(name="Beta Org")
    everyone = rounds.create_round(version, settings(title="All"), None)
    ours = rounds.create_round(
        version,
        settings(
            title="Ours", participation="invited", invited=[users["stakeholder"].organisation]
        ),
        None,
    )
    theirs = rounds.create_round(
        version, settings(title="Theirs", participation="invited", invited=[beta]), None
    )
    seen = {r.id for r in round_queries.rounds_for_reader(users["stakeholder"])}
    assert seen == {everyone.id, ours.id}
    for role in ("secretariat", "drafter", "admin"):
        assert {r.id for r in round_queries.rounds_for_reader(users[role])} == {
            everyone.id,
            ours.id,
            theirs.id,
        }


def test_counts_never_include_what_the_reader_may_not_see(
    app: Flask, version: Version, users: dict[str, User]
) -> None:
    app.config["CLOCK"] = lambda: T0 + timedelta(hours=1)
    private = rounds.create_round(version, settings(visibility="own_until_close"), None)
    beta_user = factories.user("stakeholder", factories.organisation(name="Beta Org"))
    factories.comment(private.id, users["stakeholder"])
    factories.comment(private.id, beta_user)
    withdrawn = factories.comment(private.id, beta_user)
    comments.withdraw_comment(withdrawn.id, beta_user)
    at = T0 + timedelta(hours=2)
    assert round_queries.visible_comment_counts(users["stakeholder"], [private], at) == {
        private.id: 1
    }
    assert round_queries.visible_comment_counts(users["admin"], [private], at) == {private.id: 0}
    assert round_queries.visible_comment_counts(users["drafter"], [private], at) == {private.id: 2}
    after = T0 + timedelta(days=8)
    assert round_queries.visible_comment_counts(users["stakeholder"], [private], after) == {
        private.id: 2
    }
    breakdown = round_queries.comment_breakdown(users["secretariat"], private, at)
    assert (breakdown.total, breakdown.withdrawn) == (2, 1)
    assert breakdown.by_organisation == [("Beta Org", 1), ("Test NGO", 1)]
    assert breakdown.by_type == [("substantive", 2)]


def test_comments_for_responses_are_in_document_order(
    app: Flask, version: Version, users: dict[str, User]
) -> None:
    app.config["CLOCK"] = lambda: T0 + timedelta(hours=1)
    round_ = rounds.create_round(version, settings(), None)
    by_key = {c.key: c for c in version.clauses}
    author = users["stakeholder"]
    late = factories.comment(round_.id, author, by_key["guideline-1.3"])
    early = factories.comment(round_.id, author, by_key["principle-dignity"])
    whole = factories.comment(round_.id, author, None)
    gone = factories.comment(round_.id, author, by_key["part-i"])
    comments.withdraw_comment(gone.id, author)
    found = round_queries.comments_for_responses(users["secretariat"], round_, T0)
    assert [c.id for c in found] == [whole.id, early.id, late.id]
    assert round_queries.comment_of_round(round_, late.id).id == late.id
    other = rounds.create_round(version, settings(title="Other"), None)
    with pytest.raises(NotFound):
        round_queries.comment_of_round(other, late.id)


def test_find_organisation_by_name_or_code(app: Flask) -> None:
    germany = factories.organisation("member_state", name="Germany", code="DE")
    ngo = factories.organisation(name="Borders Watch")
    assert round_queries.find_organisation("germany") is germany
    assert round_queries.find_organisation("de") is germany
    assert round_queries.find_organisation(" Borders Watch ") is ngo
    assert round_queries.find_organisation(ngo.code) is ngo
    assert round_queries.find_organisation("Atlantis") is None
    assert round_queries.find_organisation("") is None
