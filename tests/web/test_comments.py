"""The comment form: who may use it, the receipt, double submissions, bad input, deadlines.

The helpers at the top are shared with the other tests/web/test_comments_*.py files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from consult.extensions import db
from consult.models import Clause, Comment, Round, User, Version
from tests import factories
from tests.web.support import get_page, login, soup

ROLES = ("stakeholder", "drafter", "secretariat", "admin")
SECOND_VERSION = factories.SAMPLE_DRAFT.replace(
    "## Part II: Guidelines",
    "### Principle 3: Solidarity\n\nStates shall cooperate.\n\n## Part II: Guidelines",
)


@dataclass
class Setup:
    """A published version with a round on it."""

    version: Version
    round: Round
    clause: Clause


def make_setup(**settings: Any) -> Setup:
    version = factories.version()
    round_ = factories.round_(version, **settings)
    clause = next(c for c in version.clauses if c.key == "principle-dignity")
    return Setup(version, round_, clause)


def signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = login(client, user.email)
    assert response.status_code == 302, "login failed"
    return client


def other_stakeholder(name: str = "Other Organisation") -> User:
    fresh()
    return factories.user("stakeholder", factories.organisation("ngo", name=name))


def set_clock(app: Flask, client: FlaskClient, moment: datetime) -> None:
    """Make the test's app and the web twin serving `client` see the time `moment`."""
    app.config["CLOCK"] = client.application.config["CLOCK"] = lambda: moment


def hidden_fields(page: BeautifulSoup, form_class: str = "comment-form") -> dict[str, str]:
    form = page.find("form", class_=form_class)
    assert form is not None, "no comment form on the page"
    return {
        str(i["name"]): str(i.get("value", ""))
        for i in form.find_all("input", attrs={"type": "hidden"})
    }


def comment_url(round_id: int, clause: str | None = None) -> str:
    return f"/rounds/{round_id}/comment" + (f"?clause={clause}" if clause else "")


def post_comment(
    client: FlaskClient, round_number: int, clause: str | None = None, **data: str
) -> TestResponse:
    """Open the comment form, fill it in with `data` and submit it as a browser would."""
    url = comment_url(round_number, clause)
    page = get_page(client, url)
    payload = hidden_fields(page)
    payload.update({"type": "substantive", "body": "We suggest clarifying this."})
    payload.update(data)
    return client.post(url, data=payload)


def textarea(page: BeautifulSoup, name: str) -> str:
    area = page.find("textarea", attrs={"name": name})
    assert area is not None, f"no textarea {name}"
    return area.get_text()


def fresh() -> None:
    """End the test's read transaction, to see what the web requests committed since."""
    db.session.rollback()


def comment_count() -> int:
    fresh()
    return db.session.scalar(select(func.count()).select_from(Comment)) or 0


def only_comment() -> Comment:
    fresh()
    comments = db.session.scalars(select(Comment)).all()
    assert len(comments) == 1
    return comments[0]


# --- who may use the form ---------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(client: FlaskClient, users: dict[str, User]) -> None:
    setup = make_setup()
    response = client.get(comment_url(setup.round.id))
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_only_stakeholders_get_the_form(app: Flask, users: dict[str, User], role: str) -> None:
    setup = make_setup()
    client = signed_in(app, users[role])
    response = client.get(comment_url(setup.round.id, "principle-dignity"))
    assert response.status_code == (200 if role == "stakeholder" else 403)


def test_an_organisation_not_invited_gets_404_and_nothing_is_stored(
    app: Flask, users: dict[str, User]
) -> None:
    invited = factories.organisation("ngo", name="Invited")
    setup = make_setup(participation="invited", invited=[invited])
    client = signed_in(app, users["stakeholder"])
    # The round is unknown to the organisation: the form's page does not exist for it.
    page = get_page(client, comment_url(setup.round.id), status=404)
    assert setup.round.title not in page.get_text()
    fresh()
    token_client = signed_in(app, factories.user("stakeholder", invited))
    fields = hidden_fields(get_page(token_client, comment_url(setup.round.id)))
    response = client.post(
        comment_url(setup.round.id),
        data={
            "type": "general",
            "body": "Let us in.",
            "idempotency_key": fields["idempotency_key"],
        },
    )
    assert response.status_code in (400, 403)  # no valid token of its own: refused either way
    assert comment_count() == 0


# --- the form ----------------------------------------------------------------


