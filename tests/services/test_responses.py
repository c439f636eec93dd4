"""The secretariat's responses to comments, and their publication once a round closes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent, Comment, Response, Round, User
from consult.services import comments, responses, rounds
from consult.services.errors import NotFound, Refused, ServiceError
from tests import factories

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=2)


def response_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Response)) or 0


def last_event() -> AuditEvent:
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    return event


@pytest.fixture
def comment(app: Flask, users: dict[str, User]) -> Comment:
    """A comment in a round open from T0 to CLOSES (the clock at T0 + 1 hour)."""
    app.config["CLOCK"] = lambda: T0 + timedelta(hours=1)
    version = factories.version(publish=True)
    round_ = rounds.create_round(
        version, rounds.RoundSettings(title="Meeting", opens_at=T0, closes_at=CLOSES), None
    )
    return factories.comment(round_.id, users["stakeholder"])


def test_respond_creates_then_updates_with_audit(
    app: Flask, comment: Comment, users: dict[str, User]
) -> None:
    secretariat = users["secretariat"]
    created = responses.respond(comment.id, "accepted", " Agreed.\r\nThanks. ", secretariat)
    assert (created.disposition, created.explanation) == ("accepted", "Agreed.\nThanks.")
    assert created.updated_at == T0 + timedelta(hours=1)
    event = last_event()
    assert (event.action, event.object_id, event.details["disposition"]) == (
        "response.create",
        str(comment.id),
        "accepted",
    )
    app.config["CLOCK"] = lambda: T0 + timedelta(hours=2)
    updated = responses.respond(comment.id, "noted", "", secretariat)
    assert updated.id == created.id and response_count() == 1
    assert (updated.disposition, updated.explanation) == ("noted", "")
    assert updated.updated_at == T0 + timedelta(hours=2)
    assert last_event().action == "response.edit"


@pytest.mark.parametrize(
    ("disposition", "explanation", "message"),
    [
        ("", "Because.", "choose a disposition"),
        ("rejected", "Because.", "choose a disposition"),
        ("accepted", "  ", "explain the disposition"),
        ("addressed_elsewhere", "", "explain the disposition"),
        ("accepted", "x" * (responses.MAX_EXPLANATION + 1), "limited to"),
    ],
)
def test_respond_refuses_bad_input(
    comment: Comment, users: dict[str, User], disposition: str, explanation: str, message: str
) -> None:
    before = last_event().id
    with pytest.raises(ServiceError, match=message):
        responses.respond(comment.id, disposition, explanation, users["secretariat"])
    assert response_count() == 0
    assert last_event().id == before


def test_respond_refuses_unknown_and_withdrawn_comments(
    comment: Comment, users: dict[str, User]
) -> None:
    with pytest.raises(NotFound):
        responses.respond(99999, "noted", "", users["secretariat"])
    comments.withdraw_comment(comment.id, users["stakeholder"])
    with pytest.raises(Refused, match="withdrawn"):
        responses.respond(comment.id, "noted", "", users["secretariat"])
    assert response_count() == 0


def test_publish_is_refused_before_the_close_then_works_once(
    app: Flask, comment: Comment, users: dict[str, User]
) -> None:
    secretariat = users["secretariat"]
    responses.respond(comment.id, "noted", "", secretariat)
    app.config["CLOCK"] = lambda: CLOSES - timedelta(seconds=1)
    with pytest.raises(Refused, match="once the round has closed"):
        responses.publish_responses(comment.round_id, secretariat)
    db.session.expire_all()
    assert db.session.get(Round, comment.round_id).responses_published_at is None
    app.config["CLOCK"] = lambda: CLOSES
    published = responses.publish_responses(comment.round_id, secretariat)
    assert published.responses_published_at == CLOSES
    event = last_event()
    assert (event.action, event.object_id) == ("round.publish_responses", str(comment.round_id))
    app.config["CLOCK"] = lambda: CLOSES + timedelta(days=1)
    with pytest.raises(Refused, match="published already"):
        responses.publish_responses(comment.round_id, secretariat)
    db.session.expire_all()
    assert db.session.get(Round, comment.round_id).responses_published_at == CLOSES
    assert last_event().id == event.id


def test_publish_unknown_round_raises(app: Flask, users: dict[str, User]) -> None:
    with pytest.raises(NotFound):
        responses.publish_responses(4242, users["secretariat"])
