"""The secretariat's responses page: answering comments in document order, then publishing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response, Round, User
from consult.services import comments as comment_service
from consult.services.responses import MAX_EXPLANATION
from tests import factories
from tests.web.support import (
    audit_actions,
    count,
    fresh,
    get_page,
    post_form,
    set_clock,
    sign_in,
    soup,
)

ROLES = ("anonymous", "stakeholder", "drafter", "secretariat", "admin")
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=2)


def messages(page: BeautifulSoup) -> list[str]:
    return [p.get_text(" ", strip=True) for p in page.select(".message")]


def squash(value: str) -> str:
    return " ".join(value.split())


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    """An open round with comments on two clauses and on the whole document."""
    version = factories.version(publish=True)
    set_clock(app, client, T0 + timedelta(hours=1))
    round_ = factories.round_(version, opens_at=T0, closes_at=CLOSES, title="Expert meeting")
    clauses = {c.key: c for c in version.clauses}
    beta = factories.user("stakeholder", factories.organisation(name="Beta Org"))
    later = clauses["guideline-1.3"]
    dignity = clauses["principle-dignity"]
    on_later = factories.comment(round_.id, users["stakeholder"], later, body="Late clause.")
    on_dignity = factories.comment(
        round_.id,
        beta,
        dignity,
        body="First paragraph.\n\nSecond <b>paragraph</b>.",
        type="editorial",
        proposed_text="Everyone shall be treated with dignity.",
    )
    whole = factories.comment(round_.id, beta, None, body="On the whole text.", type="general")
    withdrawn = factories.comment(round_.id, beta, dignity, body="Withdrawn remark.")
    comment_service.withdraw_comment(withdrawn.id, beta)
    return {
        "round": round_,
        "order": [whole.id, on_dignity.id, on_later.id],
        "withdrawn": withdrawn.id,
        "beta": beta,
        "version": version,
    }


@pytest.fixture
def secretariat_client(client: FlaskClient, users: dict[str, User], world: Any) -> FlaskClient:
    sign_in(client, users["secretariat"])
    return client


def page_url(world: dict[str, Any]) -> str:
    return f"/rounds/{world['round'].id}/responses"


def respond_url(world: dict[str, Any], comment_id: int) -> str:
    return f"/rounds/{world['round'].id}/comments/{comment_id}/response"


def answer(
    comment_id: int, disposition: str, explanation: str, revision: int = 0
) -> dict[str, str]:
    return {
        f"c{comment_id}-disposition": disposition,
        f"c{comment_id}-explanation": explanation,
        f"c{comment_id}-revision": str(revision),
    }


# --- who may use which route ------------------------------------------------


@pytest.mark.parametrize("what", ["page", "respond", "publish"])
@pytest.mark.parametrize("role", ROLES)
def test_responses_routes_are_for_the_secretariat(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any], what: str, role: str
) -> None:
    first = world["order"][0]
    url = {
        "page": page_url(world),
        "respond": respond_url(world, first),
        "publish": f"/rounds/{world['round'].id}/responses/publish",
    }[what]
    if role != "anonymous":
        sign_in(client, users[role])
    before = (count(Response), audit_actions())
    if what == "page":
        response = client.get(url)
    else:
        response = post_form(client, url, answer(first, "noted", ""))
    if role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    elif role != "secretariat":
        assert response.status_code == 403
    else:
        assert response.status_code == {"page": 200, "respond": 302, "publish": 303}[what]
    if role != "secretariat" or what != "respond":
        assert count(Response) == before[0]
    if role != "secretariat":
        assert audit_actions() == before[1]


# --- the page -----------------------------------------------------------------


def test_comments_are_listed_in_document_order_without_withdrawn_ones(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    page = get_page(secretariat_client, page_url(world))
    items = page.select("li.response-row")
    assert [item["id"] for item in items] == [f"comment-{i}" for i in world["order"]]
    assert "Withdrawn remark." not in page.get_text()
    first, second, third = items
    assert first.select_one(".clause").get_text(strip=True) == "Whole document"
    assert first.select_one(".organisation").get_text(strip=True) == "Beta Org"
    assert first.select_one(".type").get_text(strip=True) == "General"
    assert second.select_one(".tracking-number").get_text(strip=True) == "BO-001"
    assert first.select_one(".tracking-number").get_text(strip=True) == "BO-002"
    # The excerpt is text, never markup.
    assert "Second <b>paragraph</b>." in second.select_one(".excerpt").get_text()
    assert second.select_one(".excerpt b") is None
    assert third.select_one(".organisation").get_text(strip=True) == "Test NGO"
    assert squash(third.select_one(".clause").get_text()) == "Guideline 1, paragraph 3"
    assert [i.select_one(".answer-status").get_text(strip=True) for i in items] == [
        "Waiting for an answer"
    ] * 3
    assert squash(page.select_one(".progress").get_text()) == "0 of 3 answered"
    assert len(page.find_all("h1")) == 1


def test_each_comment_leads_to_its_answer_page_and_no_form_is_repeated(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    page = get_page(secretariat_client, page_url(world))
    assert page.select("textarea") == []
    for comment_id in world["order"]:
        assert page.find("form", action=respond_url(world, comment_id)) is None
        link = page.find(id=f"comment-{comment_id}").select_one("a.answer-link")["href"]
        assert link == f"/comments/{comment_id}/answer?next=/rounds/{world['round'].id}/responses"
        answer_page = get_page(secretariat_client, link)
        assert answer_page.find("select") is not None


def test_publishing_is_not_offered_before_the_round_closes(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    page = get_page(secretariat_client, page_url(world))
    assert page.find("form", action=f"/rounds/{world['round'].id}/responses/publish") is None
    assert "once the round has closed" in page.select_one(".not-yet").get_text()


def test_unknown_round_is_404(secretariat_client: FlaskClient, world: dict[str, Any]) -> None:
    get_page(secretariat_client, "/rounds/999/responses", status=404)


# --- answering ------------------------------------------------------------------


def test_respond_saves_and_returns_to_the_comment(
    secretariat_client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    comment_id = world["order"][1]
    response = post_form(
        secretariat_client,
        respond_url(world, comment_id),
        answer(comment_id, "accepted_in_part", "We took the first part."),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"{page_url(world)}#comment-{comment_id}"
    fresh()
    saved = db.session.scalars(select(Response)).one()
    assert (saved.comment_id, saved.disposition, saved.explanation) == (
        comment_id,
        "accepted_in_part",
        "We took the first part.",
    )
    assert saved.responder_id == users["secretariat"].id
    assert audit_actions()[-1] == "response.create"
    page = get_page(secretariat_client, page_url(world))
    assert messages(page)[0].startswith("The answer to ")
    item = page.find(id=f"comment-{comment_id}")
    assert item.select_one(".answer-status").get_text(strip=True) == "Accepted in part"
    assert squash(page.select_one(".progress").get_text()) == "1 of 3 answered"
    # Waiting comments come first; the answered one last.
    assert page.select("li.response-row")[-1]["id"] == f"comment-{comment_id}"
    assert "Accepted in part: 1" in squash(page.select_one(".by-status").get_text(" "))
    # a change replaces the response and is audited as an edit
    post_form(
        secretariat_client,
        respond_url(world, comment_id),
        answer(comment_id, "not_accepted", "On reflection, no.", revision=1),
    )
    fresh()
    assert db.session.scalars(select(Response)).one().disposition == "not_accepted"
    assert audit_actions()[-1] == "response.edit"


def test_a_save_made_on_an_older_answer_shows_both_instead_of_overwriting(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    comment_id = world["order"][1]
    url = respond_url(world, comment_id)
    post_form(secretariat_client, url, answer(comment_id, "accepted", "Taken up in full."))
    # A colleague's page still showed no answer (revision 0).
    stale = post_form(secretariat_client, url, answer(comment_id, "not_accepted", "No."))
    assert stale.status_code == 409
    page = soup(stale)
    assert "Taken up in full." in page.get_text()
    assert page.select_one("textarea, input[value='No.']") is not None or "No." in page.get_text()
    fresh()
    saved = db.session.scalars(select(Response)).one()
    assert (saved.disposition, saved.explanation) == ("accepted", "Taken up in full.")


def test_noted_needs_no_explanation(secretariat_client: FlaskClient, world: dict[str, Any]) -> None:
    comment_id = world["order"][0]
    response = post_form(
        secretariat_client, respond_url(world, comment_id), answer(comment_id, "noted", "")
    )
    assert response.status_code == 302
    assert count(Response) == 1


@pytest.mark.parametrize(
    ("disposition", "explanation", "field", "message"),
    [
        ("", "Because.", "disposition", "Choose a disposition"),
        ("rejected", "Because.", "disposition", "Choose a disposition"),
        ("accepted", "   ", "explanation", "only “Noted” may go without"),
        ("not_accepted", "", "explanation", "Explain the disposition"),
        ("accepted", "x" * (MAX_EXPLANATION + 1), "explanation", "limited to 10,000 characters"),
    ],
)
def test_bad_response_gets_a_message_and_stores_nothing(
    secretariat_client: FlaskClient,
    world: dict[str, Any],
    disposition: str,
    explanation: str,
    field: str,
    message: str,
) -> None:
    comment_id = world["order"][2]
    before = audit_actions()
    response = post_form(
        secretariat_client,
        respond_url(world, comment_id),
        answer(comment_id, disposition, explanation),
    )
    assert response.status_code == 400
    page = soup(response)
    control = page.find(attrs={"name": f"c{comment_id}-{field}"})
    error = page.find(id=f"{control['id']}-error")
    assert error is not None and message in error.get_text()
    assert f"{control['id']}-error" in control["aria-describedby"].split()
    assert page.select_one(".warnings a")["href"] == f"#comment-{comment_id}"
    if field == "explanation" and explanation.strip():
        assert control.get_text().strip() == explanation  # what was typed is kept
    assert count(Response) == 0
    assert audit_actions() == before


def test_respond_to_a_comment_of_another_round_is_404(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    other_round = factories.round_(
        world["version"], opens_at=T0, closes_at=CLOSES, title="Another round"
    )
    comment_id = world["order"][0]
    response = post_form(
        secretariat_client,
        f"/rounds/{other_round.id}/comments/{comment_id}/response",
        answer(comment_id, "noted", ""),
    )
    assert response.status_code == 404
    missing = post_form(secretariat_client, respond_url(world, 99999), answer(99999, "noted", ""))
    assert missing.status_code == 404
    assert count(Response) == 0


def test_respond_to_a_withdrawn_comment_is_refused(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    comment_id = world["withdrawn"]
    response = post_form(
        secretariat_client, respond_url(world, comment_id), answer(comment_id, "noted", "")
    )
    assert response.status_code == 302
    page = get_page(secretariat_client, response.headers["Location"].split("#")[0])
    assert messages(page) == ["Nothing was saved: this comment was withdrawn: it needs no answer."]
    assert count(Response) == 0


# --- publishing -----------------------------------------------------------------


def publish_url(world: dict[str, Any]) -> str:
    return f"/rounds/{world['round'].id}/responses/publish"


def publish(client: FlaskClient, world: dict[str, Any]) -> Any:
    """Send the confirmation page's form (the confirmation field and the CSRF token)."""
    return post_form(client, publish_url(world), {"confirm": "yes"})


