"""A drafter uploads a revision, checks the preview and publishes it."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import DRAFTS, assert_accessible, sign_in


def test_drafter_uploads_previews_and_publishes_a_version(page: Any) -> None:
    sign_in(page, "drafter@consult.example")
    page.goto("/documents/gmg-issues-brief")
    assert_accessible(page)

    page.get_by_role("link", name="Upload a new version").click()
    page.wait_for_load_state()
    assert_accessible(page)
    revision = (DRAFTS / "gmg-issues-brief" / "v2.md").read_text(encoding="utf-8")
    revision = revision.replace("label: ", "label: Third draft, ").rstrip() + (
        "\n\nA closing paragraph added for the third draft.\n"
    )
    page.get_by_label("Or paste the text of the draft").fill(revision)
    page.get_by_role("button", name="Import and preview").click()
    page.wait_for_load_state()

    assert re.search(r"/documents/gmg-issues-brief/v3/preview$", page.url)
    assert "A closing paragraph added" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Publish version 3").click()
    page.wait_for_load_state()
    assert re.search(r"/v3/publish$", page.url)  # a page says what publishing does
    assert "can never be changed or deleted" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, publish version 3").click()
    page.wait_for_load_state()
    assert re.search(r"/documents/gmg-issues-brief/v3$", page.url)
    main = page.locator("main").inner_text()
    assert "published" in main.lower()
    assert "A closing paragraph added for the third draft." in main
    assert_accessible(page)


def test_stakeholder_sees_no_drafting_links(page: Any) -> None:
    sign_in(page, "germany@consult.example")
    page.goto("/documents/gmg-issues-brief")
    assert page.get_by_role("link", name="Upload a new version").count() == 0
    assert page.get_by_role("link", name="New document").count() == 0
    response = page.goto("/documents/new")
    assert response is not None and response.status == 403
    assert_accessible(page)
