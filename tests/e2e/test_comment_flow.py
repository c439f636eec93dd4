"""A stakeholder comments on a clause with a proposed wording, gets a receipt, edits it,
and sees the count on the version page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from consult.extensions import db
from consult.models.base import utcnow
from consult.services import drafts, rounds
from tests.e2e.conftest import assert_accessible, sign_in


@pytest.fixture(scope="module")
def round_id(live_app: Flask) -> int:
    """An open round on the first version of the principles."""
    with live_app.app_context():
        version = drafts.get_version("human-rights-borders", 1)
        round_ = rounds.create_round(
            version,
            rounds.RoundSettings(
                title="First expert meeting, Geneva",
                opens_at=utcnow() - timedelta(hours=1),
                closes_at=utcnow() + timedelta(days=7),
                place="Geneva",
                time_zone="Europe/Zurich",
            ),
            actor=None,
        )
        number = round_.id
        db.session.remove()
    return number


def test_stakeholder_comments_gets_receipt_edits_and_sees_count(page: Any, round_id: int) -> None:
    sign_in(page, "germany@consult.example")
    page.goto(f"/documents/human-rights-borders/v1?round={round_id}")
    assert_accessible(page)
    section = page.locator("[id='principle-primacy-p1']")
    section.locator("a.comment-link").click()
    page.wait_for_load_state()
    assert f"/rounds/{round_id}/comment" in page.url
    assert_accessible(page)

    page.get_by_label("Substantive").check()
    page.get_by_role("textbox", name="Your comment").fill(
        "The paragraph should name the duty to protect as well as to respect."
    )
    proposed = page.get_by_label("Proposed change (optional)")
    assert "human rights of all migrants" in proposed.input_value()
    proposed.fill(
        proposed.input_value().replace(
            "respected, protected", "respected, protected and promoted, protected"
        )
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    assert re.search(r"/comments/\d+$", page.url)
    comment_url = page.url
    tracking = page.locator(".receipt .tracking-number").inner_text().strip()
    assert re.fullmatch(r"DE-\d{3}", tracking)
    short = page.locator(".receipt .content-hash-short").inner_text()
    assert re.fullmatch(r"[0-9a-f]{12}…", short)
    # The full fingerprint is folded: a click on its summary shows it.
    page.locator(".receipt-hash summary").click()
    full = page.locator(".receipt .content-hash").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", full) and full.startswith(short[:-1])
    assert page.locator("main ins").count() >= 1  # the proposed wording's diff
    assert_accessible(page)

    page.get_by_role("link", name="Edit this comment").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("textbox", name="Your comment").fill(
        "The paragraph should name the duties to respect, protect and fulfil."
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".receipt .tracking-number").inner_text().strip() == tracking
    assert "respect, protect and fulfil" in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto(f"/documents/human-rights-borders/v1?round={round_id}")
    count = page.locator("[id='principle-primacy-p1'] a.comment-count")
    assert count.inner_text().startswith("1 comment")
    assert_accessible(page)

    # Withdrawing is permanent: the link leads to a page that says what happens, with a way back.
    page.goto(comment_url)
    page.get_by_role("link", name="Withdraw this comment…").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert f"Withdrawing comment {tracking}" in page.locator("main").inner_text()
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Keep the comment").click()
    page.wait_for_load_state()
    assert page.url == comment_url
    page.get_by_role("link", name="Withdraw this comment…").click()
    page.get_by_role("button", name=f"Withdraw comment {tracking}").click()
    page.wait_for_load_state()
    assert page.url == comment_url
    assert "The comment is withdrawn" in page.locator("main").inner_text()
    assert_accessible(page)
