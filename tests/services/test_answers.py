"""Answering comments without overwriting a colleague: revisions, conflicts, bulk saves,
and the standard answers the secretariat picks from."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent, Response, StandardAnswer, User
from consult.services import audit, comments, demo, responses, rounds, standard_answers
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.responses import AnswerChange, AnswerConflict
from tests import factories

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=2)


def events() -> list[tuple[str, str, dict[str, Any]]]:
    """The audit trail, oldest first: (action, object id, details)."""
    db.session.rollback()
    return [
        (e.action, e.object_id, e.details)
        for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
    ]


def stored(comment_id: int) -> tuple[str, str, int, str] | None:
    """The answer stored now: disposition, explanation, revision, responder's e-mail."""
    db.session.rollback()
    response = db.session.scalar(select(Response).where(Response.comment_id == comment_id))
    if response is None:
        return None
    return (response.disposition, response.explanation, response.revision, response.responder.email)


@pytest.fixture
def world(app: Flask, users: dict[str, User]) -> dict[str, Any]:
    """Three comments in a round open from T0 to CLOSES (the clock at T0 + 1 hour), and a
    second member of the secretariat."""
    app.config["CLOCK"] = lambda: T0 + timedelta(hours=1)
    version = factories.version(publish=True)
    round_ = rounds.create_round(
        version, rounds.RoundSettings(title="Meeting", opens_at=T0, closes_at=CLOSES), None
    )
    author = users["stakeholder"]
    made = [factories.comment(round_.id, author, body=f"Comment {n}.") for n in (1, 2, 3)]
    return {
        "comments": made,
        "ids": [c.id for c in made],
        "numbers": [c.tracking_number for c in made],
        "colleague": factories.user("secretariat", email="colleague@example.org"),
        "secretariat": users["secretariat"],
        "author": author,
    }


# --- one answer, with the revision it was made on ----------------------------------


def test_a_save_made_on_an_older_revision_is_a_conflict_and_writes_nothing(
    app: Flask, world: dict[str, Any]
) -> None:
    first, colleague, me = world["ids"][0], world["colleague"], world["secretariat"]
    saved = responses.respond(first, "accepted", "Agreed.", colleague, expected_revision=0)
    assert saved.revision == 1
    before = events()
    app.config["CLOCK"] = lambda: T0 + timedelta(hours=2)
    with pytest.raises(AnswerConflict) as caught:
        responses.respond(first, "not_accepted", " Out of scope.\r\n ", me, expected_revision=0)
    conflict = caught.value
    assert (conflict.comment_id, conflict.tracking_number) == (first, world["numbers"][0])
    assert conflict.theirs is not None
    assert (
        conflict.theirs.disposition,
        conflict.theirs.explanation,
        conflict.theirs.responder,
        conflict.theirs.updated_at,
        conflict.theirs.revision,
    ) == ("accepted", "Agreed.", colleague.name, T0 + timedelta(hours=1), 1)
    assert (conflict.yours.disposition, conflict.yours.explanation) == (
        "not_accepted",
        "Out of scope.",
    )
    assert conflict.revision == 1
    assert "changed by somebody else" in conflict.message
    assert stored(first) == ("accepted", "Agreed.", 1, "colleague@example.org")
    assert events() == before
    # Saving knowingly over their answer, with the revision now stored, works.
    again = responses.respond(first, "not_accepted", "Out of scope.", me, expected_revision=1)
    assert again.revision == 2
    assert stored(first) == ("not_accepted", "Out of scope.", 2, "secretariat@example.org")
    action, object_id, details = events()[-1]
    assert (action, object_id, details["revision"]) == ("response.edit", str(first), 2)


def test_a_revision_given_for_an_answer_that_does_not_exist_is_a_conflict(
    world: dict[str, Any],
) -> None:
    first = world["ids"][0]
    with pytest.raises(AnswerConflict) as caught:
        responses.respond(first, "noted", "", world["secretariat"], expected_revision=3)
    assert caught.value.theirs is None and caught.value.revision == 0
    assert stored(first) is None


