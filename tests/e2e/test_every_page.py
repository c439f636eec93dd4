"""Every main page, for each role, at 1280 px and at 390 px: no sideways scroll, nothing
covered, no axe-core violation, and a full-page screenshot kept for review (issue 12,
"Phones" and "Looking"). test_every_page_sizes.py checks the same pages at laptop and
desktop sizes.

The screenshots go to CONSULT_TEST_ARTIFACTS (CI keeps them), else to the test's
temporary folder, named role-width-page.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.e2e.conftest import assert_accessible, assert_nothing_covered
from tests.e2e.main_pages import PAGES, add_draft, screenshot_name, sideways, visit_every_page
from tests.exports.poppler import artifact_folder

WIDTHS = ((1280, 900), (390, 844))


@pytest.mark.parametrize("email", sorted(PAGES))
def test_every_main_page_fits_a_phone_and_is_accessible(
    browser: Any, live_app: Flask, base_url: str, tmp_path: Path, email: str
) -> None:
    folder = artifact_folder(tmp_path) / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    add_draft(live_app)
    wide: list[str] = []
    visited = 0
    for size in WIDTHS:
        for page in visit_every_page(browser, base_url, email, size):
            page.screenshot(
                path=str(folder / screenshot_name(email, size[0], page.url)), full_page=True
            )
            problem = sideways(page)
            if problem:
                wide.append(problem)
            assert_accessible(page)
            assert_nothing_covered(page)
            visited += 1
    assert visited == 2 * len(PAGES[email])
    assert wide == []
