"""Every main page, for each role, at a common laptop size (1366x768) and a desktop size
(1920x1080): no link, button or control covered by another element (the sticky contents
once covered the consultation box at laptop sizes) and no sideways scroll. The phone and
1280 px sizes are checked in test_every_page.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.e2e.conftest import assert_nothing_covered
from tests.e2e.main_pages import PAGES, add_draft, sideways, visit_every_page

SIZES = ((1366, 768), (1920, 1080))


@pytest.mark.parametrize("email", sorted(PAGES))
def test_nothing_covered_and_nothing_sideways_at_laptop_and_desktop_sizes(
    browser: Any, live_app: Flask, base_url: str, email: str
) -> None:
    add_draft(live_app)
    wide: list[str] = []
    visited = 0
    for size in SIZES:
        for page in visit_every_page(browser, base_url, email, size):
            problem = sideways(page)
            if problem:
                wide.append(problem)
            assert_nothing_covered(page)
            visited += 1
    assert visited == len(SIZES) * len(PAGES[email])
    assert wide == []
