"""A stakeholder signs in, reads a version and follows a clause's permanent link."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import assert_accessible, sign_in


def test_login_page_is_accessible(page: Any) -> None:
    page.goto("/login")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"
    assert_accessible(page)


def test_stakeholder_reads_a_version_and_follows_a_clause_link(page: Any) -> None:
    sign_in(page, "ngo@consult.example")
    assert page.url.endswith("/")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Recommended Principles")).first.click()
    page.wait_for_load_state()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"Version 1\b")).first.click()
    page.wait_for_load_state()
    assert re.search(r"/documents/human-rights-borders/v1$", page.url)
    assert "Principle 1" in page.locator("main").inner_text()
    assert_accessible(page)

    page.locator("a[href*='/clauses/principle-primacy']").first.click()
    page.wait_for_load_state()
    assert "/clauses/principle-primacy" in page.url
    assert "Primacy of human rights" in page.locator("main").inner_text()
    assert_accessible(page)
