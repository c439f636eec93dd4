"""The home page: each role lands on its work, then the documents.

The world: on version 1 of the sample, two rounds open now (one whose rule
hides other organisations' comments), one open only to an invited
organisation, one upcoming, and four closed ones (comments to answer, all
answered, answers published, no comment at all); version 2 is a draft.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient

from consult.models import User
from consult.services import home_queries, responses
from tests import factories
from tests.web.support import get_page, set_clock, sign_in, without_bdi

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
EARLY = T0 - timedelta(days=9)
REVISED = factories.SAMPLE_DRAFT.replace("label: First draft", "label: Revision")


def headings(page: BeautifulSoup) -> list[str]:
    return [h.get_text(" ", strip=True) for h in page.select("main h2")]


def section(page: BeautifulSoup, title: str) -> Tag:
    heading = page.find("h2", string=title)
    assert heading is not None, title
    found = heading.find_parent("section")
    assert isinstance(found, Tag)
    return found


def items(part: Tag) -> dict[str, str]:
    """Each listed round's title and the text of its item, in order."""
    return {
        li.select_one(".home-item-title").get_text(strip=True): " ".join(
            without_bdi(li).get_text(" ").split()
        )
        for li in part.select("li.home-item")
    }


def hrefs(part: Tag) -> set[str]:
    return {str(a["href"]) for a in part.find_all("a", href=True)}


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    version = factories.version()
    ngo = users["stakeholder"]
    beta_org = factories.organisation(name="Beta Org")
    beta = factories.user("stakeholder", beta_org)
    staff = users["secretariat"]
    clause = version.clauses[2]
    set_clock(app, client, EARLY)

    def round_(title: str, opens: timedelta, closes: timedelta, **settings: Any) -> Any:
        return factories.round_(
            version, opens_at=T0 + opens, closes_at=T0 + closes, title=title, **settings
        )

    day = timedelta(days=1)
    rounds = {
        "open": round_(
            "Online consultation",
            -day,
            3 * day,
            meeting_starts_on=(T0 + 10 * day).date(),
            place="Geneva",
            time_zone="Europe/Berlin",
        ),
        "hidden": round_(
            "Closed-door consultation", -day, timedelta(hours=5), visibility="secretariat"
        ),
        "invited": round_(
            "Invitation only", -day, 2 * day, participation="invited", invited=[beta_org]
        ),
        "upcoming": round_("Later consultation", 2 * day, 9 * day),
        "unanswered": round_("Spring meeting", -10 * day, -day),
        "ready": round_("Winter meeting", -10 * day, -2 * day),
        "published": round_("Autumn meeting", -10 * day, -3 * day),
        "silent": round_("Quiet meeting", -10 * day, -4 * day),
    }
    ids = {name: r.id for name, r in rounds.items()}

    def comment(name: str, author: User, n: int = 1) -> list[int]:
        return [factories.comment(ids[name], author, clause).id for _ in range(n)]

    unanswered = comment("unanswered", ngo, 2) + comment("unanswered", beta)
    ready = comment("ready", beta, 2)
    published = comment("published", ngo) + comment("published", beta)
    set_clock(app, client, T0)
    comment("open", ngo, 2)
    comment("open", beta)
    comment("hidden", ngo)
    comment("hidden", beta, 2)
    comment("invited", beta, 4)
    for comment_id in [unanswered[0], *ready, *published]:
        responses.respond(comment_id, "noted", "Thank you.", staff, expected_revision=0)
    responses.publish_responses(ids["published"], staff)
    factories.version(REVISED, publish=False)
    return {"ids": ids, "beta": beta}


