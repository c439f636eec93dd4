"""Editing and withdrawing a comment in the browser: revisions, conflicts, deadlines, roles."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Comment, CommentRevision, User
from tests import factories
from tests.web.support import get_page, post_form, soup, without_bdi
from tests.web.test_comments import (
    ROLES,
    fresh,
    hidden_fields,
    make_setup,
    other_stakeholder,
    set_clock,
    signed_in,
    textarea,
)


def edit_url(comment_id: int) -> str:
    return f"/comments/{comment_id}/edit"


def withdraw(client: FlaskClient, comment_id: int) -> int:
    """Follow the comment page's withdraw link and confirm on the page it leads to."""
    page = get_page(client, f"/comments/{comment_id}")
    link = page.find("a", class_="withdraw-link")
    assert link is not None, "no withdraw link"
    form = get_page(client, str(link["href"])).find("form", class_="withdraw-form")
    assert form is not None, "no confirmation form"
    fields = {str(i["name"]): str(i["value"]) for i in form.find_all("input")}
    response = client.post(str(form["action"]), data=fields)
    return response.status_code


def reload(comment: Comment) -> Comment:
    fresh()
    found = db.session.get(Comment, comment.id)
    assert found is not None
    return found


@pytest.fixture
def comment(app: Flask, users: dict[str, User]) -> Comment:
    setup = make_setup()
    clause = next(c for c in setup.version.clauses if c.key == "principle-dignity-p1")
    return factories.comment(setup.round.id, users["stakeholder"], clause, body="First text.")


def test_anonymous_visitors_are_sent_to_login(client: FlaskClient, comment: Comment) -> None:
    for url in (edit_url(comment.id), f"/comments/{comment.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_stakeholders_edit(
    app: Flask, users: dict[str, User], comment: Comment, role: str
) -> None:
    client = signed_in(app, users[role])
    assert client.get(edit_url(comment.id)).status_code == (200 if role == "stakeholder" else 403)
    assert client.post(f"/comments/{comment.id}/withdraw").status_code == 400  # no token
    assert client.get(f"/comments/{comment.id}/withdraw").status_code == (
        200 if role == "stakeholder" else 403
    )
    assert reload(comment).status == "active"
    # Without the confirmation field nothing happens: the stakeholder is sent to confirm.
    response = post_form(client, f"/comments/{comment.id}/withdraw")
    assert response.status_code == (303 if role == "stakeholder" else 403)
    assert reload(comment).status == "active"
    if role == "stakeholder":
        assert response.headers["Location"] == f"/comments/{comment.id}/withdraw"
    response = post_form(client, f"/comments/{comment.id}/withdraw", {"confirm": "yes"})
    assert response.status_code == (303 if role == "stakeholder" else 403)
    assert reload(comment).status == ("withdrawn" if role == "stakeholder" else "active")


