"""The round's visibility rule, decided in one place and the same in Python and in SQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from consult import permissions
from consult.extensions import db
from consult.models import Comment, Round, User
from consult.models.base import utcnow
from consult.services import comments
from tests import factories


@pytest.fixture
def world(app: Flask) -> dict[str, object]:
    """Two participating organisations, an outsider, staff, and one round per rule."""
    version = factories.version(publish=True)
    clause = version.clauses[2]
    state, ngo, outsider = (
        factories.organisation("member_state", "Germany", "DE"),
        factories.organisation("ngo", "Border Aid"),
        factories.organisation("academic", "Outside University"),
    )
    people = {
        "state": factories.user("stakeholder", state),
        "state2": factories.user("stakeholder", state),
        "ngo": factories.user("stakeholder", ngo),
        "outsider": factories.user("stakeholder", outsider),
        "secretariat": factories.user("secretariat"),
        "drafter": factories.user("drafter"),
        "admin": factories.user("admin"),
    }
    rounds: dict[str, Round] = {}
    for visibility in ("open", "own_until_close", "secretariat"):
        round_ = factories.round_(
            version,
            title=f"Round {visibility}",
            visibility=visibility,
            participation="invited",
            invited=[state, ngo],
            closes_in=timedelta(hours=2),
        )
        rounds[visibility] = round_
        factories.comment(round_.id, people["state"], clause, body=f"State on {visibility}")
        factories.comment(round_.id, people["ngo"], None, body=f"NGO on {visibility}")
        withdrawn = factories.comment(round_.id, people["ngo"], clause, body="Withdrawn")
        comments.withdraw_comment(withdrawn.id, people["ngo"])
    return {"people": people, "rounds": rounds}


def _visible_bodies(user: User, round_: Round, now: datetime) -> set[str]:
    query = select(Comment.body).where(permissions.visible_comments(user, round_, now))
    return set(db.session.scalars(query))


def _python_bodies(user: User, round_: Round, now: datetime) -> set[str]:
    every = db.session.scalars(select(Comment).where(Comment.round_id == round_.id))
    return {c.body for c in every if permissions.can_see_comment(user, c, now)}


@pytest.mark.parametrize("when", ["open", "closed"])
def test_sql_and_python_rules_agree(world: dict[str, object], when: str) -> None:
    people: dict[str, User] = world["people"]  # type: ignore[assignment]
    rounds: dict[str, Round] = world["rounds"]  # type: ignore[assignment]
    now = utcnow() + (timedelta(hours=3) if when == "closed" else timedelta())
    for round_ in rounds.values():
        for user in people.values():
            assert _visible_bodies(user, round_, now) == _python_bodies(user, round_, now), (
                user.email,
                round_.visibility,
                when,
            )


def test_what_each_person_sees(world: dict[str, object]) -> None:
    people: dict[str, User] = world["people"]  # type: ignore[assignment]
    rounds: dict[str, Round] = world["rounds"]  # type: ignore[assignment]
    during, after = utcnow(), utcnow() + timedelta(hours=3)

    def sees(person: str, visibility: str, now: datetime) -> set[str]:
        return _visible_bodies(people[person], rounds[visibility], now)

    # Open: participants see each other's active comments at once; withdrawn only by their own.
    assert sees("state", "open", during) == {"State on open", "NGO on open"}
    assert sees("ngo", "open", during) == {"State on open", "NGO on open", "Withdrawn"}
    # Own until close: only one's own organisation, then everything active.
    assert sees("state", "own_until_close", during) == {"State on own_until_close"}
    assert sees("state2", "own_until_close", during) == {"State on own_until_close"}
    assert sees("state", "own_until_close", after) == {
        "State on own_until_close",
        "NGO on own_until_close",
    }
    # Secretariat only: never another organisation's.
    assert sees("state", "secretariat", after) == {"State on secretariat"}
    # Outsiders see nothing; staff see everything; the admin manages accounts, not comments.
    for visibility in rounds:
        assert sees("outsider", visibility, after) == set()
        assert sees("admin", visibility, after) == set()
        assert len(sees("secretariat", visibility, during)) == 3
        assert len(sees("drafter", visibility, during)) == 3


def test_attribution_hides_the_organisation_from_others_only(app: Flask) -> None:
    version = factories.version(publish=True)
    round_ = factories.round_(version, attribution="anonymous")
    author, other, staff = (
        factories.user("stakeholder"),
        factories.user("stakeholder"),
        factories.user("secretariat"),
    )
    comment = factories.comment(round_.id, author)
    assert permissions.shows_organisation(author, comment)
    assert permissions.shows_organisation(staff, comment)
    assert not permissions.shows_organisation(other, comment)


def test_responses_reach_commenters_only_once_published(app: Flask) -> None:
    version = factories.version(publish=True)
    round_ = factories.round_(version)
    author, staff = factories.user("stakeholder"), factories.user("secretariat")
    comment = factories.comment(round_.id, author)
    assert permissions.can_see_response(staff, comment, utcnow())
    assert not permissions.can_see_response(author, comment, utcnow())
    round_.responses_published_at = utcnow()
    db.session.commit()
    assert permissions.can_see_response(author, comment, utcnow())


def test_submission_takes_the_write_lock_first(app: Flask) -> None:
    """SQLite: BEGIN IMMEDIATE; PostgreSQL: the round's row locked before the check."""
    statements: list[str] = []
    from sqlalchemy import event

    @event.listens_for(db.engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    try:
        version = factories.version(publish=True)
        round_ = factories.round_(version)
        author = factories.user("stakeholder")
        statements.clear()
        factories.comment(round_.id, author)
    finally:
        event.remove(db.engine, "before_cursor_execute", _seen)
    insert = next(i for i, s in enumerate(statements) if s.startswith("INSERT INTO comment"))
    if db.engine.dialect.name == "postgresql":
        locks = [i for i, s in enumerate(statements) if "FROM round" in s and "FOR SHARE" in s]
        assert locks and locks[0] < insert
    else:
        begins = [i for i, s in enumerate(statements) if s == "BEGIN IMMEDIATE"]
        reads = [i for i, s in enumerate(statements) if "FROM comment" in s]
        assert begins and begins[0] < min(reads) < insert
