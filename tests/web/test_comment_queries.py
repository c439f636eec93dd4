"""A comment's submission and its page ask the database a fixed, small number of questions:
the submission reads the round once, under its lock; the page after the receipt reads the
comment with its round, version, document, clause and answer in one statement (the
deadline's busiest page), whatever the version's size."""

from __future__ import annotations

import re

from flask import Flask

from consult.models import User
from tests.web.support import counted_statements, get_page
from tests.web.test_comments import (
    comment_url,
    hidden_fields,
    make_setup,
    only_comment,
    post_comment,
    signed_in,
)


def test_a_comment_page_reads_the_comment_and_its_surroundings_at_once(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    response = post_comment(client, setup.round.id, "principle-dignity", body="Please add.")
    assert response.status_code == 303
    url = response.headers["Location"]
    get_page(client, url)
    with counted_statements(client) as statements:
        page = get_page(client, url)
    # The session (with user and organisation), the comment with what it belongs to, and
    # the comment's revisions, which its own organisation sees.
    assert len(statements) == 3, statements
    assert "FROM comment" in statements[1] and "JOIN round" in statements[1]
    assert "comment_revision" in statements[2]
    # The page still names all it did.
    assert page.find(class_="tracking-number").get_text(strip=True).endswith("-001")
    assert setup.version.document.title in page.get_text()
    assert only_comment().body == "Please add."


def test_a_submission_sends_a_fixed_number_of_statements(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    post_comment(client, setup.round.id, "principle-dignity", body="First.")
    url = comment_url(setup.round.id, "principle-dignity")
    payload = hidden_fields(get_page(client, url))
    payload.update({"type": "substantive", "body": "Second."})
    with counted_statements(client) as statements:
        response = client.post(url, data=payload)
    assert response.status_code == 303
    writes = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(writes) == 2  # the comment and its audit row
    # The session; then, under the round's lock: the round with the clause and the
    # invitation, a resent form's comment with the organisation's last number, and
    # the two writes. The round is read once.
    asked = [s for s in statements if not s.startswith("BEGIN")]  # SQLite's BEGIN IMMEDIATE
    assert len(asked) == 5, asked
    assert sum(bool(re.search(r"\bFROM round\b", s)) for s in asked) == 1, asked
    assert "JOIN clause" in asked[1], asked[1]
