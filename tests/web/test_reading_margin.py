"""The version page as each role reads it: the round at the top, each clause's actions beside it.

A clause's margin (its "Comment" link, the count of its comments the reader
may see, its permanent link) sits inside the clause's own element, so that
no link stands between two clauses; the round open to the reader is said
before the contents and the text; the contents are folded behind "Contents".
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask

from consult.models import User
from tests import factories
from tests.web.support import get_page
from tests.web.test_comments import make_setup, other_stakeholder, set_clock, signed_in
from tests.web.test_comments_lists import clause_of

URL = "/documents/sample/v1"


def margin_of(page: BeautifulSoup, key: str) -> Tag:
    """Return the margin of clause `key`: the one in its body or heading, not a child's."""
    clause = page.find(id=key)
    assert isinstance(clause, Tag), key
    holder = clause.find(class_=("clause-body", "clause-head"), recursive=False)
    assert isinstance(holder, Tag), key
    margin = holder.find("p", class_="clause-margin", recursive=False)
    assert isinstance(margin, Tag), key
    return margin


def accessible_name(link: Tag) -> str:
    return " ".join(link.get_text(" ").split())


def in_order(page: BeautifulSoup, *selectors: str) -> bool:
    """True when the first element of each selector comes in this order in the page."""
    everything = list(page.descendants)
    places = [everything.index(page.select_one(s)) for s in selectors]
    return places == sorted(places)


