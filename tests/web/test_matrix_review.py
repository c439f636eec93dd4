"""What a second reading of the matrix found: leaks and edge cases, one test each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import User
from consult.services import responses
from consult.services.matrix.filters import SORT_KEYS
from tests import factories
from tests.web.support import get_page, set_clock, sign_in

URL = "/documents/sample/matrix"
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=2)
SECOND_DRAFT = factories.SAMPLE_DRAFT.replace(
    "Everyone at a border shall be treated with dignity.",
    "Everyone at a border shall be treated with dignity and respect.",
).replace("label: First draft", "label: Second draft")


@pytest.mark.parametrize("path", ["", ".xlsx", ".csv", ".docx", ".csv?public=yes", "/summary"])
def test_a_document_with_only_a_draft_is_unknown_to_stakeholders(
    client: FlaskClient, users: dict[str, User], path: str
) -> None:
    factories.version(publish=False)
    sign_in(client, users["stakeholder"])
    response = client.get(URL + path)
    assert response.status_code == 404
    assert b"Principles" not in response.data


def test_every_sort_order_lists_every_row_once_and_the_summary_agrees(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    first = factories.version(publish=True)
    set_clock(app, client, T0 + timedelta(hours=1))
    early = factories.round_(first, opens_at=T0, closes_at=CLOSES, title="Early")
    clauses = [c for c in first.clauses if c.text][:3]
    other = factories.user("stakeholder", factories.organisation("member_state", "Austria", "AT"))
    made = []
    for n, clause in enumerate([None, *clauses, clauses[0]]):
        author = other if n % 2 else users["stakeholder"]
        made.append(
            factories.comment(early.id, author, clause, body=f"Remark {n}", proposed_text=None)
        )
    responses.respond(made[1].id, "accepted", "Yes.", users["secretariat"])
    responses.respond(made[2].id, "noted", "", users["secretariat"])
    set_clock(app, client, CLOSES + timedelta(hours=1))
    factories.version(SECOND_DRAFT, publish=True)
    for role in ("secretariat", "stakeholder", "drafter"):
        reader = app.test_client()
        sign_in(reader, users[role])
        total = None
        for sort in SORT_KEYS:
            for extra in ("", "&order=desc", "&view=flat", "&view=flat&order=desc"):
                page = get_page(reader, f"{URL}?sort={sort}{extra}&per_page=25")
                ids = [tr["id"] for tr in page.select("table.matrix tbody tr[id^=comment-]")]
                assert len(ids) == len(set(ids)), (role, sort, extra)
                if total is None:
                    total = sorted(ids)
                assert sorted(ids) == total, (role, sort, extra)
        assert total is not None
        summary = get_page(reader, URL + "/summary")
        counted = summary.select_one("strong.total")
        assert counted is not None  # no comment is withdrawn: the summary counts every row
        assert counted.get_text(strip=True).startswith(f"{len(total)} comment")


def test_only_staff_and_the_senders_see_that_a_comment_came_by_e_mail(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    # The comment pages show the e-mail's day only to staff and the comment's own
    # organisation; the matrix's "by e-mail" tag follows the same rule.
    version = factories.version(publish=True)
    set_clock(app, client, T0 + timedelta(hours=1))
    round_ = factories.round_(version, opens_at=T0, closes_at=CLOSES, title="Open round")
    sender = factories.user("stakeholder", factories.organisation("member_state", "Austria", "AT"))
    emailed = factories.comment(round_.id, sender, None, body="Sent in the template.")
    emailed.channel, emailed.emailed_on = "email", T0.date()
    db.session.commit()
    set_clock(app, client, CLOSES + timedelta(hours=1))

    def tagged(user: User) -> bool:
        reader = app.test_client()
        sign_in(reader, user)
        row = get_page(reader, URL).select_one(f"tr#comment-{emailed.id}")
        assert row is not None  # the round is open to every organisation: all see the row
        return "by e-mail" in row.get_text()

    assert tagged(users["secretariat"])
    assert tagged(sender)
    assert not tagged(users["stakeholder"])