def test_without_a_revision_the_save_is_not_checked(world: dict[str, Any]) -> None:
    first = world["ids"][0]
    responses.respond(first, "accepted", "Agreed.", world["colleague"])
    responses.respond(first, "noted", "", world["secretariat"])
    assert stored(first) == ("noted", "", 2, "secretariat@example.org")


def test_saving_the_answer_already_stored_is_no_conflict_and_no_change(
    world: dict[str, Any],
) -> None:
    first = world["ids"][0]
    responses.respond(first, "accepted", "Agreed.", world["colleague"], expected_revision=0)
    before = events()
    same = responses.respond(
        first, "accepted", "  Agreed.  ", world["secretariat"], expected_revision=0
    )
    assert same.revision == 1
    assert stored(first) == ("accepted", "Agreed.", 1, "colleague@example.org")
    assert events() == before


def test_a_conflict_is_still_refused_on_a_withdrawn_comment(world: dict[str, Any]) -> None:
    first = world["ids"][0]
    comments.withdraw_comment(first, world["author"])
    with pytest.raises(Refused, match="withdrawn"):
        responses.respond(first, "noted", "", world["secretariat"], expected_revision=0)


def test_two_staff_saving_at_the_same_moment_never_overwrite_each_other(
    app: Flask, world: dict[str, Any]
) -> None:
    """Both started from revision 1; the clock is slow, so that both are inside their
    transaction together: without the row lock, both would pass the check."""
    first = world["ids"][0]
    responses.respond(first, "accepted", "Agreed.", world["colleague"], expected_revision=0)
    people = {"mine": world["secretariat"].id, "theirs": world["colleague"].id}

    def slow_clock() -> datetime:
        time.sleep(0.3)
        return T0 + timedelta(hours=2)

    app.config["CLOCK"] = slow_clock
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def save(who: str) -> None:
        with app.app_context():
            actor = db.session.get(User, people[who])
            assert actor is not None
            start.wait()
            try:
                responses.respond(first, "noted", f"Said by {who}.", actor, expected_revision=1)
            except AnswerConflict:
                outcome[who] = "conflict"
            else:
                outcome[who] = "saved"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save, args=(who,)) for who in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome.values()) == ["conflict", "saved"]
    winner = next(who for who, result in outcome.items() if result == "saved")
    answer = stored(first)
    assert answer is not None and answer[1:3] == (f"Said by {winner}.", 2)


# --- many answers at once ------------------------------------------------------------


def test_apply_answers_saves_the_fit_ones_and_reports_the_others(
    world: dict[str, Any],
) -> None:
    new, edited, conflicting = world["ids"]
    numbers = world["numbers"]
    me, colleague = world["secretariat"], world["colleague"]
    responses.respond(edited, "accepted", "Agreed.", colleague, expected_revision=0)
    responses.respond(conflicting, "accepted", "Agreed.", colleague, expected_revision=0)
    responses.respond(conflicting, "noted", "", colleague, expected_revision=1)
    withdrawn = factories.comment(world["comments"][0].round_id, world["author"], body="Gone.")
    comments.withdraw_comment(withdrawn.id, world["author"])
    bad = [factories.comment(withdrawn.round_id, world["author"]) for _ in range(3)]
    before = len(events())
    result = responses.apply_answers(
        [
            AnswerChange(new, "accepted_in_part", "Partly.", 0),
            AnswerChange(edited, "not_accepted", "No.", 1),
            AnswerChange(conflicting, "accepted", "Yes after all.", 1),
            AnswerChange(withdrawn.id, "noted", "", 0),
            AnswerChange(bad[0].id, "rejected", "Unknown code.", 0),
            AnswerChange(bad[1].id, "accepted", "   ", 0),
            AnswerChange(bad[2].id, "accepted", "x" * (responses.MAX_EXPLANATION + 1), 0),
            AnswerChange(987654, "noted", "", 0),
            AnswerChange(new, "noted", "Twice.", 0),
        ],
        me,
        action="response.upload",
    )
    assert result.saved == [numbers[0], numbers[1]]
    assert [c.tracking_number for c in result.conflicts] == [numbers[2]]
    conflict = result.conflicts[0]
    assert conflict.theirs is not None
    assert (conflict.theirs.disposition, conflict.theirs.revision) == ("noted", 2)
    assert conflict.yours.explanation == "Yes after all."
    reasons = dict(result.refused)
    assert "withdrawn" in reasons[withdrawn.tracking_number]
    assert "choose a disposition" in reasons[bad[0].tracking_number]
    assert "explain the disposition" in reasons[bad[1].tracking_number]
    assert "limited to 10,000 characters" in reasons[bad[2].tracking_number]
    assert "no such comment" in reasons["#987654"]
    assert "more than once" in reasons[numbers[0]]
    assert len(result.refused) == 6 and result.unchanged == []
    assert stored(new) == ("accepted_in_part", "Partly.", 1, "secretariat@example.org")
    assert stored(edited) == ("not_accepted", "No.", 2, "secretariat@example.org")
    assert stored(conflicting) == ("noted", "", 2, "colleague@example.org")
    for each in (withdrawn.id, *(b.id for b in bad)):
        assert stored(each) is None
    added = events()[before:]
    assert [(action, object_id) for action, object_id, _ in added] == [
        ("response.create", str(new)),
        ("response.upload", str(edited)),
    ]
    assert added[1][2] == {
        "tracking_number": numbers[1],
        "disposition": "not_accepted",
        "revision": 2,
    }