def test_form_shows_the_clause_the_organisation_and_the_types(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    page = get_page(client, comment_url(setup.round.id, "principle-dignity-p1"))
    assert page.find("h1").get_text(strip=True).startswith("Comment on")
    clause_section = page.find("section", class_="commented-clause")
    assert "treated with dignity" in clause_section.get_text()
    assert "on behalf of Test NGO" in page.find("p", class_="on-behalf").get_text()
    radios = page.find_all("input", attrs={"type": "radio", "name": "type"})
    assert [r["value"] for r in radios] == ["general", "substantive", "editorial"]
    for radio in radios:
        label = page.find("label", attrs={"for": radio["id"]})
        assert label is not None and label.get_text(strip=True)
        assert page.find(id=str(radio["aria-describedby"]).split()[0]) is not None
    assert textarea(page, "proposed_text").strip() == (
        "Everyone at a border shall be treated with dignity."
    )
    fields = hidden_fields(page)
    assert fields["clause"] == "principle-dignity-p1"
    assert re.fullmatch(r"[0-9a-f]{32}", fields["idempotency_key"])
    assert page.find("textarea", attrs={"name": "body"}).get("maxlength") is None


def test_each_form_gets_a_new_submission_key(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    keys = {
        hidden_fields(get_page(client, comment_url(setup.round.id)))["idempotency_key"]
        for _ in range(3)
    }
    assert len(keys) == 3


def test_a_comment_is_received_with_a_receipt(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup(time_zone="Europe/Zurich")
    client = signed_in(app, users["stakeholder"])
    response = post_comment(
        client,
        setup.round.id,
        "principle-dignity",
        body="Please add a reference.",
        proposed_text="Everyone shall be treated with dignity and respect.",
    )
    assert response.status_code == 303
    comment = only_comment()
    assert response.headers["Location"].endswith(f"/comments/{comment.id}")
    assert (comment.body, comment.type, comment.clause_id) == (
        "Please add a reference.",
        "substantive",
        setup.clause.id,
    )
    page = get_page(client, response.headers["Location"])
    receipt = page.find("section", class_="receipt")
    assert receipt is not None
    code = users["stakeholder"].organisation.code  # type: ignore[union-attr]
    assert receipt.find(class_="tracking-number").get_text(strip=True) == f"{code}-001"
    received = receipt.find(class_="received").get_text(" ", strip=True)
    at = comment.received_at
    local = at.astimezone(ZoneInfo("Europe/Zurich"))
    assert received.startswith(f"{at.day} {at:%B %Y}, {at:%H:%M} UTC (")
    assert received.endswith(f"{local:%H:%M} Zurich)") and f"{at:%H:%M:%S}" not in received
    assert receipt.find(class_="content-hash").get_text(strip=True) == comment.content_hash
    assert "received" in page.find(class_="messages").get_text()


def test_a_comment_on_the_document_as_a_whole(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    page = get_page(client, comment_url(setup.round.id))
    assert "document as a whole" in page.find("h1").get_text()
    assert post_comment(client, setup.round.id).status_code == 303
    assert only_comment().clause_id is None


def test_unchanged_proposed_wording_counts_as_none(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    assert post_comment(client, setup.round.id, "principle-dignity").status_code == 303
    assert only_comment().proposed_text is None


def test_submitting_twice_stores_one_comment_with_one_receipt(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    url = comment_url(setup.round.id, "principle-dignity")
    payload = hidden_fields(get_page(client, url))
    payload.update({"type": "general", "body": "Double click."})
    first = client.post(url, data=payload)
    second = client.post(url, data=payload)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert comment_count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"body": ""}, "body", "empty"),
        ({"body": "   \r\n  "}, "body", "empty"),
        (
            {"body": "x" * 10_001},
            "body",
            "10,001 characters; the limit is 10,000. Shorten it by 1 character.",
        ),
        ({"body": "x" * 10_012}, "body", "Shorten it by 12 characters."),
        ({"proposed_text": "y" * 20_001}, "proposed_text", "20,001 characters"),
        ({"type": "opinion"}, "type", "Choose the type"),
        ({"type": ""}, "type", "Choose the type"),
    ],
)
def test_bad_input_gets_a_message_keeps_the_text_and_stores_nothing(
    app: Flask, users: dict[str, User], data: dict[str, str], field: str, message: str
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    url = comment_url(setup.round.id, "principle-dignity")
    key = hidden_fields(get_page(client, url))["idempotency_key"]
    payload = {"body": "Kept text.", "proposed_text": "Kept wording.", "type": "general"}
    payload.update(data)
    response = post_comment(
        client, setup.round.id, "principle-dignity", idempotency_key=key, **payload
    )
    assert response.status_code == 200
    page = soup(response)
    error = page.find(id=f"{field}-error")
    assert error is not None and message in error.get_text(), page.find_all(class_="error")
    for name in ("body", "proposed_text"):
        if name != field:
            assert textarea(page, name).strip() == payload[name]
    assert hidden_fields(page)["idempotency_key"] == key
    assert comment_count() == 0


def test_the_limits_themselves_are_accepted(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    body = ("word " * 2000)[:9_999] + "."
    response = post_comment(
        client, setup.round.id, "principle-dignity", body=body, proposed_text="y" * 20_000
    )
    assert response.status_code == 303
    assert len(only_comment().body) == 10_000


@pytest.mark.parametrize("key", ["no-such-clause", "principle-3"])
def test_unknown_clause_or_clause_of_another_version_is_404(
    app: Flask, users: dict[str, User], key: str
) -> None:
    setup = make_setup()
    factories.version(SECOND_VERSION)  # has principle-3, which version 1 lacks
    client = signed_in(app, users["stakeholder"])
    get_page(client, comment_url(setup.round.id, key), status=404)
    fields = hidden_fields(get_page(client, comment_url(setup.round.id)))
    fields.update({"clause": key, "type": "general", "body": "Hello."})
    assert client.post(comment_url(setup.round.id), data=fields).status_code == 404
    assert comment_count() == 0


def test_unknown_round_is_404(app: Flask, users: dict[str, User]) -> None:
    make_setup()
    client = signed_in(app, users["stakeholder"])
    get_page(client, comment_url(9999), status=404)


def test_closed_round_refuses_with_a_message_and_keeps_the_text(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    url = comment_url(setup.round.id, "principle-dignity")
    payload = hidden_fields(get_page(client, url))
    payload.update(
        {"type": "general", "body": "Typed while the clock ran out.", "proposed_text": "Mine."}
    )
    set_clock(app, client, setup.round.closes_at)
    response = client.post(url, data=payload)
    assert response.status_code == 409
    page = soup(response)
    assert "closed" in page.find(class_="closed-notice").get_text()
    assert textarea(page, "body").strip() == "Typed while the clock ran out."
    assert textarea(page, "proposed_text").strip() == "Mine."
    assert page.find("form", class_="comment-form").find("button") is None
    assert comment_count() == 0
    assert get_page(client, url, status=409).find(class_="closed-notice") is not None


def test_upcoming_round_says_it_is_not_open_yet(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup(opens_in=timedelta(days=1), closes_in=timedelta(days=3))
    client = signed_in(app, users["stakeholder"])
    page = get_page(client, comment_url(setup.round.id), status=409)
    assert "not open yet" in page.find(class_="closed-notice").get_text()
    fields = {"type": "general", "body": "Too early.", "idempotency_key": "a" * 32}
    response = client.post(
        comment_url(setup.round.id), data={**fields, "csrf_token": _token(client)}
    )
    assert response.status_code == 409
    assert textarea(soup(response), "body").strip() == "Too early."
    assert comment_count() == 0


def _token(client: FlaskClient) -> str:
    field = get_page(client, "/").find("input", attrs={"name": "csrf_token"})
    assert field is not None
    return str(field["value"])


def test_a_retry_after_the_close_still_gets_its_receipt(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    url = comment_url(setup.round.id)
    payload = hidden_fields(get_page(client, url))
    payload.update({"type": "general", "body": "Sent just in time."})
    first = client.post(url, data=payload)
    set_clock(app, client, setup.round.closes_at + timedelta(seconds=5))
    retry = client.post(url, data=payload)
    assert first.status_code == retry.status_code == 303
    assert first.headers["Location"] == retry.headers["Location"]
    assert comment_count() == 1


def test_forged_fields_are_ignored(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    other_round = factories.round_(setup.version, title="Other round")
    stranger = other_stakeholder()
    client = signed_in(app, users["stakeholder"])
    response = post_comment(
        client,
        setup.round.id,
        "principle-dignity",
        author=str(stranger.id),
        author_id=str(stranger.id),
        round=str(other_round.id),
        round_id=str(other_round.id),
        status="withdrawn",
        organisation=str(stranger.organisation_id),
        organisation_id=str(stranger.organisation_id),
    )
    assert response.status_code == 303
    comment = only_comment()
    assert comment.author_id == users["stakeholder"].id
    assert comment.organisation_id == users["stakeholder"].organisation_id
    assert comment.round_id == setup.round.id
    assert comment.status == "active"