def test_publish_before_the_close_is_refused(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    before = audit_actions()
    get_page(secretariat_client, publish_url(world), status=303)
    page = get_page(secretariat_client, page_url(world))
    assert messages(page) == ["The answers can be published once, after the round has closed."]
    response = publish(secretariat_client, world)
    assert response.status_code == 303
    page = get_page(secretariat_client, page_url(world))
    assert "once the round has closed" in messages(page)[0]
    fresh()
    assert db.session.get(Round, world["round"].id).responses_published_at is None
    assert audit_actions() == before


def test_publish_after_the_close_is_confirmed_then_never_twice(
    app: Flask, secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    comment_id = world["order"][0]
    post_form(secretariat_client, respond_url(world, comment_id), answer(comment_id, "noted", ""))
    published_at = CLOSES + timedelta(hours=5)
    set_clock(app, secretariat_client, published_at)
    page = get_page(secretariat_client, page_url(world))
    link = page.find("a", href=publish_url(world))
    assert link.get_text(strip=True) == "Publish the answers…"
    assert "cannot be undone" in page.select_one(".confirm").get_text()
    # The link leads to a page saying what publishing does; nothing is published yet.
    confirm = get_page(secretariat_client, publish_url(world))
    said = squash(confirm.select_one(".confirmation").get_text(" "))
    assert "following the round's visibility rule" in said
    assert f"{len(world['order']) - 1} comments have no saved answer yet" in said
    assert "can then no longer be reopened" in said and "cannot be undone" in said
    form = confirm.find("form", action=publish_url(world))
    assert form.find("input", attrs={"name": "confirm"})["value"] == "yes"
    assert form.find("button").get_text(strip=True) == "Publish the answers"
    assert confirm.find("a", href=page_url(world)) is not None
    fresh()
    assert db.session.get(Round, world["round"].id).responses_published_at is None
    # A POST without the confirmation field publishes nothing and leads to that page.
    response = post_form(secretariat_client, publish_url(world))
    assert (response.status_code, response.headers["Location"]) == (303, publish_url(world))
    fresh()
    assert db.session.get(Round, world["round"].id).responses_published_at is None
    response = publish(secretariat_client, world)
    assert response.status_code == 303
    fresh()
    assert db.session.get(Round, world["round"].id).responses_published_at == published_at
    assert audit_actions()[-1] == "round.publish_responses"
    page = get_page(secretariat_client, page_url(world))
    assert messages(page) == ["The answers are published: commenters can now read them."]
    assert squash(page.select_one(".published").get_text()).startswith(
        "The answers were published at 12 March 2026, 17:00 UTC."
    )
    assert page.find("a", href=publish_url(world)) is None
    before = audit_actions()
    publish(secretariat_client, world)
    page = get_page(secretariat_client, page_url(world))
    assert messages(page) == [
        "Nothing was published: the answers of this round are published already."
    ]
    assert audit_actions() == before


def test_round_page_shows_when_responses_were_published(
    app: Flask, secretariat_client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    set_clock(app, secretariat_client, CLOSES + timedelta(days=1))
    publish(secretariat_client, world)
    page = get_page(secretariat_client, f"/rounds/{world['round'].id}")
    assert squash(page.select_one("dd.published").get_text()) == "13 March 2026, 12:00 UTC"
    # A settled round: no closing form, no close or correct link, and it says why.
    assert page.find("form", action=f"/rounds/{world['round'].id}/closing") is None
    assert page.select(".close-now-link, .correct-link") == []
    assert "can no longer be changed" in page.select_one(".settled").get_text()


def test_empty_round_says_so(secretariat_client: FlaskClient, world: dict[str, Any]) -> None:
    empty = factories.round_(world["version"], opens_at=T0, closes_at=CLOSES, title="Empty")
    page = get_page(secretariat_client, f"/rounds/{empty.id}/responses")
    assert "No comments" in page.select_one(".empty-state").get_text()
    assert squash(page.select_one(".progress").get_text()) == "0 of 0 answered"