def test_apply_answers_writes_in_one_transaction(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int] = []
    real = responses.write_transaction

    @contextmanager
    def counted() -> Iterator[None]:
        opened.append(1)
        with real():
            yield

    monkeypatch.setattr(responses, "write_transaction", counted)
    changes = [AnswerChange(i, "noted", "", 0) for i in world["ids"]]
    result = responses.apply_answers(changes, world["secretariat"])
    assert result.saved == world["numbers"] and opened == [1]


def test_apply_answers_saves_nothing_when_one_write_fails(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = audit.record
    calls: list[str] = []

    def fail_on_the_second(*args: Any, **kwargs: Any) -> AuditEvent:
        calls.append(args[1])
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "record", fail_on_the_second)
    changes = [AnswerChange(i, "noted", "", 0) for i in world["ids"]]
    with pytest.raises(RuntimeError):
        responses.apply_answers(changes, world["secretariat"])
    monkeypatch.undo()
    for comment_id in world["ids"]:
        assert stored(comment_id) is None
    assert not any(action.startswith("response.") for action, _, _ in events())


def test_apply_answers_reports_answers_stored_already_as_unchanged(
    world: dict[str, Any],
) -> None:
    first, second, _third = world["ids"]
    responses.respond(first, "noted", "", world["colleague"], expected_revision=0)
    result = responses.apply_answers(
        [AnswerChange(first, "noted", "", 0), AnswerChange(second, "noted", "", 0)],
        world["secretariat"],
    )
    assert (result.saved, result.unchanged) == ([world["numbers"][1]], [world["numbers"][0]])
    assert stored(first) == ("noted", "", 1, "colleague@example.org")


def test_apply_answers_with_nothing_to_do_does_nothing(world: dict[str, Any]) -> None:
    before = events()
    result = responses.apply_answers([], world["secretariat"])
    assert (result.saved, result.conflicts, result.refused) == ([], [], [])
    assert events() == before


def test_respond_in_bulk_gives_one_answer_to_each_comment(world: dict[str, Any]) -> None:
    first, second, third = world["ids"]
    responses.respond(second, "accepted", "Agreed.", world["colleague"], expected_revision=0)
    result = responses.respond_in_bulk(
        [(first, 0), (second, 0), (third, 0)],
        "not_accepted",
        "Outside the scope of these Principles.",
        world["secretariat"],
    )
    assert result.saved == [world["numbers"][0], world["numbers"][2]]
    assert [c.comment_id for c in result.conflicts] == [second]
    assert stored(first) == (
        "not_accepted",
        "Outside the scope of these Principles.",
        1,
        "secretariat@example.org",
    )
    assert stored(second) == ("accepted", "Agreed.", 1, "colleague@example.org")


