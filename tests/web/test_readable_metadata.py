"""Receipts read as a sentence; clause keys stay out of stakeholders' sight."""

from __future__ import annotations

import pytest
from flask import Flask

from consult.models import User
from tests import factories
from tests.web.support import get_page
from tests.web.test_comments import fresh, make_setup, signed_in
from tests.web.test_comments_security import clause_of


def test_a_receipt_is_a_readable_summary_with_a_short_fingerprint(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    dignity = clause_of(setup.version, "principle-dignity-p1")
    comment = factories.comment(setup.round.id, users["stakeholder"], dignity)
    fresh()
    page = get_page(signed_in(app, users["stakeholder"]), f"/comments/{comment.id}")
    receipt = page.find("section", class_="receipt")
    assert receipt.find("dl") is None
    summary = " ".join(receipt.select_one(".receipt-summary").get_text(" ", strip=True).split())
    received = receipt.select_one(".received").get_text(" ", strip=True)
    assert summary.startswith(f"Received {received} as {comment.tracking_number}")
    assert "UTC" in received
    short = receipt.select_one(".content-hash-short")
    assert short.get_text() == comment.content_hash[:12] + "…"
    assert short["title"] == comment.content_hash
    folded = receipt.select_one("details .content-hash")
    assert folded.get_text(strip=True) == comment.content_hash


@pytest.mark.parametrize("role", ["stakeholder", "drafter", "secretariat", "admin"])
def test_a_clause_history_shows_its_key_only_to_those_who_prepare_texts(
    app: Flask, users: dict[str, User], role: str
) -> None:
    make_setup()
    fresh()
    client = signed_in(app, users[role])
    url = "/documents/sample/history/principle-dignity-p1"
    page = get_page(client, url)
    meta = page.select_one(".version-meta")
    assert meta.select_one("a.permanent-link")["href"] == url
    shows_key = role in ("drafter", "secretariat")
    assert ("principle-dignity-p1" in meta.get_text()) is shows_key