def test_stakeholder_with_an_open_round_has_the_round_at_the_top_and_a_margin_per_clause(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup(title="Expert consultation")
    page = get_page(signed_in(app, users["stakeholder"]), URL)

    banner = page.select_one("section.consultation.open-to-you")
    assert banner is not None
    assert "Open for your comments" in banner.h2.get_text()
    assert "Expert consultation" in banner.get_text()
    deadline = banner.select_one(".deadline time")
    assert deadline is not None
    assert str(deadline["datetime"]).startswith(setup.round.closes_at.strftime("%Y-%m-%dT%H:%M"))
    ours = banner.find("a", string="Your organisation's comments")
    assert ours is not None and ours["href"] == f"/our-comments#round-{setup.round.id}"
    assert in_order(page, "section.consultation", "nav.toc", "#clauses")

    clauses = page.select("#clauses .clause[id]")
    assert len(clauses) == len(setup.version.clauses)
    # Every comment link is in the margin of the clause it comments on, and names it.
    for clause in clauses:
        key = str(clause["id"])
        link = margin_of(page, key).find("a", class_="comment-link")
        assert isinstance(link, Tag), key
        assert link["href"] == f"/rounds/{setup.round.id}/comment?clause={key}"
        assert link.find(string=True, recursive=False).strip() == "Comment"
    assert len(page.select("a.comment-link")) == len(clauses)
    dignity = margin_of(page, "principle-dignity-p1").find("a", class_="comment-link")
    assert accessible_name(dignity) == "Comment on Principle 1, paragraph 1"


def test_counts_beside_each_clause_follow_the_rounds_visibility(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup(visibility="own_until_close")
    ours, other = users["stakeholder"], other_stakeholder()
    dignity = clause_of(setup.version, "principle-dignity-p1")
    factories.comment(setup.round.id, ours, dignity)
    factories.comment(setup.round.id, other, dignity)
    factories.comment(setup.round.id, other, dignity)
    factories.comment(setup.round.id, other, clause_of(setup.version, "guideline-1.3"))

    def count(page: BeautifulSoup, key: str) -> str | None:
        link = margin_of(page, key).find("a", class_="comment-count")
        return accessible_name(link) if isinstance(link, Tag) else None

    mine = get_page(signed_in(app, ours), URL)
    assert count(mine, "principle-dignity-p1") == "1 comment on Principle 1, paragraph 1"
    assert count(mine, "guideline-1.3") is None  # only another organisation's
    assert count(mine, "principle-dignity") is None  # the heading's own margin
    staff = get_page(signed_in(app, users["secretariat"]), URL)
    assert count(staff, "principle-dignity-p1") == "3 comments on Principle 1, paragraph 1"
    assert count(staff, "guideline-1.3") is not None and count(staff, "guideline-1.3").startswith(
        "1 comment on"
    )
    # After the close the round's rule lets everyone see every comment.
    set_clock(app, client := signed_in(app, ours), setup.round.closes_at + timedelta(minutes=1))
    after = get_page(client, URL)
    assert count(after, "principle-dignity-p1") == "3 comments on Principle 1, paragraph 1"


def test_stakeholder_without_an_open_round_gets_no_comment_links(
    app: Flask, users: dict[str, User]
) -> None:
    client = signed_in(app, users["stakeholder"])
    version = factories.version()
    page = get_page(client, URL)
    assert page.select("a.comment-link") == []
    assert page.select("section.consultation") == []
    assert margin_of(page, "principle-dignity-p1").find("a", class_="permalink") is not None

    factories.round_(
        version, title="Closed round", opens_in=timedelta(days=-10), closes_in=timedelta(days=-5)
    )
    closed = get_page(client, URL)
    assert closed.select("a.comment-link") == []
    assert closed.select("section.consultation.open-to-you") == []
    assert "Consultation" in closed.select_one("section.consultation h2").get_text()
    assert "Your organisation's comments" not in closed.get_text()
    assert " · closed " in " ".join(closed.select_one("section.consultation").get_text(" ").split())


def test_an_upcoming_round_says_when_it_opens_and_closes(
    app: Flask, users: dict[str, User]
) -> None:
    client = signed_in(app, users["stakeholder"])
    version = factories.version()
    factories.round_(
        version, title="Next round", opens_in=timedelta(days=2), closes_in=timedelta(days=9)
    )
    page = get_page(client, URL)
    said = " ".join(page.select_one("section.consultation").get_text(" ").split())
    assert "Next round · Upcoming · opens " in said and " · closes " in said
    assert said.index("opens") < said.index("closes")
    assert page.select("a.comment-link") == []


def test_invited_elsewhere_the_stakeholder_may_not_comment(
    app: Flask, users: dict[str, User]
) -> None:
    invited = other_stakeholder("Invited Organisation")
    make_setup(participation="invited", invited=[invited.organisation])
    page = get_page(signed_in(app, users["stakeholder"]), URL)
    assert page.select("a.comment-link") == []
    assert page.select("section.consultation.open-to-you") == []
    assert get_page(signed_in(app, invited), URL).select("section.consultation.open-to-you")


@pytest.mark.parametrize("role", ("drafter", "secretariat"))
def test_staff_read_the_round_and_counts_without_comment_links(
    app: Flask, users: dict[str, User], role: str
) -> None:
    setup = make_setup(title="Expert consultation")
    factories.comment(
        setup.round.id, users["stakeholder"], clause_of(setup.version, "principle-dignity-p1")
    )
    page = get_page(signed_in(app, users[role]), URL)
    assert page.select("a.comment-link") == []
    section = page.select_one("section.consultation")
    assert section is not None and "open-to-you" not in section["class"]
    assert "Expert consultation" in section.get_text()
    assert "Your organisation's comments" not in section.get_text()
    count = margin_of(page, "principle-dignity-p1").find("a", class_="comment-count")
    assert isinstance(count, Tag) and count.get_text().startswith("1 comment")


def test_contents_are_folded_behind_a_contents_toggle(app: Flask, users: dict[str, User]) -> None:
    factories.version()
    page = get_page(signed_in(app, users["stakeholder"]), URL)
    toggle = page.select_one("p.toc-toggle a")
    assert toggle is not None and toggle.get_text(strip=True) == "Contents"
    contents = page.find(id=str(toggle["href"]).removeprefix("#"))
    assert contents is not None and contents.name == "nav" and "toc" in contents["class"]
    assert contents.select("ol a")
    close = contents.select_one("p.toc-close a")
    assert close is not None and close["href"] == "#clauses"
    assert in_order(page, "p.toc-toggle", "#clauses")


def test_a_round_asked_for_by_a_bad_or_foreign_id_falls_back_to_the_open_one(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup(title="Expert consultation")
    elsewhere = factories.round_(
        factories.version(factories.SAMPLE_DRAFT + "\n\nA closing remark.\n"),
        title="Round on another text",
    )
    client = signed_in(app, users["stakeholder"])
    for query in ("?round=abc", f"?round={elsewhere.id}", "?round=999999"):
        page = get_page(client, URL + query)
        assert "Expert consultation" in page.select_one("section.consultation").get_text(), query
        assert "Round on another text" not in page.get_text(), query
        assert len(page.select("a.comment-link")) == len(setup.version.clauses), query
