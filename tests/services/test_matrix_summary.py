"""The matrix summary: its counts, per role and round rule, and its fixed number of queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select, update
from sqlalchemy.orm import selectinload

from consult import permissions
from consult.extensions import db
from consult.models import Comment, Organisation, Response, Round, User, Version
from consult.services import comments, responses, rounds
from consult.services.comment_queries import views as comment_views
from consult.services.errors import NotFound
from consult.services.matrix.filters import MatrixFilters, parse
from consult.services.matrix.query import describe_filters, export_sheets, matrix_page
from consult.services.matrix.scope import scope_for
from consult.services.matrix.summary import (
    OTHER_PARTICIPANTS,
    UNANSWERED,
    UNPUBLISHED,
    MatrixSummary,
    matrix_summary,
)
from tests import factories

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=2)
DURING = T0 + timedelta(hours=1)
AFTER = CLOSES + timedelta(hours=1)
ALL = MatrixFilters()


@dataclass
class Dataset:
    """A round of six comments by three organisations (one withdrawn), three of them answered."""

    version: Version
    round: Round
    ngo: User  # the `users` fixture's stakeholder, of "Test NGO"
    state: User  # a Member State's stakeholder
    un: User  # a UN entity's stakeholder
    comments: dict[str, Comment]


def build(app: Flask, users: dict[str, User], **rules: Any) -> Dataset:
    """Open a round (from T0 to CLOSES) with `rules`, and comment and answer in it.

    NGO: n1 on Principle 1 (accepted), n2 on the whole document, n3 on
    Principle 2 (withdrawn). Member State: d1 on Principle 1 with a proposed
    change (not accepted), d2 on Guideline 1, paragraph 2. UN entity: u1 on
    Principle 1 (noted). The clock is left during the round.
    """
    app.config["CLOCK"] = lambda: DURING
    version = factories.version(publish=True)
    settings = rounds.RoundSettings(title="Expert meeting", opens_at=T0, closes_at=CLOSES, **rules)
    round_ = rounds.create_round(version, settings, None)
    clauses = {c.key: c for c in version.clauses}
    ngo = users["stakeholder"]
    state = factories.user("stakeholder", factories.organisation("member_state", "Germany", "DE"))
    un = factories.user("stakeholder", factories.organisation("un_entity", "UN Agency"))
    made = {
        "n1": factories.comment(round_.id, ngo, clauses["principle-dignity"], "Clarify."),
        "n2": factories.comment(round_.id, ngo, None, "Overall fine.", type="general"),
        "n3": factories.comment(round_.id, ngo, clauses["principle-2"], "Typo.", "editorial"),
        "d1": factories.comment(
            round_.id,
            state,
            clauses["principle-dignity"],
            "Add respect.",
            proposed_text="Everyone shall be treated with dignity and respect.",
        ),
        "d2": factories.comment(
            round_.id, state, clauses["guideline-1.2"], "Comma.", type="editorial"
        ),
        "u1": factories.comment(
            round_.id, un, clauses["principle-dignity"], "Good.", type="general"
        ),
    }
    comments.withdraw_comment(made["n3"].id, ngo)
    secretariat = users["secretariat"]
    responses.respond(made["n1"].id, "accepted", "Clarified.", secretariat)
    responses.respond(made["d1"].id, "not_accepted", "Out of scope.", secretariat)
    responses.respond(made["u1"].id, "noted", "", secretariat)
    return Dataset(version, round_, ngo, state, un, made)


def publish(app: Flask, data: Dataset, users: dict[str, User]) -> None:
    """Close the round and publish its answers (the clock is left after the close)."""
    app.config["CLOCK"] = lambda: AFTER
    responses.publish_responses(data.round.id, users["secretariat"])


def summary(user: User, at: datetime, filters: MatrixFilters = ALL) -> MatrixSummary:
    db.session.expire_all()
    return matrix_summary(user, "sample", filters, at)


def kinds(result: MatrixSummary) -> dict[str, dict[str, int]]:
    """The kind table as {kind: {column: count}}, leaving out zeros."""
    codes = [c.code for c in result.columns]
    return {
        row.code: {code: n for code, n in zip(codes, row.counts, strict=True) if n}
        for row in result.by_kind
    }


def tallies(items: Any) -> dict[str, int]:
    return {t.code: t.count for t in items}


def clause_lines(result: MatrixSummary) -> list[tuple[str | None, str, int]]:
    return [(c.key, c.label, c.count) for c in result.by_clause]


STAFF_KINDS = {
    "ngo": {"accepted": 1, UNANSWERED: 1},
    "member_state": {"not_accepted": 1, UNANSWERED: 1},
    "un_entity": {"noted": 1},
}


@pytest.mark.parametrize("role", ["secretariat", "drafter"])
def test_staff_count_every_standing_comment_with_its_disposition(
    app: Flask, users: dict[str, User], role: str
) -> None:
    build(app, users)
    result = summary(users[role], DURING)
    assert (result.total, result.withdrawn, result.limited) == (5, 1, False)
    assert kinds(result) == STAFF_KINDS
    assert [c.code for c in result.columns] == [
        "accepted",
        "accepted_in_part",
        "not_accepted",
        "noted",
        "addressed_elsewhere",
        UNANSWERED,
    ]
    assert tallies(result.columns) == {
        "accepted": 1,
        "accepted_in_part": 0,
        "not_accepted": 1,
        "noted": 1,
        "addressed_elsewhere": 0,
        UNANSWERED: 2,
    }
    assert [(t.label, t.count) for t in result.by_type] == [
        ("General", 2),
        ("Substantive", 2),
        ("Editorial", 1),
    ]
    assert [(t.label, t.count) for t in result.answered] == [("Answered", 3), ("Unanswered", 2)]
    assert clause_lines(result) == [
        (None, "Whole document", 1),
        ("principle-dignity", "Principle 1", 3),
        ("guideline-1.2", "Guideline 1, paragraph 2", 1),
    ]
    assert result.by_clause[1].version_number == 1
    assert [r.title for r in result.rounds] == ["Expert meeting"]


def test_a_stakeholder_sees_no_disposition_before_the_answers_are_published(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users)
    before = summary(data.ngo, DURING)
    assert (before.total, before.withdrawn, before.limited) == (5, 1, True)
    assert tallies(before.columns)[UNPUBLISHED] == 5
    assert sum(c.count for c in before.columns if c.code != UNPUBLISHED) == 0
    assert kinds(before) == {
        "ngo": {UNPUBLISHED: 2},
        "member_state": {UNPUBLISHED: 2},
        "un_entity": {UNPUBLISHED: 1},
    }
    assert [(t.code, t.count) for t in before.answered] == [
        ("answered", 0),
        (UNANSWERED, 0),
        (UNPUBLISHED, 5),
    ]
    assert before.rounds[0].answers_hidden
    # Closed but not yet published: still hidden.
    closed = summary(data.ngo, AFTER)
    assert tallies(closed.columns)[UNPUBLISHED] == 5
    publish(app, data, users)
    after = summary(data.ngo, AFTER)
    assert kinds(after) == STAFF_KINDS
    assert UNPUBLISHED not in tallies(after.columns)
    assert [(t.code, t.count) for t in after.answered] == [("answered", 3), (UNANSWERED, 2)]
    assert not after.rounds[0].answers_hidden


def test_answer_filters_take_an_unpublished_answer_as_none_for_a_stakeholder(
    app: Flask, users: dict[str, User]
) -> None:
    # As in the matrix: before publication a stakeholder's table shows no answer at all.
    data = build(app, users)
    staff = users["secretariat"]
    for args in ({"answered": "yes"}, {"disposition": "accepted"}):
        assert summary(data.ngo, DURING, parse(args)).total == 0, args
        assert summary(staff, DURING, parse(args)).total > 0, args
    for args in ({"answered": "no"}, {"disposition": "none"}):
        unseen = summary(data.ngo, DURING, parse(args))
        assert (unseen.total, unseen.withdrawn) == (5, 1), args
        # Counted, and labelled as what they are to the reader.
        assert tallies(unseen.answered) == {"answered": 0, UNANSWERED: 0, UNPUBLISHED: 5}, args
        assert summary(staff, DURING, parse(args)).total == 2, args
    publish(app, data, users)
    assert summary(data.ngo, AFTER, parse({"answered": "no"})).total == 2
    assert summary(data.ngo, AFTER, parse({"disposition": "none"})).total == 2
    assert summary(data.ngo, AFTER, parse({"answered": "yes"})).total == 3
    assert summary(data.ngo, AFTER, parse({"disposition": "accepted"})).total == 1


def test_own_until_close_counts_only_the_organisations_own_until_the_close(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users, visibility="own_until_close")
    during = summary(data.ngo, DURING)
    assert (during.total, during.withdrawn) == (2, 1)
    assert kinds(during) == {"ngo": {UNPUBLISHED: 2}}
    assert clause_lines(during) == [
        (None, "Whole document", 1),
        ("principle-dignity", "Principle 1", 1),
    ]
    assert during.rounds[0].only_own
    other = summary(data.state, DURING)
    assert (other.total, other.withdrawn) == (2, 0)
    assert summary(users["secretariat"], DURING).total == 5
    after = summary(data.ngo, AFTER)
    assert (after.total, after.rounds[0].only_own) == (5, False)


def test_secretariat_visibility_counts_only_the_organisations_own(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users, visibility="secretariat")
    for at in (DURING, AFTER):
        result = summary(data.ngo, at)
        assert (result.total, result.withdrawn) == (2, 1), at
        assert tallies(result.by_type) == {"general": 1, "substantive": 1, "editorial": 0}
    publish(app, data, users)
    assert kinds(summary(data.ngo, AFTER)) == {"ngo": {"accepted": 1, UNANSWERED: 1}}
    assert summary(data.un, AFTER).total == 1


def test_an_anonymous_round_groups_other_organisations_under_other_participants(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users, attribution="anonymous")
    result = summary(data.ngo, DURING)
    assert kinds(result) == {"ngo": {UNPUBLISHED: 2}, OTHER_PARTICIPANTS: {UNPUBLISHED: 3}}
    assert result.by_kind[-1].label == "Other participants"
    assert result.rounds[0].organisations_hidden
    # Filtering by another kind or organisation must not tell which comments are theirs.
    germany = db.session.scalar(select(Organisation.id).where(Organisation.code == "DE"))
    assert summary(data.ngo, DURING, parse({"kind": "member_state"})).total == 0
    assert summary(data.ngo, DURING, parse({"organisation": str(germany)})).total == 0
    assert summary(data.ngo, DURING, parse({"kind": "ngo"})).total == 2
    staff = summary(users["secretariat"], DURING)
    assert kinds(staff) == STAFF_KINDS
    assert summary(users["secretariat"], DURING, parse({"kind": "member_state"})).total == 2


def test_withdrawn_comments_are_left_out_and_counted_apart(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users)
    comments.withdraw_comment(data.comments["d2"].id, data.state)
    staff = summary(users["secretariat"], DURING)
    assert (staff.total, staff.withdrawn) == (4, 2)
    assert sum(row.total for row in staff.by_kind) == 4
    assert "guideline-1.2" not in [c.key for c in staff.by_clause]
    # Another organisation's withdrawn comment is not the NGO's to see at all.
    ngo = summary(data.ngo, DURING)
    assert (ngo.total, ngo.withdrawn) == (4, 1)


def test_simple_filters_narrow_every_count(app: Flask, users: dict[str, User]) -> None:
    build(app, users)
    staff = users["secretariat"]
    cases = {
        "type=general": ({"type": "general"}, 2),
        "proposed": ({"proposed": "yes"}, 1),
        "no proposal": ({"proposed": "no"}, 4),
        "search body": ({"q": "clarify"}, 1),
        "search proposal": ({"q": "AND RESPECT"}, 1),
        "search wildcard": ({"q": "%"}, 0),
        "clause and below": ({"clause": "guideline-1"}, 1),
        "clause itself": ({"clause": "principle-dignity"}, 3),
        "clause by citation": ({"clause": "guideline  1"}, 1),
        "sub-clause by citation": ({"clause": "Guideline 1, paragraph 2"}, 1),
        "unknown clause": ({"clause": "nowhere"}, 0),
        "answered": ({"answered": "yes"}, 3),
        "kind": ({"kind": "un_entity"}, 1),
    }
    for name, (args, total) in cases.items():
        result = summary(staff, DURING, parse(args))
        assert result.total == total, name
        assert sum(r.total for r in result.by_kind) == total, name
        assert sum(t.count for t in result.by_type) == total, name
        assert sum(c.count for c in result.by_clause) == total, name
        assert result.clause_found == (name != "unknown clause"), name
    described = summary(staff, DURING, parse({"type": "general", "q": "fine"})).filters
    assert described == (("Type of comment", "General"), ("Text", "fine"))


def test_the_next_version_filter_counts_what_became_of_the_clauses(
    app: Flask, users: dict[str, User]
) -> None:
    build(app, users)
    staff = users["secretariat"]
    # No next version yet: nothing became of any clause.
    assert summary(staff, DURING, parse({"next": "unchanged"})).total == 0
    factories.version(
        factories.SAMPLE_DRAFT.replace("label: First draft", "label: Second draft").replace(
            "2. Training should cover:", "2. Training should at least cover:"
        ),
        publish=True,
    )
    comment_views.forget_citations()
    changed = summary(staff, DURING, parse({"next": "changed"}))
    unchanged = summary(staff, DURING, parse({"next": "unchanged"}))
    assert changed.filters == (("In the next version", "Changed"),)
    assert clause_lines(changed) == [("guideline-1.2", "Guideline 1, paragraph 2", 1)]
    assert unchanged.total == 3  # the comments on Principle 1; the whole document has no fate


def test_rounds_of_another_document_are_ignored_and_named(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users)
    other = factories.version(factories.SAMPLE_DRAFT.replace("sample", "other"), slug="other")
    elsewhere = rounds.create_round(
        other, rounds.RoundSettings(title="Elsewhere", opens_at=T0, closes_at=CLOSES), None
    )
    factories.comment(elsewhere.id, data.ngo, None, "Elsewhere.")
    staff = users["secretariat"]
    only_other = summary(staff, DURING, parse({"round": [str(elsewhere.id)]}))
    assert only_other.ignored_rounds == (elsewhere.id,)
    # As the matrix: no round of this document asked for, no row and nothing counted.
    assert (only_other.rounds, only_other.total, only_other.withdrawn) == ((), 0, 0)
    assert [r.id for r in only_other.offered] == [data.round.id]
    both = summary(staff, DURING, parse({"round": [str(elsewhere.id), str(data.round.id)]}))
    assert (both.ignored_rounds, both.total) == ((elsewhere.id,), 5)


def test_rounds_are_chosen_and_an_uninvited_stakeholder_does_not_learn_of_a_round(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users)
    germany = data.state.organisation
    assert germany is not None
    invited = rounds.create_round(
        data.version,
        rounds.RoundSettings(
            title="Invited only",
            opens_at=T0,
            closes_at=CLOSES,
            participation="invited",
            invited=[germany],
        ),
        None,
    )
    factories.comment(invited.id, data.state, None, "Only us.")
    staff = users["secretariat"]
    assert summary(staff, DURING).total == 6
    assert summary(staff, DURING, parse({"round": [str(invited.id)]})).total == 1
    ngo = summary(data.ngo, DURING)
    assert [r.title for r in ngo.offered] == ["Expert meeting"]
    asked = summary(data.ngo, DURING, parse({"round": [str(invited.id)]}))
    assert asked.ignored_rounds == (invited.id,)
    assert (asked.rounds, asked.total) == ((), 0)
    assert summary(data.state, DURING, parse({"round": [str(invited.id)]})).total == 1


def test_unknown_document_and_unreadable_versions_are_not_found(
    app: Flask, users: dict[str, User]
) -> None:
    with pytest.raises(NotFound):
        matrix_summary(users["secretariat"], "nothing", ALL, DURING)
    factories.version(publish=False)
    with pytest.raises(NotFound):
        matrix_summary(users["stakeholder"], "sample", ALL, DURING)
    drafted = matrix_summary(users["drafter"], "sample", ALL, DURING)
    assert (drafted.total, drafted.rounds) == (0, ())


def test_clauses_merge_across_versions_by_key_and_cite_the_newest(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users)
    app.config["CLOCK"] = lambda: AFTER
    second = factories.version(factories.SAMPLE_DRAFT.replace("First draft", "Second draft"))
    later = rounds.create_round(
        second,
        rounds.RoundSettings(
            title="Second meeting", opens_at=AFTER, closes_at=AFTER + (CLOSES - T0)
        ),
        None,
    )
    clause = next(c for c in second.clauses if c.key == "principle-dignity")
    factories.comment(later.id, data.ngo, clause, "Again.")
    result = summary(users["secretariat"], AFTER)
    dignity = next(c for c in result.by_clause if c.key == "principle-dignity")
    assert (dignity.count, dignity.version_number) == (4, 2)
    assert [r.title for r in result.rounds] == ["Expert meeting", "Second meeting"]


def second_round(app: Flask, data: Dataset, users: dict[str, User]) -> Round:
    """Add a named, own-until-close round on the same version, over the same days.

    NGO: o1 on Principle 2 (accepted). Member State: o2 on the whole document,
    withdrawn; o3 on Guideline 1 with a proposed change. UN entity: o4 on
    Principle 1 (noted, with an empty proposal).
    """
    settings = rounds.RoundSettings(
        title="Written round", opens_at=T0, closes_at=CLOSES, visibility="own_until_close"
    )
    round_ = rounds.create_round(data.version, settings, None)
    clauses = {c.key: c for c in data.version.clauses}
    o1 = factories.comment(round_.id, data.ngo, clauses["principle-2"], "Add appeals.")
    o2 = factories.comment(round_.id, data.state, None, "Withdrawn later.", type="general")
    factories.comment(
        round_.id, data.state, clauses["guideline-1"], "Budget.", proposed_text="Fund it."
    )
    o4 = factories.comment(
        round_.id, data.un, clauses["principle-dignity"], "Fine.", type="editorial"
    )
    comments.withdraw_comment(o2.id, data.state)
    responses.respond(o1.id, "accepted", "Added.", users["secretariat"])
    responses.respond(o4.id, "noted", "", users["secretariat"])
    return round_


def test_the_summary_counts_exactly_the_rows_of_the_matrix(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users, attribution="anonymous")
    written = second_round(app, data, users)
    germany, ngo = data.state.organisation_id, data.ngo.organisation_id
    cases: list[dict[str, Any]] = [
        {},
        {"answered": "yes"},
        {"answered": "no"},
        {"disposition": "none"},
        {"disposition": "accepted"},
        {"disposition": "noted", "type": "general"},
        {"kind": "member_state"},
        {"kind": "ngo"},
        {"organisation": str(germany)},
        {"organisation": str(ngo)},
        {"type": "editorial"},
        {"proposed": "yes"},
        {"proposed": "no"},
        {"clause": "Principle 1"},
        {"clause": "guideline-1"},
        {"q": "add"},
        {"round": [str(data.round.id)]},
        {"round": [str(written.id)], "answered": "no"},
        {"round": ["999999"]},
        {"next": "unchanged"},
    ]
    readers = {"secretariat": users["secretariat"], "ngo": data.ngo, "state": data.state}

    def compare(at: datetime) -> None:
        for name, reader in readers.items():
            for args in cases:
                filters = parse(args)
                db.session.expire_all()
                page = matrix_page(reader, "sample", replace(filters, per_page=200), at)
                counted = matrix_summary(reader, "sample", filters, at)
                where = (name, at, args)
                assert counted.total + counted.withdrawn == page.total, where
                standing = [row for row in page.rows if not row.withdrawn]
                assert counted.total == len(standing), where
                shown = Counter(row.disposition for row in standing if row.disposition)
                dispositions = {c.code: c.count for c in counted.columns if c.count}
                for code in (UNANSWERED, UNPUBLISHED):
                    dispositions.pop(code, None)
                assert dispositions == dict(shown), where
                assert tallies(counted.by_type) == {
                    t: sum(1 for row in standing if row.type == t)
                    for t in ("general", "substantive", "editorial")
                }, where

    compare(DURING)
    compare(AFTER)  # closed: the written round's comments are everyone's to see
    publish(app, data, users)  # the first round's answers only
    compare(AFTER)
    # The dataset must be one where the rules make a difference.
    ngo_view = matrix_summary(data.ngo, "sample", ALL, DURING)
    staff_view = matrix_summary(users["secretariat"], "sample", ALL, DURING)
    assert (ngo_view.total, staff_view.total) == (6, 8)


def test_the_filters_in_words_name_only_an_organisation_the_reader_may_filter_on(
    app: Flask, users: dict[str, User]
) -> None:
    data = build(app, users, attribution="anonymous")
    germany = data.state.organisation
    assert germany is not None
    hidden = "An organisation with no comment shown to you: no comment matches"

    def described(reader: User | None, organisation: int, public: bool = False) -> str:
        filters = parse({"organisation": str(organisation)})
        scope = scope_for(reader, "sample", filters, DURING, public)
        return dict(describe_filters(scope, filters))["Organisation"]

    assert described(users["secretariat"], germany.id) == "Germany"
    assert described(None, germany.id) == "Germany"  # the command line
    assert described(data.ngo, data.ngo.organisation_id or 0) == "Test NGO"
    # The anonymous round hides Germany from the NGO and from the public: no name.
    assert described(data.ngo, germany.id) == hidden
    assert described(None, germany.id, public=True) == hidden
    assert described(users["secretariat"], 999999) == hidden
    result = summary(data.ngo, DURING, parse({"organisation": str(germany.id)}))
    assert (result.total, result.filters) == (0, (("Organisation", hidden),))
    meta, _sheets = export_sheets(
        None, "sample", parse({"organisation": str(germany.id)}), DURING, public=True
    )
    assert ("Organisation", hidden) in meta.filters
    # A named round names it to every reader who sees its comments.
    db.session.execute(update(Round).values(attribution="named"))
    db.session.commit()
    assert described(data.ngo, germany.id) == "Germany"


# The SQL must say what the Python rules say: count with can_see_comment,
# can_see_response and shows_organisation, comment by comment, and compare.
RULES = [
    {"visibility": "open"},
    {"visibility": "own_until_close"},
    {"visibility": "secretariat"},
    {"attribution": "anonymous"},
    {"visibility": "own_until_close", "attribution": "anonymous"},
]


def expected_kinds(user: User, at: datetime) -> dict[str, dict[str, int]]:
    found: dict[str, Counter[str]] = {}
    for comment in db.session.scalars(
        select(Comment).options(selectinload(Comment.response), selectinload(Comment.round))
    ):
        if comment.is_withdrawn or not permissions.can_see_comment(user, comment, at):
            continue
        kind = (
            comment.organisation.kind
            if permissions.shows_organisation(user, comment)
            else OTHER_PARTICIPANTS
        )
        if not permissions.can_see_response(user, comment, at):
            answer = UNPUBLISHED
        elif comment.response is None:
            answer = UNANSWERED
        else:
            answer = comment.response.disposition
        found.setdefault(kind, Counter())[answer] += 1
    return {kind: dict(counts) for kind, counts in found.items()}


@pytest.mark.parametrize("rules", RULES, ids=lambda r: "-".join(r.values()))
def test_the_counts_agree_with_the_rules_comment_by_comment(
    app: Flask, users: dict[str, User], rules: dict[str, str]
) -> None:
    data = build(app, users, **rules)
    readers = [data.ngo, data.state, data.un, users["secretariat"], users["drafter"]]
    for at in (DURING, AFTER):
        for reader in readers:
            assert kinds(summary(reader, at)) == expected_kinds(reader, at), (reader.email, at)
    publish(app, data, users)
    for reader in readers:
        assert kinds(summary(reader, AFTER)) == expected_kinds(reader, AFTER), reader.email


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Collect the SQL statements run on the engine inside the block."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def add_comments(data: Dataset, first: int, last: int) -> None:
    """Store bulk comments number `first` to `last - 1` directly, answered two in three."""
    authors = [data.ngo, data.state, data.un]
    clauses = list(data.version.clauses)
    for i in range(first, last):
        author = authors[i % 3]
        comment = Comment(
            round_id=data.round.id,
            clause_id=clauses[i % len(clauses)].id if i % 5 else None,
            organisation_id=author.organisation_id,
            author_id=author.id,
            type=("general", "substantive", "editorial")[i % 3],
            body=f"Bulk comment {i}.",
            sequence=1000 + i,
            tracking_number=f"BULK-{i}",
            idempotency_key=f"bulk-{i}",
            content_hash="0" * 64,
            received_at=DURING,
            updated_at=DURING,
        )
        db.session.add(comment)
        disposition = ("accepted", "noted", None)[i % 3]
        if disposition is not None:
            db.session.add(
                Response(
                    comment=comment,
                    disposition=disposition,
                    explanation="Bulk.",
                    responder_id=data.ngo.id,
                )
            )
    db.session.commit()


@pytest.mark.parametrize("role", ["secretariat", "stakeholder"])
def test_the_number_of_queries_does_not_grow_with_the_comments(
    app: Flask, users: dict[str, User], role: str
) -> None:
    data = build(app, users, attribution="anonymous")
    publish(app, data, users)
    reader = users[role]
    # Every kind of condition at once: the filters must not add queries per comment either.
    filters = parse({"type": "general", "q": "comment", "clause": "guideline-1", "answered": "yes"})
    measured = []
    for first, last in ((0, 10), (10, 200)):
        add_comments(data, first, last)
        comment_views.forget_citations()
        db.session.expire_all()
        for chosen in (ALL, filters):
            with counting_statements() as statements:
                result = matrix_summary(reader, "sample", chosen, AFTER)
            measured.append((len(statements), result.total))
    few, few_filtered, many, many_filtered = measured
    assert many[1] > few[1] > 0 and many_filtered[1] > few_filtered[1] > 0, measured
    assert (few[0], few_filtered[0]) == (many[0], many_filtered[0]), measured
    assert many[0] <= 9, measured
