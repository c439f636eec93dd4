"""A drafter uploads a revision, corrects one proposed match, publishes, and compares."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import DRAFTS, assert_accessible, sign_in

REWORDED_FROM = "International borders are not zones of exception from human rights."
REWORDED_TO = (
    "Sovereign control of entry remains subject to treaty obligations, which bind "
    "officials wherever they act."
)
ADDED = "States should publish an annual report on human rights at their borders."


def test_drafter_corrects_a_match_publishes_and_compares(page: Any) -> None:
    text = (DRAFTS / "human-rights-borders" / "v3.md").read_text(encoding="utf-8")
    assert REWORDED_FROM in text
    revision = text.replace("label: Final text", "label: Post-adoption corrigendum")
    paragraph = next(p for p in revision.split("\n\n") if p.startswith(REWORDED_FROM))
    # The paragraph is rewritten and moved to the end: neither its words nor its place
    # say what it continues (in its own place it would be proposed as its new wording).
    revision = revision.replace(paragraph + "\n\n", "")
    revision = revision.rstrip() + f"\n\n{ADDED}\n\n{REWORDED_TO}\n"

    sign_in(page, "drafter@consult.example")
    page.goto("/documents/human-rights-borders/upload")
    page.get_by_label("Or paste the text of the draft").fill(revision)
    page.get_by_role("button", name="Import and preview").click()
    page.wait_for_load_state()
    assert re.search(r"/documents/human-rights-borders/v4/preview$", page.url)
    assert_accessible(page)

    # Rewritten beyond recognition and moved, the paragraph is proposed as new and the
    # old one as removed; the drafter ties it to the paragraph it replaces.
    rewritten = page.locator("li.match-added", has_text="Sovereign control")
    assert rewritten.count() == 1
    assert page.locator("li.match-added").count() == 2
    removed = page.locator("li.match-removed", has_text="not zones of exception")
    old_key = removed.locator("code").inner_text().strip()
    rewritten.locator("input[type=text]").fill(old_key)
    page.get_by_role("button", name="Save the matching").click()
    page.wait_for_load_state()
    assert page.locator("li.match-added").count() == 1
    assert page.locator("li.match-removed").count() == 0
    tied = page.locator("li.match-moved", has_text="Sovereign control")
    assert old_key in tied.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Publish version 4").click()
    page.wait_for_load_state()
    assert re.search(r"/v4/publish$", page.url)  # a page says what publishing does
    assert "can never be changed or deleted" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, publish version 4").click()
    page.wait_for_load_state()
    assert re.search(r"/documents/human-rights-borders/v4$", page.url)

    page.goto("/documents/human-rights-borders")
    page.get_by_role("link", name=re.compile("Compare versions")).click()
    page.wait_for_load_state()
    assert re.search(r"/compare", page.url)
    main = page.locator("main").inner_text()
    assert ADDED in main and "Sovereign control" in main
    first = page.locator("li", has_text="Sovereign control").first
    assert "moved" in first.inner_text().lower()
    assert first.locator("del").count() >= 1 and first.locator("ins").count() >= 1
    assert_accessible(page)
    # Unchanged clauses are folded: a summary opens each run (no script), and a link
    # shows its text.
    fold = page.locator("li.fold details").first
    summary = fold.locator("summary")
    assert re.fullmatch(r"\d+ unchanged clauses?", summary.inner_text().strip())
    assert not fold.get_by_role("link").is_visible()
    summary.click()
    assert fold.get_by_role("link", name=re.compile("Show the text of th")).is_visible()
    assert_accessible(page)
    fold.get_by_role("link").click()
    page.wait_for_load_state()
    assert "open=" in page.url and page.locator("li.row-unchanged").count() >= 1
    page.get_by_role("link", name="Show only clauses that changed").click()
    page.wait_for_load_state()
    assert "unchanged=hide" in page.url
    assert "Sovereign control" in page.locator("main").inner_text()
    assert page.locator("li.fold").count() == 0
    assert_accessible(page)
    # The chooser: each radio sits beside its label, on one line.
    page.get_by_label("Side by side").check()
    page.get_by_label("Shown").check()
    for name in ("Side by side", "Shown"):
        radio = page.get_by_label(name).bounding_box()
        label = page.locator("label", has_text=name).bounding_box()
        assert radio and label and abs(radio["y"] - label["y"]) < label["height"]
        assert radio["x"] < label["x"]
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state()
    assert "view=side" in page.url and "unchanged=show" in page.url
    assert page.locator("table.side tr.row-unchanged").count() >= 1
    assert_accessible(page)
