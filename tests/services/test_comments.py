"""Submitting, editing and withdrawing comments: receipts, idempotency, deadlines, audit."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent, Clause, Comment, CommentRevision, Round, User, Version
from consult.services import comments
from consult.services.comments import CommentInput, EditConflict, NotParticipating, RoundClosed
from consult.services.errors import NotFound, Refused, ServiceError
from tests import factories


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def clause(version: Version, key: str = "principle-dignity") -> Clause:
    return next(c for c in version.clauses if c.key == key)


def submit(
    round_: Round, author: User, key: str = "k1", body: str = "A comment."
) -> comments.Receipt:
    return comments.submit_comment(
        round_.id, None, CommentInput("general", body), author, idempotency_key=key
    )


def set_clock(app: Flask, moment: datetime) -> None:
    app.config["CLOCK"] = lambda: moment


@pytest.fixture
def version(app: Flask) -> Version:
    return factories.version()


def test_receipt_has_tracking_number_time_and_hash(
    version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    author = users["stakeholder"]
    code = author.organisation.code  # type: ignore[union-attr]
    first = comments.submit_comment(
        round_.id,
        "principle-dignity",
        CommentInput("substantive", "  Clarify.\r\n\r\nPlease.  ", "New wording."),
        author,
        idempotency_key="a",
    )
    second = submit(round_, author, key="b")
    assert first.tracking_number == f"{code}-001"
    assert second.tracking_number == f"{code}-002"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first.received_at)
    stored = db.session.get(Comment, first.comment_id)
    assert stored is not None
    assert stored.body == "Clarify.\n\nPlease."
    expected = comments.content_hash(
        round_.id,
        "principle-dignity",
        code,
        CommentInput("substantive", stored.body, "New wording."),
    )
    assert first.content_hash == stored.content_hash == expected
    assert re.fullmatch(r"[0-9a-f]{64}", first.content_hash)


def test_sequence_is_per_organisation_and_round(version: Version, users: dict[str, User]) -> None:
    one, two = factories.round_(version), factories.round_(version, title="Second")
    other = factories.user("stakeholder", factories.organisation("ngo", name="Other Body"))
    ours = users["stakeholder"]
    assert submit(one, ours, "a").tracking_number.endswith("-001")
    assert submit(one, other, "b").tracking_number == f"{other.organisation.code}-001"  # type: ignore[union-attr]
    assert submit(two, ours, "c").tracking_number.endswith("-001")
    assert submit(one, ours, "d").tracking_number.endswith("-002")


def test_same_idempotency_key_returns_the_same_receipt_and_stores_once(
    version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    first = submit(round_, users["stakeholder"], key="same")
    again = submit(round_, users["stakeholder"], key="same", body="A different text.")
    assert again.duplicate and not first.duplicate
    assert (again.tracking_number, again.received_at, again.content_hash, again.comment_id) == (
        first.tracking_number,
        first.received_at,
        first.content_hash,
        first.comment_id,
    )
    assert count(Comment) == 1
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "comment.submit")) == 1


def test_accepted_until_the_last_microsecond_before_closing(
    app: Flask, version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    just_before = round_.closes_at - timedelta(microseconds=1)
    set_clock(app, just_before)
    receipt = submit(round_, users["stakeholder"], key="late")
    stored = db.session.get(Comment, receipt.comment_id)
    assert stored is not None and stored.received_at == just_before


@pytest.mark.parametrize("after", [timedelta(0), timedelta(microseconds=1), timedelta(days=1)])
def test_refused_at_closing_time_and_after(
    app: Flask, version: Version, users: dict[str, User], after: timedelta
) -> None:
    round_ = factories.round_(version)
    set_clock(app, round_.closes_at + after)
    with pytest.raises(RoundClosed, match="closed"):
        submit(round_, users["stakeholder"])
    assert count(Comment) == 0
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "comment.submit")) == 0


def test_refused_before_the_round_opens(version: Version, users: dict[str, User]) -> None:
    round_ = factories.round_(version, opens_in=timedelta(days=1), closes_in=timedelta(days=2))
    with pytest.raises(RoundClosed, match="not open yet"):
        submit(round_, users["stakeholder"])
    assert count(Comment) == 0


def test_non_participants_are_refused(version: Version, users: dict[str, User]) -> None:
    invited_org = factories.organisation("ngo", name="Invited")
    round_ = factories.round_(version, participation="invited", invited=[invited_org])
    with pytest.raises(NotParticipating):
        submit(round_, users["stakeholder"])
    for role in ("drafter", "secretariat", "admin"):
        with pytest.raises(NotParticipating):
            submit(round_, users[role], key=role)
    invited = factories.user("stakeholder", invited_org)
    assert submit(round_, invited, key="ok").tracking_number.endswith("-001")
    assert count(Comment) == 1


def test_clause_of_another_version_is_not_found(version: Version, users: dict[str, User]) -> None:
    other = factories.version(factories.SAMPLE_DRAFT + "\nOne more paragraph.\n")
    only_in_other = {c.key for c in other.clauses} - {c.key for c in version.clauses}
    assert only_in_other
    round_ = factories.round_(version)
    with pytest.raises(NotFound, match="no such clause"):
        comments.submit_comment(
            round_.id, only_in_other.pop(), CommentInput("general", "x"), users["stakeholder"], "k"
        )
    with pytest.raises(NotFound, match="no such round"):
        comments.submit_comment(
            round_.id + 1000, None, CommentInput("general", "x"), users["stakeholder"], "k"
        )
    assert count(Comment) == 0


def test_a_proposed_wording_that_repeats_the_clause_counts_as_none(
    version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    worded = next(c for c in version.clauses if len(c.text) > 20)
    text = worded.text
    same = comments.submit_comment(
        round_.id,
        worded.key,
        CommentInput("editorial", "Fine as it is.", f"  {text}\n"),
        users["stakeholder"],
        "same",
    )
    changed = comments.submit_comment(
        round_.id,
        worded.key,
        CommentInput("editorial", "Longer.", text + " And more."),
        users["stakeholder"],
        "changed",
    )
    assert db.session.get(Comment, same.comment_id).proposed_text is None  # type: ignore[union-attr]
    assert db.session.get(Comment, changed.comment_id).proposed_text == text + " And more."  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (CommentInput("general", "   "), "empty"),
        (CommentInput("general", "x" * 10_001), "limit"),
        (CommentInput("general", "ok", "y" * 20_001), "proposed change"),
        (CommentInput("opinion", "ok"), "type"),
    ],
)
def test_bad_input_is_refused(
    version: Version, users: dict[str, User], data: CommentInput, message: str
) -> None:
    round_ = factories.round_(version)
    with pytest.raises(ServiceError, match=message):
        comments.submit_comment(round_.id, None, data, users["stakeholder"], "k")
    assert count(Comment) == 0


def test_limits_are_inclusive(version: Version, users: dict[str, User]) -> None:
    round_ = factories.round_(version)
    data = CommentInput("general", "x" * 10_000, "y" * 20_000)
    comments.submit_comment(round_.id, None, data, users["stakeholder"], "k")
    assert count(Comment) == 1


def test_edit_keeps_the_earlier_text_and_conflicts_on_a_stale_revision(
    version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    author = users["stakeholder"]
    colleague = factories.user("stakeholder", author.organisation)
    receipt = submit(round_, author, body="First text.")
    edited = comments.edit_comment(
        receipt.comment_id, CommentInput("editorial", "Second text."), colleague, 1
    )
    assert edited.tracking_number == receipt.tracking_number
    assert edited.content_hash != receipt.content_hash
    with pytest.raises(EditConflict) as conflict:
        comments.edit_comment(receipt.comment_id, CommentInput("general", "Mine."), author, 1)
    assert conflict.value.comment.body == "Second text."
    comment = db.session.get(Comment, receipt.comment_id)
    assert comment is not None
    db.session.refresh(comment)
    assert (comment.body, comment.type, comment.revision) == ("Second text.", "editorial", 2)
    revisions = db.session.scalars(select(CommentRevision)).all()
    assert [(r.revision, r.body, r.type) for r in revisions] == [(1, "First text.", "general")]


def test_only_the_organisation_edits_and_withdraws(
    version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    receipt = submit(round_, users["stakeholder"])
    stranger = factories.user("stakeholder", factories.organisation("ngo", name="Strangers"))
    with pytest.raises(Refused):
        comments.edit_comment(receipt.comment_id, CommentInput("general", "x"), stranger, 1)
    with pytest.raises(Refused):
        comments.withdraw_comment(receipt.comment_id, stranger)
    comment = db.session.get(Comment, receipt.comment_id)
    assert comment is not None and comment.status == "active" and comment.body == "A comment."


def test_withdraw_keeps_the_comment_marked(
    app: Flask, version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    receipt = submit(round_, users["stakeholder"])
    withdrawn = comments.withdraw_comment(receipt.comment_id, users["stakeholder"])
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawn_at is not None
    assert count(Comment) == 1
    with pytest.raises(Refused, match="withdrawn"):
        comments.edit_comment(
            receipt.comment_id, CommentInput("general", "x"), users["stakeholder"], 1
        )
    with pytest.raises(Refused, match="withdrawn"):
        comments.withdraw_comment(receipt.comment_id, users["stakeholder"])


def test_no_edit_or_withdrawal_after_closing(
    app: Flask, version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    receipt = submit(round_, users["stakeholder"])
    set_clock(app, round_.closes_at)
    with pytest.raises(RoundClosed):
        comments.edit_comment(
            receipt.comment_id, CommentInput("general", "x"), users["stakeholder"], 1
        )
    with pytest.raises(RoundClosed):
        comments.withdraw_comment(receipt.comment_id, users["stakeholder"])
    comment = db.session.get(Comment, receipt.comment_id)
    assert comment is not None and comment.status == "active" and comment.revision == 1


def test_audit_records_for_submit_edit_and_withdraw(
    version: Version, users: dict[str, User]
) -> None:
    round_ = factories.round_(version)
    author = users["stakeholder"]
    receipt = submit(round_, author)
    comments.edit_comment(receipt.comment_id, CommentInput("general", "Changed."), author, 1)
    comments.withdraw_comment(receipt.comment_id, author)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "comment").order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["comment.submit", "comment.edit", "comment.withdraw"]
    assert all(e.actor_id == author.id and e.object_id == str(receipt.comment_id) for e in events)
    assert events[0].details["tracking_number"] == receipt.tracking_number