@pytest.mark.parametrize(
    ("rows", "disposition", "explanation", "message"),
    [
        ([], "noted", "", "choose at least one comment"),
        ([(1, 0)], "", "Why.", "choose a disposition"),
        ([(1, 0)], "accepted", " ", "explain the disposition"),
    ],
)
def test_respond_in_bulk_refuses_an_unfit_answer_before_anything(
    world: dict[str, Any],
    rows: list[tuple[int, int]],
    disposition: str,
    explanation: str,
    message: str,
) -> None:
    rows = [(world["ids"][0], revision) for _, revision in rows]
    before = events()
    with pytest.raises(ServiceError, match=message):
        responses.respond_in_bulk(rows, disposition, explanation, world["secretariat"])
    assert stored(world["ids"][0]) is None
    assert events() == before


# --- standard answers ------------------------------------------------------------------


def test_standard_answers_are_added_listed_and_removed_with_audit(
    world: dict[str, Any],
) -> None:
    me = world["secretariat"]
    scope = standard_answers.add_answer(
        "  Outside the scope of these Principles.\r\n", "not_accepted", me
    )
    revised = standard_answers.add_answer("addressed in the revised paragraph.", "", me)
    assert scope.text == "Outside the scope of these Principles."
    assert scope.disposition == "not_accepted" and revised.disposition is None
    assert scope.created_by_id == me.id
    assert [a.text for a in standard_answers.list_answers()] == [
        "addressed in the revised paragraph.",
        "Outside the scope of these Principles.",
    ]
    assert standard_answers.remove_answer(scope.id, me) == scope.text
    assert [a.id for a in standard_answers.list_answers()] == [revised.id]
    trail = [(a, o, d) for a, o, d in events() if a.startswith("standard_answer.")]
    assert trail == [
        ("standard_answer.create", str(scope.id), {"text": scope.text}),
        ("standard_answer.create", str(revised.id), {"text": revised.text}),
        ("standard_answer.remove", str(scope.id), {"text": scope.text}),
    ]


@pytest.mark.parametrize(
    ("text", "disposition", "message"),
    [
        ("   ", None, "write the text"),
        ("x" * 2001, None, "limited to 2,000 characters"),
        ("Fine text.", "rejected", "choose a disposition from the list"),
        ("OUTSIDE THE SCOPE of these Principles.", None, "saved already"),
    ],
)
def test_unfit_standard_answers_are_refused(
    world: dict[str, Any], text: str, disposition: str | None, message: str
) -> None:
    standard_answers.add_answer("Outside the scope of these Principles.", None, None)
    before = events()
    with pytest.raises(ServiceError, match=message):
        standard_answers.add_answer(text, disposition, world["secretariat"])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(StandardAnswer)) == 1
    assert events() == before


def test_a_standard_answer_of_exactly_the_limit_is_kept(world: dict[str, Any]) -> None:
    answer = standard_answers.add_answer("y" * 2000, None, world["secretariat"])
    assert len(answer.text) == 2000


def test_removing_an_unknown_standard_answer_is_not_found(world: dict[str, Any]) -> None:
    with pytest.raises(NotFound):
        standard_answers.remove_answer(4242, world["secretariat"])


def test_removing_a_standard_answer_keeps_the_answers_given_with_it(
    world: dict[str, Any],
) -> None:
    first = world["ids"][0]
    answer = standard_answers.add_answer("Noted with thanks.", "noted", None)
    responses.respond(first, "noted", answer.text, world["secretariat"], expected_revision=0)
    standard_answers.remove_answer(answer.id, world["secretariat"])
    assert stored(first) == ("noted", "Noted with thanks.", 1, "secretariat@example.org")


def test_the_demo_data_brings_standard_answers_once(app: Flask) -> None:
    drafts = Path(__file__).resolve().parents[2] / "drafts"
    first = demo.load_demo(drafts)
    second = demo.load_demo(drafts)
    assert (first.standard_answers, second.standard_answers) == (3, 0)
    texts = [a.text for a in standard_answers.list_answers()]
    assert "Outside the scope of these Principles." in texts
    assert "Addressed in the revised paragraph." in texts
