"""The reading pages at phone, laptop and desktop sizes: nothing covered, no sideways scroll.

A stakeholder (the demo's German mission, invited to the open "Second
expert meeting" on version 3) reads the document page, version 3 with its
round and a clause's page at 390x844, 1280x900, 1366x768 and 1920x1080. On
each, every visible link, button, summary and form control is scrolled into
view and the element found at its centre must be itself or inside it (the
sticky contents once covered the consultation box at laptop sizes), and the
page must not be wider than the window. axe-core checks each page at 1280
and 390. Screenshots are kept as artifacts (CONSULT_TEST_ARTIFACTS).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import COVERED, assert_accessible, sign_in
from tests.exports.poppler import artifact_folder

SIZES = ((390, 844), (1280, 900), (1366, 768), (1920, 1080))
PAGES = {
    "document": "/documents/human-rights-borders",
    "version": "/documents/human-rights-borders/v3",
    "clause": "/documents/human-rights-borders/v3/clauses/principle-primacy-p1",
}


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_reading_pages_have_nothing_covered_and_no_sideways_scroll(
    page: Any, tmp_path: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "germany@consult.example")
    folder = artifact_folder(tmp_path)
    for name, url in PAGES.items():
        page.goto(url)
        page.wait_for_load_state()
        if name == "version":
            banner = page.locator("section.consultation.open-to-you")
            assert "Second expert meeting" in banner.inner_text()
            assert page.locator("a.comment-link").count() > 50
        if width in (390, 1280):
            page.screenshot(path=str(folder / f"reading-{name}-{width}.png"), full_page=True)
            assert_accessible(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
        assert widths[0] <= widths[1], (url, width, widths)
        result = page.evaluate(COVERED)
        assert result["checked"] > 5, (url, width, result)
        assert not result["covered"], (url, width, result["covered"][:5])


def test_contents_open_behind_their_toggle_on_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "germany@consult.example")
    page.goto(PAGES["version"])
    contents = page.locator("nav.toc")
    first_entry = contents.locator("ol a").first
    assert not first_entry.is_visible()
    page.locator("p.toc-toggle a").click()
    assert first_entry.is_visible()
    contents.locator("p.toc-close a").click()
    assert not first_entry.is_visible()
    # The comment link beside a clause is in view with it, on the clause's own line.
    link = page.locator("[id='principle-primacy-p1'] a.comment-link").first
    link.scroll_into_view_if_needed()
    assert link.is_visible()
    assert "Comment on" in (link.text_content() or "")


def test_contents_stay_beside_the_text_on_a_wide_screen(page: Any) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "germany@consult.example")
    page.goto(PAGES["version"])
    contents = page.locator("nav.toc")
    assert contents.locator("ol a").first.is_visible()
    assert not page.locator("p.toc-toggle a").is_visible()
    text = page.locator("#clauses").bounding_box()
    box = contents.bounding_box()
    assert box is not None and text is not None
    assert box["x"] + box["width"] <= text["x"]


def test_the_check_finds_a_link_under_a_sticky_box(page: Any) -> None:
    """The check itself: a sticky column drawn over the round's links is found."""
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "germany@consult.example")
    page.goto(PAGES["version"])
    # Through the CSSOM: the Content-Security-Policy allows no inline <style> element.
    page.evaluate(
        "rule => { const sheet = [...document.styleSheets].at(-1);"
        " sheet.insertRule(rule, sheet.cssRules.length); }",
        ".reading-layout .toc { position: relative; z-index: 2; background: #fff;"
        " grid-row: 1 / 3; margin-top: 20rem; }",
    )
    covered = page.evaluate(COVERED)["covered"]
    assert any("our-comments" in entry["element"] for entry in covered), covered