def test_a_stakeholder_sees_the_rounds_open_to_them_then_responses_then_documents(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    ids = world["ids"]
    sign_in(client, users["stakeholder"])
    page = get_page(client, "/")
    assert headings(page) == [
        "Rounds open to your organisation",
        "Answers published to you",
        "Documents",
    ]
    open_part = section(page, "Rounds open to your organisation")
    listed = items(open_part)
    # Soonest to close first; the invitation-only and upcoming rounds are not there.
    assert list(listed) == ["Closed-door consultation", "Online consultation"]
    assert "Invitation only" not in page.get_text()
    # The round whose rule hides others' comments counts the organisation's own only.
    assert "closes in 5 hours" in listed["Closed-door consultation"]
    assert "Your organisation has made 1 comment." in listed["Closed-door consultation"]
    online = listed["Online consultation"]
    assert "closes in 3 days" in online
    assert "Your organisation has made 2 comments." in online
    assert "Sample Principles · Version 1 (First draft)" in online
    assert "Meeting: 20 March 2026, Geneva" in online
    # The exact close, in UTC and in the round's own zone.
    times = open_part.find_all("time")
    assert times[1]["datetime"] == (T0 + timedelta(days=3)).isoformat()
    assert "(13:00 Berlin)" in times[1].get_text()
    assert f"/documents/sample/v1?round={ids['open']}" in hrefs(open_part)
    assert f"/documents/sample/v1?round={ids['hidden']}" in hrefs(open_part)

    answered = section(page, "Answers published to you")
    assert list(items(answered)) == ["Autumn meeting"]
    assert "1 comment of your organisation" in items(answered)["Autumn meeting"]
    assert f"/rounds/{ids['published']}/outcome" in hrefs(answered)
    assert f"/rounds/{ids['ready']}/outcome" not in hrefs(page)

    documents = section(page, "Documents")
    assert documents.find("a", href="/documents/sample/v1") is not None
    assert documents.find("a", href="/documents/sample/v2") is None


def test_an_invited_organisation_sees_its_invitation_round_with_its_own_count(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    sign_in(client, world["beta"])
    listed = items(section(get_page(client, "/"), "Rounds open to your organisation"))
    assert list(listed) == ["Closed-door consultation", "Invitation only", "Online consultation"]
    assert "Your organisation has made 4 comments." in listed["Invitation only"]
    assert "Your organisation has made 2 comments." in listed["Closed-door consultation"]
    assert "Your organisation has made 1 comment." in listed["Online consultation"]


def test_a_stakeholder_with_nothing_to_do_is_told_what_to_expect(
    client: FlaskClient, world: dict[str, Any]
) -> None:
    outsider = factories.user("stakeholder", factories.organisation(name="Late Org"))
    sign_in(client, outsider)
    page = get_page(client, "/")
    opened = section(page, "Rounds open to your organisation")
    # Rounds open to every organisation are open to a new one too; it has made no comment.
    assert "Your organisation has made 0 comments." in opened.get_text(" ")
    answered = section(page, "Answers published to you")
    assert answered.select("li") == []
    assert "No answers" in answered.select_one(".empty-state").get_text()


def test_the_secretariat_sees_open_unanswered_and_ready_rounds_then_documents(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    ids = world["ids"]
    sign_in(client, users["secretariat"])
    page = get_page(client, "/")
    assert headings(page) == [
        "Open rounds",
        "Closed rounds with comments to answer",
        "Ready to publish answers",
        "Documents",
    ]
    opened = items(section(page, "Open rounds"))
    assert list(opened) == ["Closed-door consultation", "Invitation only", "Online consultation"]
    assert "3 comments" in opened["Closed-door consultation"]
    assert "4 comments" in opened["Invitation only"]
    assert "3 comments" in opened["Online consultation"]
    assert f"/documents/sample/matrix?round={ids['open']}" in hrefs(section(page, "Open rounds"))

    to_answer = section(page, "Closed rounds with comments to answer")
    assert list(items(to_answer)) == ["Spring meeting"]
    assert "2 comments not yet answered" in items(to_answer)["Spring meeting"]
    assert {
        f"/documents/sample/matrix?round={ids['unanswered']}&answered=no",
        f"/rounds/{ids['unanswered']}/responses",
    } <= hrefs(to_answer)

    ready = section(page, "Ready to publish answers")
    assert list(items(ready)) == ["Winter meeting"]
    assert "2 comments, all answered" in items(ready)["Winter meeting"]
    assert f"/rounds/{ids['ready']}/responses" in hrefs(ready)
    # Published, silent and upcoming rounds ask nothing of the secretariat.
    text = page.get_text()
    assert "Autumn meeting" not in text and "Quiet meeting" not in text
    assert "Later consultation" not in text


def test_the_secretariat_is_told_when_nothing_waits(
    client: FlaskClient, users: dict[str, User]
) -> None:
    factories.version()
    sign_in(client, users["secretariat"])
    page = get_page(client, "/")
    waiting = ("Open rounds", "Closed rounds with comments to answer", "Ready to publish answers")
    for title in waiting:
        part = section(page, title)
        assert part.select("li") == [] and part.select_one(".empty-state") is not None
    assert "No round is open." in page.get_text()


def test_the_drafter_sees_drafts_then_latest_versions_with_counts_then_documents(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    ids = world["ids"]
    sign_in(client, users["drafter"])
    page = get_page(client, "/")
    assert headings(page) == [
        "Drafts not yet published",
        "Latest versions and their comments",
        "Documents",
    ]
    drafts = section(page, "Drafts not yet published")
    assert list(items(drafts)) == ["Sample Principles, version 2"]
    assert drafts.find("a", href="/documents/sample/v2/preview") is not None
    assert "Revision" in items(drafts)["Sample Principles, version 2"]

    latest = section(page, "Latest versions and their comments")
    assert list(items(latest)) == ["Sample Principles, version 1"]
    counts = {
        li.a.get_text(strip=True): li.select_one(".home-count").get_text(strip=True)
        for li in latest.select(".home-rounds li")
    }
    assert counts == {
        "Spring meeting": "3 comments",
        "Winter meeting": "2 comments",
        "Autumn meeting": "2 comments",
        "Quiet meeting": "0 comments",
        "Online consultation": "3 comments",
        "Closed-door consultation": "3 comments",
        "Invitation only": "4 comments",
        "Later consultation": "0 comments",
    }
    assert f"/documents/sample/matrix?round={ids['hidden']}" in hrefs(latest)


def test_the_admin_sees_administration_then_documents(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["admin"])
    page = get_page(client, "/")
    assert headings(page) == ["Administration", "Documents"]
    assert {"/admin/organisations", "/admin/users", "/admin/audit"} <= hrefs(
        section(page, "Administration")
    )
    assert "Online consultation" not in page.get_text()


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "drafter", "admin"])
def test_the_home_page_has_one_h1_and_no_skipped_heading(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any], role: str
) -> None:
    sign_in(client, users[role])
    page = get_page(client, "/")
    levels = [int(h.name[1]) for h in page.select("main h1, main h2, main h3, main h4")]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in pairwise(levels))


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(days=1, hours=5), "closes in 1 day"),
        (timedelta(days=3), "closes in 3 days"),
        (timedelta(hours=1, minutes=59), "closes in 1 hour"),
        (timedelta(hours=5), "closes in 5 hours"),
        (timedelta(minutes=1), "closes in 1 minute"),
        (timedelta(minutes=42), "closes in 42 minutes"),
        (timedelta(seconds=20), "closes in less than a minute"),
    ],
)
def test_the_time_left_is_told_in_its_largest_unit(app: Flask, left: timedelta, text: str) -> None:
    with app.test_request_context():
        assert home_queries.time_left(left) == text
