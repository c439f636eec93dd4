"""The main pages of the demo, for each role, and how a browser test reaches them.

Used by the every-page tests (test_every_page.py at 1280 and 390 px with
screenshots and axe-core, test_every_page_sizes.py at laptop and desktop sizes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask

from consult.extensions import db
from consult.services import drafts
from tests.e2e.conftest import DRAFTS, sign_in

DOC = "/documents/human-rights-borders"
BRIEF = "/documents/gmg-issues-brief"

# Pages each role comes to; "{clause}", "{comment}" (one of Germany's comments in the open
# round), "{first}" and "{second}" (the demo's closed and open rounds) are found on the
# demo's pages: ids differ by database. The drafter's pages include the preview of a
# draft that `add_draft` adds to the demo.
PAGES: dict[str, list[str]] = {
    "germany@consult.example": [
        "/",
        "/rounds",
        DOC,
        f"{DOC}/v3",
        f"{DOC}/v3?text=fr",
        f"{DOC}/v3?text=fr&beside=en",
        f"{DOC}/v3/clauses/{{clause}}",
        f"{DOC}/v3/clauses/{{clause}}?text=fr&beside=en",
        f"{DOC}/history/{{clause}}",
        f"{DOC}/compare/2/3",
        f"{DOC}/compare/2/3?view=side",
        "/our-comments",
        "/comments/{comment}",
        "/comments/{comment}/edit",
        "/comments/{comment}/withdraw",
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
        "/rounds/{second}",
        "/rounds/{second}/edit",
        "/rounds/{second}/close",
        f"{DOC}/matrix",
        f"{DOC}/matrix/summary",
        "/standard-answers",
        f"{DOC}/compare/2/3/renumbering",
        f"{DOC}/v3/rounds/new",
    ],
    "drafter@consult.example": [
        "/",
        "/documents/new",
        f"{DOC}/upload",
        f"{DOC}/v3",
        f"{DOC}/v3/translations/new",
        f"{DOC}/v3/translations/fr",
        f"{BRIEF}/v3/preview",
        f"{BRIEF}/v3/publish",
    ],
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


def _own_open_comment(page: Any, round_id: str) -> str:
    """Return the id of a comment of the reader's organisation in the open round."""
    page.goto(f"/rounds/{round_id}/comments")
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    for href in links:
        match = re.search(r"/comments/(\d+)$", href)
        if match:
            page.goto(f"/comments/{match.group(1)}")
            if page.locator("a.withdraw-link").count():
                return match.group(1)
    raise AssertionError(f"no comment of the reader's own in round {round_id}")


def add_draft(app: Flask) -> None:
    """Add an unpublished third version of the demo's issues brief, for the drafter's pages."""
    with app.app_context():
        slug = BRIEF.rsplit("/", 1)[1]
        if len(drafts.get_document(slug).versions) >= 3:
            return
        revision = (DRAFTS / slug / "v2.md").read_text(encoding="utf-8")
        revision = revision.replace("label: ", "label: Third draft, ").rstrip() + (
            "\n\nA closing paragraph added for the third draft.\n"
        )
        drafts.import_draft(revision.encode(), document_slug=slug, filename="v3.md")
        db.session.remove()


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


def screenshot_name(email: str, width: int, url: str) -> str:
    """Name a page's screenshot by role, width and address: role-width-page.png."""
    path = re.sub(r"^https?://[^/]+", "", url)
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
    return f"{email.split('@')[0]}-{width}-{slug}.png"


def visit_every_page(
    browser: Any,
    base_url: str,
    email: str,
    size: tuple[int, int],
    prepare: Callable[[Any], None] | None = None,
    language: str | None = None,
) -> Iterator[Any]:
    """Sign in as `email` in a window of `size`, and yield the browser tab on each of its pages.

    Each page is asserted to answer 200; the tab's URL is the page's. `prepare`, if
    given, is called with the browser context before its first page is opened. With
    `language`, the browser asks for the pages in that language once signed in (its
    Accept-Language; the account's own choice is left as it is).
    """
    width, height = size
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    try:
        if prepare is not None:
            prepare(context)
        page = context.new_page()
        sign_in(page, email)
        if language is not None:
            context.set_extra_http_headers({"Accept-Language": language})
        names: dict[str, str] = _rounds(page)
        for template in PAGES[email]:
            if "{clause}" in template and "clause" not in names:
                clause_link = r"/v3/clauses/([^?#]+)(?:\?text=[a-z]+)?$"
                names["clause"] = _found(page, f"{DOC}/v3", clause_link)
            if "{comment}" in template and "comment" not in names:
                names["comment"] = _own_open_comment(page, names["second"])
            url = template.format(**names)
            response = page.goto(url)
            assert response is not None and response.status == 200, (email, url)
            yield page
    finally:
        context.close()


def sideways(page: Any) -> str | None:
    """Say how wide the page is when it is wider than its window, else None."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    width = page.viewport_size["width"]
    return f"{page.url} at {width} px: {scroll} px wide" if scroll > width else None
