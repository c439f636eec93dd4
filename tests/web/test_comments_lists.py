"""Lists and counts of comments: our comments, a round's comments, version and clause pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from consult.models import Clause, User, Version
from consult.services import comments, responses
from tests import factories
from tests.web.support import counted_statements, get_page
from tests.web.test_comments import (
    ROLES,
    fresh,
    make_setup,
    other_stakeholder,
    set_clock,
    signed_in,
)


def clause_of(version: Version, key: str) -> Clause:
    return next(c for c in version.clauses if c.key == key)


def count_on(page: BeautifulSoup, key: str) -> int:
    """Return the comment count shown beside clause `key` on a version page (0 if none)."""
    element = page.find(id=key)
    assert element is not None, key
    note = element.find("p", class_="clause-margin", recursive=True)
    link = note.find("a", class_="comment-count") if note else None
    if link is None or key not in str(link["href"]):
        return 0
    return int(re.match(r"\d+", link.get_text(strip=True)).group())  # type: ignore[union-attr]


def titles(page: BeautifulSoup) -> list[str]:
    return [h.get_text(strip=True) for h in page.select(".comment-list .comment-title")]


@pytest.mark.parametrize("role", ("anonymous", *ROLES))
def test_round_comments_and_our_comments_for_every_role(
    app: Flask, users: dict[str, User], role: str
) -> None:
    setup = make_setup()
    client = app.test_client() if role == "anonymous" else signed_in(app, users[role])
    for url, allowed in (
        # The administrator reads no comment: refused, not shown an empty list.
        (f"/rounds/{setup.round.id}/comments", tuple(r for r in ROLES if r != "admin")),
        ("/our-comments", ("stakeholder",)),
    ):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
        else:
            assert response.status_code == (200 if role in allowed else 403), url
    if role != "anonymous":
        assert client.get("/rounds/9999/comments").status_code == 404


def test_round_comments_in_document_order_with_attribution(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup(attribution="anonymous")
    version, round_ = setup.version, setup.round
    ours = users["stakeholder"]
    other = other_stakeholder("Border Watch")
    factories.comment(round_.id, other, clause_of(version, "guideline-1.2"), body="On training.")
    factories.comment(
        round_.id, ours, clause_of(version, "principle-dignity-p1"), body="On dignity."
    )
    factories.comment(round_.id, other, None, body="On the whole.")
    client = signed_in(app, ours)
    page = get_page(client, f"/rounds/{round_.id}/comments")
    bodies = [b.get_text(strip=True) for b in page.select(".comment-list .comment-body")]
    assert bodies == ["On the whole.", "On dignity.", "On training."]
    text = page.get_text()
    assert "Test NGO" in text  # our own comment is named to us
    assert "Border Watch" not in text and "BW-" not in text  # not the others' organisation
    staff = get_page(signed_in(app, users["secretariat"]), f"/rounds/{round_.id}/comments")
    assert "Border Watch" in staff.get_text()


def test_our_comments_grouped_by_round_with_state_and_published_response(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    later = factories.round_(setup.version, title="Second meeting")
    ours = users["stakeholder"]
    first = factories.comment(setup.round.id, ours, clause_of(setup.version, "guideline-1.1"))
    comments.edit_comment(
        first.id, comments.CommentInput("general", "Edited once."), ours, expected_revision=1
    )
    second = factories.comment(later.id, ours, None, body="Second round comment.")
    comments.withdraw_comment(second.id, ours)
    factories.comment(setup.round.id, other_stakeholder(), None, body="Not ours.")
    client = signed_in(app, ours)
    page = get_page(client, "/our-comments")
    sections = page.select("section.round-comments")
    assert {s.find("h2").get_text(strip=True) for s in sections} == {
        "First expert meeting",
        "Second meeting",
    }
    text = page.get_text(" ", strip=True)
    assert "Not ours." not in text
    assert "edited 1 time" in text
    assert "Withdrawn" in text
    assert first.tracking_number in text
    assert "Guideline 1, paragraph 1" in text
    assert "Answer of the secretariat" not in text
    assert all("Open · closes" in m.get_text(" ", strip=True) for m in page.select("p.round-meta"))
    # The secretariat answers; the answer shows once published, after the close.
    fresh()
    responses.respond(first.id, "accepted_in_part", "Partly taken up.", users["secretariat"])
    assert "Partly taken up." not in get_page(client, "/our-comments").get_text()
    moment = setup.round.closes_at + timedelta(hours=1)
    set_clock(app, client, moment)
    responses.publish_responses(setup.round.id, users["secretariat"])
    page = get_page(client, "/our-comments")
    text = page.get_text(" ", strip=True)
    assert "Accepted in part" in text and "Partly taken up." in text
    assert "Answer of the secretariat" in text
    # A closed round says when it closed, not when it "closes".
    first_meta = next(
        s.select_one("p.round-meta")
        for s in page.select("section.round-comments")
        if s.h2 is not None and s.h2.get_text(strip=True) == "First expert meeting"
    )
    assert first_meta is not None and "Closed · closed" in first_meta.get_text(" ", strip=True)
    shown = get_page(client, f"/comments/{first.id}")
    assert "Partly taken up." in shown.find("section", class_="response").get_text()


def test_version_page_counts_only_what_the_reader_may_see(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup(visibility="own_until_close")
    version, round_ = setup.version, setup.round
    ours, other = users["stakeholder"], other_stakeholder()
    dignity = clause_of(version, "principle-dignity-p1")
    factories.comment(round_.id, ours, dignity)
    factories.comment(round_.id, other, dignity)
    factories.comment(round_.id, other, dignity)
    withdrawn = factories.comment(round_.id, other, clause_of(version, "guideline-1.3"))
    comments.withdraw_comment(withdrawn.id, other)
    factories.comment(round_.id, other, None)
    url = "/documents/sample/v1"
    stakeholder_page = get_page(signed_in(app, ours), url)
    assert count_on(stakeholder_page, "principle-dignity-p1") == 1
    assert count_on(stakeholder_page, "guideline-1.3") == 0
    assert stakeholder_page.find(class_="whole-document-count").get_text() == "0"
    staff_page = get_page(signed_in(app, users["drafter"]), url)
    assert count_on(staff_page, "principle-dignity-p1") == 3
    assert count_on(staff_page, "guideline-1.3") == 1
    assert staff_page.find(class_="whole-document-count").get_text() == "1"
    link = staff_page.find(id="principle-dignity-p1").find("a", class_="comment-count")
    assert link["href"].endswith("/documents/sample/v1/clauses/principle-dignity-p1#comments")
    assert "on Principle 1" in link.get_text()


@pytest.mark.parametrize("role", ROLES)
def test_comment_links_only_for_those_who_may_comment(
    app: Flask, users: dict[str, User], role: str
) -> None:
    setup = make_setup()
    client = signed_in(app, users[role])
    page = get_page(client, "/documents/sample/v1")
    links = page.select("a.comment-link")
    if role == "stakeholder":
        assert len(links) == len(setup.version.clauses)
        href = next(str(a["href"]) for a in links if "principle-dignity-p1" in str(a["href"]))
        assert href == f"/rounds/{setup.round.id}/comment?clause=principle-dignity-p1"
        assert get_page(client, href).find("form", class_="comment-form") is not None
    else:
        assert links == []
    clause_page = get_page(client, "/documents/sample/v1/clauses/principle-dignity-p1")
    assert bool(clause_page.select("a.comment-link")) == (role == "stakeholder")


def test_no_comment_link_when_the_round_is_closed(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    set_clock(app, client, setup.round.closes_at)
    assert get_page(client, "/documents/sample/v1").select("a.comment-link") == []


def test_version_page_chooses_the_round_to_count(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup(
        title="Old round", opens_in=timedelta(days=-10), closes_in=timedelta(days=-5)
    )
    open_round = factories.round_(setup.version, title="Open round")
    dignity = clause_of(setup.version, "principle-dignity-p1")
    fresh()
    app.config["CLOCK"] = lambda: setup.round.opens_at + timedelta(hours=1)
    factories.comment(setup.round.id, users["stakeholder"], dignity)
    factories.comment(setup.round.id, users["stakeholder"], dignity)
    app.config.pop("CLOCK")
    factories.comment(open_round.id, users["stakeholder"], dignity)
    client = signed_in(app, users["stakeholder"])
    page = get_page(client, "/documents/sample/v1")
    assert "Open round" in page.find("section", class_="consultation").find("strong").get_text()
    assert count_on(page, "principle-dignity-p1") == 1
    old = get_page(client, f"/documents/sample/v1?round={setup.round.id}")
    assert count_on(old, "principle-dignity-p1") == 2
    assert old.select("a.comment-link") == []  # that round is closed


def test_clause_page_lists_the_comments_its_reader_may_see(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup(visibility="own_until_close")
    dignity = clause_of(setup.version, "principle-dignity-p1")
    factories.comment(setup.round.id, users["stakeholder"], dignity, body="Our remark.")
    factories.comment(setup.round.id, other_stakeholder(), dignity, body="Their remark.")
    url = "/documents/sample/v1/clauses/principle-dignity-p1"
    page = get_page(signed_in(app, users["stakeholder"]), url)
    section = page.find("section", id="comments")
    assert "Our remark." in section.get_text() and "Their remark." not in page.get_text()
    staff = get_page(signed_in(app, users["secretariat"]), url)
    assert "Their remark." in staff.find("section", id="comments").get_text()


def test_proposed_wording_is_shown_as_a_word_diff(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    dignity = clause_of(setup.version, "principle-dignity-p1")
    comment = factories.comment(
        setup.round.id,
        users["stakeholder"],
        dignity,
        proposed_text="Everyone at a border shall be treated with respect.",
    )
    page = get_page(signed_in(app, users["drafter"]), f"/comments/{comment.id}")
    diff = page.find(class_="proposed-diff")
    assert [d.get_text() for d in diff.find_all("del")] == ["deleted: dignity"]
    assert [i.get_text() for i in diff.find_all("ins")] == ["inserted: respect"]
    assert page.find(class_="diff-legend") is not None


def test_version_page_counts_in_one_query_however_many_comments(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    get_page(client, "/documents/sample/v1")
    with counted_statements(client) as few:
        get_page(client, "/documents/sample/v1")
    for clause in setup.version.clauses:
        factories.comment(setup.round.id, users["stakeholder"], clause)
        factories.comment(setup.round.id, other_stakeholder(f"Org {clause.key}"), clause)
    with counted_statements(client) as many:
        page = get_page(client, "/documents/sample/v1")
    assert count_on(page, "guideline-1.2.a") == 2
    assert len(many) == len(few), many
    assert len([s for s in many if re.search(r"count\(", s, re.IGNORECASE)]) == 1
    assert not any(re.search(r"FROM comment\b", s) and "count" not in s.lower() for s in many)


def test_comment_pages_keep_one_h1_and_headings_in_order(
    app: Flask, users: dict[str, User]
) -> None:
    from tests.web.test_reading import assert_headings_in_order

    setup = make_setup()
    dignity = clause_of(setup.version, "principle-dignity-p1")
    comment = factories.comment(setup.round.id, users["stakeholder"], dignity, proposed_text="New.")
    comments.edit_comment(
        comment.id, comments.CommentInput("general", "Changed."), users["stakeholder"], 1
    )
    client = signed_in(app, users["stakeholder"])
    for url in (
        "/documents/sample/v1",
        "/documents/sample/v1/clauses/principle-dignity-p1",
        "/documents/sample/v1/clauses/part-ii",
        f"/rounds/{setup.round.id}/comment?clause=principle-dignity-p1",
        f"/comments/{comment.id}",
        f"/comments/{comment.id}/edit",
        f"/rounds/{setup.round.id}/comments",
        "/our-comments",
    ):
        page = get_page(client, url)
        assert_headings_in_order(page)
        for field in page.select("textarea, input:not([type=hidden])"):
            labelled = page.find("label", attrs={"for": field.get("id")})
            assert labelled is not None, (url, field)
