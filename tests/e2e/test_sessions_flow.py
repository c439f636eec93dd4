"""A person opens "Your sessions" from the header, on a wide screen and a phone, and ends
the others: the page is accessible, fits both windows, and the other browser is signed out."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible, assert_nothing_covered, sign_in
from tests.e2e.main_pages import sideways

EMAIL = "germany@consult.example"


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)])
def test_ending_ones_other_sessions_from_the_header(
    browser: Any, base_url: str, size: tuple[int, int]
) -> None:
    width, height = size
    viewport = {"width": width, "height": height}
    here = browser.new_context(base_url=base_url, viewport=viewport)
    elsewhere = browser.new_context(base_url=base_url)
    try:
        other = elsewhere.new_page()
        sign_in(other, EMAIL)
        page = here.new_page()
        sign_in(page, EMAIL)
        if width < 600:
            page.locator("summary", has_text="Menu").click()
        page.get_by_role("link", name="Your sessions").locator("visible=true").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Your sessions"
        assert page.locator("table.sessions tbody tr").count() >= 2
        assert "this session" in page.locator("table.sessions tbody tr").first.inner_text()
        assert sideways(page) is None
        assert_accessible(page)
        assert_nothing_covered(page)
        page.get_by_role("button", name="End my other sessions").click()
        page.wait_for_load_state()
        assert "ended" in page.locator(".messages").inner_text()
        assert page.locator("table.sessions tbody tr").count() == 1
        assert_accessible(page)
        other.goto("/")
        assert "/login" in other.url
    finally:
        here.close()
        elsewhere.close()
