"""The demo rounds: a closed round the secretariat can work in, an open one, loaded once."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.domain.diff import word_diff
from consult.extensions import db
from consult.models import AuditEvent, Comment, Response, Round, StandardAnswer, User
from consult.services import demo, demo_rounds
from consult.services.comment_input import CommentInput, content_hash
from consult.services.matrix import filters
from consult.services.matrix.query import matrix_page
from tests.web.support import set_clock

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"
NOW = datetime(2027, 3, 10, 11, 30, tzinfo=UTC)
PASSWORD = "demo-test-password"


@pytest.fixture
def loaded(app: Flask, client: FlaskClient) -> demo.DemoReport:
    """The demo, loaded at a fixed moment."""
    set_clock(app, client, NOW)
    return demo.load_demo(DRAFTS, PASSWORD)


def the_round(title: str) -> Round:
    return db.session.scalars(select(Round).where(Round.title == title)).one()


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Round, Comment, Response, AuditEvent)
    )


def test_the_demo_opens_a_closed_and_an_open_round_once(loaded: demo.DemoReport) -> None:
    first, second = the_round("First expert meeting"), the_round("Second expert meeting")
    assert (first.version.number, second.version.number) == (2, 3)
    assert first.version.document.slug == second.version.document.slug == "human-rights-borders"
    assert (first.state(NOW), second.state(NOW)) == ("closed", "open")
    assert (first.visibility, first.attribution) == ("open", "named")
    assert (second.visibility, second.attribution) == ("own_until_close", "anonymous")
    assert first.place == second.place == "Geneva"
    assert first.time_zone == second.time_zone == "Europe/Zurich"
    assert 44 <= (NOW - first.opens_at).days <= 45 and 14 <= (NOW - first.closes_at).days <= 15
    assert (NOW - second.opens_at).days in (1, 2) and 29 <= (second.closes_at - NOW).days <= 30
    assert first.responses_published_at is None and second.responses_published_at is None
    in_first = len(demo_rounds.FIRST_ROUND_COMMENTS)
    in_second = len(demo_rounds.SECOND_ROUND_COMMENTS)
    answered = sum(c.answer is not None for c in demo_rounds.FIRST_ROUND_COMMENTS)
    assert (loaded.rounds, loaded.comments, loaded.responses) == (
        2,
        in_first + in_second,
        answered,
    )
    assert 20 <= in_first <= 28 and 4 <= in_second <= 5
    before = counts()
    again = demo.load_demo(DRAFTS, PASSWORD)
    assert (again.rounds, again.comments, again.responses) == (0, 0, 0)
    assert counts() == before


def test_every_demo_comment_is_numbered_and_hashed_as_the_submit_service_would(
    loaded: demo.DemoReport,
) -> None:
    secretariat = db.session.scalars(
        select(User).where(User.email == "secretariat@consult.example")
    ).one()
    by_organisation: dict[tuple[int, int], list[Comment]] = defaultdict(list)
    every = db.session.scalars(select(Comment).order_by(Comment.received_at, Comment.id)).all()
    assert len(every) == loaded.comments
    for comment in every:
        round_ = comment.round
        organisation = comment.organisation
        assert comment.tracking_number == f"{organisation.code}-{comment.sequence:03d}"
        data = CommentInput(comment.type, comment.body, comment.proposed_text)
        key = comment.clause.key if comment.clause else None
        assert comment.content_hash == content_hash(round_.id, key, organisation.code, data)
        assert comment.clause is None or comment.clause.version_id == round_.version_id
        assert round_.opens_at <= comment.received_at < round_.closes_at
        assert comment.received_at <= comment.updated_at < round_.closes_at
        assert comment.revision == 1
        if comment.channel == "email":
            assert comment.author_id == secretariat.id and comment.paragraph.startswith("para ")
            assert comment.emailed_on is not None
            local = ZoneInfo(round_.time_zone)
            assert round_.opens_at.astimezone(local).date() <= comment.emailed_on
            assert comment.emailed_on <= comment.received_at.astimezone(local).date()
            action, actor = "comment.import", secretariat.id
        else:
            assert comment.author.organisation_id == comment.organisation_id
            assert comment.emailed_on is None
            action, actor = "comment.submit", comment.author_id
        events = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "comment", AuditEvent.object_id == str(comment.id)
            )
        ).all()
        submitted = [e for e in events if e.action == action]
        assert len(submitted) == 1
        assert submitted[0].actor_id == actor
        assert submitted[0].details["tracking_number"] == comment.tracking_number
        assert submitted[0].details["content_hash"] == comment.content_hash
        by_organisation[(comment.round_id, comment.organisation_id)].append(comment)
    for numbered in by_organisation.values():
        # Numbered 1, 2, 3 ... in the order they came in, as the service numbers them.
        assert [c.sequence for c in numbered] == list(range(1, len(numbered) + 1))
    keys = [(c.author_id, c.idempotency_key) for c in every]
    assert len(set(keys)) == len(keys)


def test_the_closed_round_has_varied_comments_half_answered(loaded: demo.DemoReport) -> None:
    first = the_round("First expert meeting")
    comments = db.session.scalars(select(Comment).where(Comment.round_id == first.id)).all()
    kinds = {c.organisation.kind for c in comments}
    assert kinds == {"member_state", "un_entity", "igo", "ngo", "nhri", "academic"}
    assert {c.type for c in comments} == {"general", "substantive", "editorial"}
    assert 2 <= sum(c.clause is None for c in comments) <= 3
    emailed = [c for c in comments if c.channel == "email"]
    assert 1 <= len({c.organisation_id for c in emailed}) <= 2
    withdrawn = [c for c in comments if c.is_withdrawn]
    assert len(withdrawn) == 1 and withdrawn[0].response is None
    assert withdrawn[0].received_at < withdrawn[0].withdrawn_at < first.closes_at  # type: ignore[operator]
    proposals = [c for c in comments if c.proposed_text]
    assert len(comments) // 4 <= len(proposals) <= len(comments) // 2
    for comment in proposals:
        # A rewording of the clause's own text (or heading), not a text of its own.
        assert comment.clause is not None
        original = comment.clause.heading or comment.clause.text
        diff = word_diff(original, comment.proposed_text or "")
        kept = sum(len(text) for op, text in diff if op == "equal")
        assert comment.proposed_text != original and kept >= len(original) // 3, comment
    active = [c for c in comments if not c.is_withdrawn]
    answered = [c for c in active if c.response is not None]
    assert len(active) // 3 <= len(answered) <= 2 * len(active) // 3
    assert len({c.response.disposition for c in answered if c.response}) == 5
    standard = set(db.session.scalars(select(StandardAnswer.text)))
    explanations = [c.response.explanation for c in answered if c.response]
    assert 2 <= sum(e in standard for e in explanations) < len(explanations)
    assert all(c.response.responder.role == "secretariat" for c in answered if c.response)


def test_the_matrix_shows_the_closed_round_and_what_became_of_its_clauses(
    loaded: demo.DemoReport,
) -> None:
    first = the_round("First expert meeting")
    secretariat = db.session.scalars(
        select(User).where(User.email == "secretariat@consult.example")
    ).one()
    page = matrix_page(secretariat, "human-rights-borders", filters.parse({}), NOW)
    ids = set(db.session.scalars(select(Comment.id).where(Comment.round_id == first.id)))
    rows = {row.comment_id: row for row in page.rows if row.round_id == first.id}
    assert set(rows) == ids
    fates = {row.next_version.status for row in rows.values() if row.next_version}
    assert {"changed", "unchanged", "moved", "removed"} <= fates
    assert sum(row.next_version is None for row in rows.values()) == sum(
        row.clause_key is None for row in rows.values()
    )
    assert any(row.emailed_on and row.paragraph for row in rows.values())
    assert any(row.disposition is None and not row.withdrawn for row in rows.values())