def test_another_organisation_may_not_edit_or_withdraw(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    client = signed_in(app, other_stakeholder())
    assert client.get(edit_url(comment.id)).status_code == 403  # an open round: they see it
    page = get_page(client, f"/comments/{comment.id}")
    assert page.find("a", class_="withdraw-link") is None
    assert page.find("a", href=edit_url(comment.id)) is None


def test_edit_form_is_prefilled_and_saving_keeps_the_earlier_text(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    client = signed_in(app, users["stakeholder"])
    page = get_page(client, edit_url(comment.id))
    assert textarea(page, "body").strip() == "First text."
    assert page.find("input", attrs={"name": "type", "value": "substantive"}).has_attr("checked")
    fields = hidden_fields(page)
    assert fields["revision"] == "1"
    fields.update({"type": "editorial", "body": "Second text.", "proposed_text": "Better words."})
    response = client.post(edit_url(comment.id), data=fields)
    assert response.status_code == 303
    saved = reload(comment)
    assert (saved.body, saved.type, saved.revision, saved.proposed_text) == (
        "Second text.",
        "editorial",
        2,
        "Better words.",
    )
    shown = get_page(client, f"/comments/{comment.id}")
    revisions = shown.find("section", class_="revisions")
    assert revisions is not None and "First text." in revisions.get_text()
    assert "Saved" in revisions.get_text()
    assert (
        "Second text." in shown.find("section", attrs={"aria-labelledby": "body-title"}).get_text()
    )


def test_a_stale_edit_gets_a_conflict_page_with_both_texts(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    alice = signed_in(app, users["stakeholder"])
    fresh()
    bob = signed_in(app, factories.user("stakeholder", users["stakeholder"].organisation))
    alice_fields = hidden_fields(get_page(alice, edit_url(comment.id)))
    bob_fields = hidden_fields(get_page(bob, edit_url(comment.id)))
    alice_fields.update({"type": "general", "body": "Alice's version."})
    assert alice.post(edit_url(comment.id), data=alice_fields).status_code == 303
    bob_fields.update({"type": "general", "body": "Bob's version, long and careful."})
    response = bob.post(edit_url(comment.id), data=bob_fields)
    assert response.status_code == 409
    page = soup(response)
    assert page.find(class_="conflict-notice") is not None
    assert page.find("textarea", id="newer-body").get_text().strip() == "Alice's version."
    assert textarea(page, "body").strip() == "Bob's version, long and careful."
    assert reload(comment).body == "Alice's version."  # never a silent overwrite
    again = hidden_fields(page)
    assert again["revision"] == "2"
    again.update({"type": "general", "body": "Alice's and Bob's version."})
    assert bob.post(edit_url(comment.id), data=again).status_code == 303
    saved = reload(comment)
    assert (saved.body, saved.revision) == ("Alice's and Bob's version.", 3)
    earlier = db.session.scalars(
        select(CommentRevision.body).order_by(CommentRevision.revision)
    ).all()
    assert earlier == ["First text.", "Alice's version."]


def test_bad_edits_get_a_message_and_change_nothing(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    client = signed_in(app, users["stakeholder"])
    for change, field in (
        ({"body": ""}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"type": "x"}, "type"),
    ):
        fields = hidden_fields(get_page(client, edit_url(comment.id)))
        fields.update({"type": "general", "body": "ok", "proposed_text": "Kept wording."})
        fields.update(change)
        response = client.post(edit_url(comment.id), data=fields)
        assert response.status_code == 200
        page = soup(response)
        assert page.find(id=f"{field}-error") is not None
        assert textarea(page, "proposed_text").strip() == "Kept wording."
    assert reload(comment).revision == 1


def test_editing_after_the_close_says_so_and_keeps_the_text(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    client = signed_in(app, users["stakeholder"])
    fields = hidden_fields(get_page(client, edit_url(comment.id)))
    fields.update({"type": "general", "body": "A late change I typed for an hour."})
    set_clock(app, client, comment.round.closes_at)
    response = client.post(edit_url(comment.id), data=fields)
    assert response.status_code == 409
    page = soup(response)
    assert "closed" in page.find(class_="closed-notice").get_text()
    assert textarea(page, "body").strip() == "A late change I typed for an hour."
    assert reload(comment).body == "First text."
    assert get_page(client, f"/comments/{comment.id}").find("a", class_="withdraw-link") is None


def test_withdrawing_keeps_the_comment_marked_and_hides_it_from_others(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    client = signed_in(app, users["stakeholder"])
    page = get_page(client, f"/comments/{comment.id}")
    assert "kept and marked as withdrawn" in page.select_one(".comment-actions").get_text()
    confirm = get_page(client, f"/comments/{comment.id}/withdraw")
    said = " ".join(without_bdi(confirm.select_one(".confirmation")).get_text(" ").split())
    number = comment.tracking_number
    assert f"Withdrawing comment {number} of “First expert meeting” is permanent" in said
    assert "the secretariat and the drafters still see it and that it was withdrawn" in said
    assert "Other organisations no longer see it" in said
    assert confirm.find("a", string="Keep the comment")["href"] == f"/comments/{comment.id}"
    assert reload(comment).status == "active"
    assert withdraw(client, comment.id) == 303
    assert reload(comment).status == "withdrawn"
    shown = get_page(client, f"/comments/{comment.id}")
    assert shown.find(class_="withdrawn-notice") is not None
    assert shown.find("a", class_="withdraw-link") is None
    assert client.get(edit_url(comment.id)).status_code == 409
    assert client.get(f"/comments/{comment.id}/withdraw").status_code == 409
    others = signed_in(app, other_stakeholder())
    assert others.get(f"/comments/{comment.id}").status_code == 404
    listing = get_page(others, f"/rounds/{comment.round_id}/comments")
    assert "First text." not in listing.get_text()
    staff = signed_in(app, users["secretariat"])
    assert (
        get_page(staff, f"/comments/{comment.id}").find(class_="comment-status").get_text()
        == "Withdrawn"
    )
