"""What a comment is called on pages: its tracking number, or its number in the round.

Never the database id ("Comment #11"), which would tell how many comments
exist in rounds a reader may not see.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask

from consult.models import Comment, User
from consult.services import comments
from tests import factories
from tests.web.support import get_page
from tests.web.test_comments import fresh, set_clock, signed_in
from tests.web.test_comments_security import clause_of

NAME = re.compile(r"^Comment (?P<number>\S+)$")


def names_on(page_html) -> list[str]:  # type: ignore[no-untyped-def]
    """The comment titles of a list page."""
    return [t.get_text(" ", strip=True) for t in page_html.select(".comment-title")]


def inflate_ids(n: int) -> None:
    """Make comments in another, hidden round so that ids and numbers in the round differ."""
    version = factories.version(factories.SAMPLE_DRAFT.replace("sample", "other"), slug="other")
    elsewhere = factories.round_(version, title="Elsewhere", visibility="secretariat")
    author = factories.user("stakeholder", factories.organisation("ngo", name="Far away"))
    for _n in range(n):
        factories.comment(elsewhere.id, author)


def world(visibility: str, attribution: str) -> dict[str, object]:
    inflate_ids(9)
    version = factories.version()
    round_ = factories.round_(
        version,
        title="Second expert meeting",
        visibility=visibility,
        attribution=attribution,
        closes_in=timedelta(days=7),
    )
    alpha = factories.organisation("member_state", name="Alphaland", code="AL")
    beta = factories.organisation("ngo", name="Beta Watch")
    author_a = factories.user("stakeholder", alpha)
    author_b = factories.user("stakeholder", beta)
    dignity = clause_of(version, "principle-dignity-p1")
    first = factories.comment(round_.id, author_a, dignity, body="First of Alphaland.")
    withdrawn = factories.comment(round_.id, author_b, dignity, body="Taken back.")
    comments.withdraw_comment(withdrawn.id, author_b)
    second = factories.comment(round_.id, author_a, dignity, body="Second of Alphaland.")
    third = factories.comment(round_.id, author_b, None, body="Of Beta on the whole.")
    fresh()
    return {
        "round": round_,
        "a": author_a,
        "b": author_b,
        "mine_b": [withdrawn, third],
        "others_a": [first, second],
        "numbers_a": {first.id: "1", second.id: "2"},
    }


def shown_names(app: Flask, user: User, round_id: int, comment_ids: list[int]) -> dict[int, str]:
    """The name each comment has on its page, checked against the round's list and the clause."""
    client = signed_in(app, user)
    listed = get_page(client, f"/rounds/{round_id}/comments")
    clause = get_page(client, "/documents/sample/v1/clauses/principle-dignity-p1")
    found: dict[int, str] = {}
    for comment_id in comment_ids:
        page = get_page(client, f"/comments/{comment_id}")
        name = page.find("h1").get_text(strip=True)
        assert page.find("title").get_text().startswith(name + " ·")
        found[comment_id] = name
        link = listed.find("a", href=f"/comments/{comment_id}")
        if link is not None:
            assert link.get_text(strip=True) == name
        on_clause = clause.find("a", href=f"/comments/{comment_id}")
        if on_clause is not None:
            assert on_clause.get_text(strip=True) == name
    for text in [*names_on(listed), *names_on(clause), *found.values()]:
        assert "#" not in text and NAME.match(text), text
    return found


@pytest.mark.parametrize("attribution", ["named", "anonymous"])
@pytest.mark.parametrize("visibility", ["open", "own_until_close", "secretariat"])
def test_comments_are_named_by_tracking_number_or_number_in_the_round(
    app: Flask, users: dict[str, User], visibility: str, attribution: str
) -> None:
    w = world(visibility, attribution)
    round_ = w["round"]
    if visibility == "own_until_close":
        later = round_.closes_at + timedelta(hours=1)  # type: ignore[attr-defined]
        for client_app in (app,):
            set_clock(client_app, client_app.test_client(), later)
    ids_a = [c.id for c in w["others_a"]]  # type: ignore[attr-defined]
    mine = [c.id for c in w["mine_b"]]  # type: ignore[attr-defined]
    tracking = {c.id: c.tracking_number for c in fresh_comments(ids_a + mine)}
    # Staff see tracking numbers on every comment.
    for role in ("secretariat", "drafter"):
        names = shown_names(app, users[role], round_.id, ids_a + mine)  # type: ignore[attr-defined]
        assert names == {i: f"Comment {tracking[i]}" for i in ids_a + mine}
    # An organisation sees its own comments by tracking number, withdrawn ones too.
    names = shown_names(app, w["b"], round_.id, mine)  # type: ignore[arg-type, attr-defined]
    assert names == {i: f"Comment {tracking[i]}" for i in mine}
    ours = get_page(signed_in(app, w["b"]), "/our-comments")  # type: ignore[arg-type]
    assert sorted(names_on(ours)) == sorted(f"Comment {tracking[i]}" for i in mine)
    # Others' comments, where the round lets them be read.
    client = signed_in(app, w["b"])  # type: ignore[arg-type]
    readable = visibility == "open" or visibility == "own_until_close"
    for comment_id in ids_a:
        response = client.get(f"/comments/{comment_id}")
        assert response.status_code == (200 if readable else 404)
    if readable:
        names = shown_names(app, w["b"], round_.id, ids_a)  # type: ignore[arg-type, attr-defined]
        if attribution == "named":
            assert names == {i: f"Comment {tracking[i]}" for i in ids_a}
        else:
            # Numbered in the round in order of receipt; the withdrawn second keeps its number.
            assert names == {ids_a[0]: "Comment 1", ids_a[1]: "Comment 3"}
            assert not any("AL-" in n for n in names.values())
            if visibility == "own_until_close":
                return  # closed by now: nothing can be withdrawn
            # A number never changes: Alphaland withdraws its first, its second is still 3.
            comments.withdraw_comment(ids_a[0], w["a"])  # type: ignore[arg-type]
            again = shown_names(app, w["b"], round_.id, ids_a[1:])  # type: ignore[arg-type, attr-defined]
            assert again == {ids_a[1]: "Comment 3"}


def fresh_comments(ids: list[int]) -> list[Comment]:
    from consult.extensions import db

    fresh()
    return [c for c in (db.session.get(Comment, i) for i in ids) if c is not None]
