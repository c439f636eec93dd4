"""Every main page, for each role, at 1280 px and at 390 px: no sideways scroll, no axe-core
violation, and a full-page screenshot kept for review (issue 12, "Phones" and "Looking").

The screenshots go to CONSULT_TEST_ARTIFACTS (CI keeps them), else to the test's
temporary folder, named role-width-page.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import assert_accessible, sign_in
from tests.exports.poppler import artifact_folder

DOC = "/documents/human-rights-borders"
WIDTHS = ((1280, 900), (390, 844))

# Pages each role comes to; "{clause}", "{comment}", "{first}" and "{second}" (the
# demo's closed and open rounds) are found on the demo's pages: ids differ by database.
PAGES: dict[str, list[str]] = {
    "germany@consult.example": [
        "/",
        "/rounds",
        DOC,
        f"{DOC}/v3",
        f"{DOC}/v3/clauses/{{clause}}",
        f"{DOC}/history/{{clause}}",
        f"{DOC}/compare/2/3",
        f"{DOC}/compare/2/3?view=side",
        "/our-comments",
        "/comments/{comment}",
        "/rounds/{second}",
        "/rounds/{second}/comments",
        "/rounds/{second}/comment",
        "/rounds/{first}/outcome",
        f"{DOC}/v3/pdf",
    ],
    "secretariat@consult.example": [
        "/",
        "/rounds",
        "/rounds/{first}",
        "/rounds/{first}/responses",
        f"{DOC}/matrix",
        f"{DOC}/matrix/summary",
        "/standard-answers",
        f"{DOC}/compare/2/3/renumbering",
        f"{DOC}/v3/rounds/new",
    ],
    "drafter@consult.example": ["/", "/documents/new", f"{DOC}/upload", f"{DOC}/v3"],
    "admin@consult.example": ["/", "/admin/organisations", "/admin/users", "/admin/audit"],
}


def _found(page: Any, url: str, pattern: str) -> str:
    """Return the first part of a link on ``url`` matching ``pattern`` (a group)."""
    page.goto(url)
    for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
        match = re.search(pattern, href)
        if match:
            return match.group(1)
    raise AssertionError(f"no link like {pattern} on {url}")


def _rounds(page: Any) -> dict[str, str]:
    """Return the demo rounds' ids, as "first" (closed) and "second" (open)."""
    page.goto("/rounds")
    ids = {}
    for link in page.locator("table.rounds a[href*='/rounds/']").all():
        match = re.search(r"/rounds/(\d+)$", link.get_attribute("href") or "")
        title = link.inner_text().strip()
        if match and title in ("First expert meeting", "Second expert meeting"):
            ids["first" if title.startswith("First") else "second"] = match.group(1)
    assert set(ids) == {"first", "second"}, ids
    return ids


def _name(email: str, width: int, url: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "home"
    return f"{email.split('@')[0]}-{width}-{slug}.png"


@pytest.mark.parametrize("email", sorted(PAGES))
def test_every_main_page_fits_a_phone_and_is_accessible(
    browser: Any, base_url: str, tmp_path: Path, email: str
) -> None:
    folder = artifact_folder(tmp_path) / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    sideways: list[str] = []
    for width, height in WIDTHS:
        context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        sign_in(page, email)
        names: dict[str, str] = _rounds(page)
        for template in PAGES[email]:
            if "{clause}" in template and "clause" not in names:
                names["clause"] = _found(page, f"{DOC}/v3", r"/v3/clauses/([^?#]+)$")
            if "{comment}" in template and "comment" not in names:
                names["comment"] = _found(page, "/our-comments", r"/comments/(\d+)$")
            url = template.format(**names)
            response = page.goto(url)
            assert response is not None and response.status == 200, (email, url)
            page.screenshot(path=str(folder / _name(email, width, url)), full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                sideways.append(f"{url} at {width} px: {scroll} px wide")
            assert_accessible(page)
        context.close()
    assert sideways == []
