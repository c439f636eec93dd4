"""Every main page in Arabic, for each role, at 1280 px and at 390 px: right to left, mirrored,
no word of the interface left in English, no sideways scroll, nothing covered, no axe-core
violation, and a full-page screenshot kept for review (CONSULT_TEST_ARTIFACTS/arabic).

The documents of the demo are written in English: their titles, clauses and the comments on
them are the text being consulted on, not the interface, and stay as written; so do the
names of people, organisations and rounds. What is checked for English is the interface
around them: the header, every button, label, table heading, legend and summary, and the
flashed messages. A run of Latin text there is the interface's unless it is found, as
written, in what the database holds (a name, a title, a clause's key, number, heading or
text, which pages also quote in part).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import Clause, Comment, Document, Organisation, Round, User, Version
from tests.e2e.conftest import assert_accessible, assert_nothing_covered, sign_in
from tests.e2e.main_pages import PAGES, add_draft, screenshot_name, sideways, visit_every_page
from tests.exports.poppler import artifact_folder

WIDTHS = ((1280, 900), (390, 844))

# Latin words an Arabic page may show in its interface: the platform's name, formats and
# units, and codes that are the same in every language.
ALLOWED = {"Consult", "PDF", "XLSX", "DOCX", "CSV", "UTC", "Markdown", "YAML", "ISO", "alpha"}
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:'’&/-]*")

# The interface's own words: the texts of these elements, less what they quote (a
# person's or organisation's name, a document's title or clause, a typed value: the
# templates isolate each in <bdi>, <cite>, <q> or <code>, or give it lang="...").
INTERFACE_TEXT = """
() => {
  const picked = document.querySelectorAll(
    'header.site nav a, header.site summary, header.site button, header.site .account a,' +
    'main button, main label, main th, main legend, main summary, main .message,' +
    'main input[type=submit]'
  );
  const texts = [];
  for (const element of picked) {
    if (!element.getClientRects().length) continue;
    const copy = element.cloneNode(true);
    copy.querySelectorAll('bdi, cite, q, code, kbd, [lang]:not([lang=ar]), .visually-hidden')
      .forEach((quoted) => quoted.remove());
    const text = (copy.value || copy.textContent || '').trim();
    if (text) texts.push(text);
  }
  return texts;
}
"""


def data_corpus(app: Flask) -> str:
    """Everything the database holds that pages quote as it was written, one per line."""
    columns = (
        Organisation.name,
        Organisation.code,
        User.name,
        Round.title,
        Round.place,
        Document.title,
        Document.slug,
        Version.label,
        Clause.key,
        Clause.number,
        Clause.heading,
        Clause.text,
        Comment.tracking_number,
    )
    with app.app_context():
        found = [str(v) for column in columns for v in db.session.scalars(select(column)) if v]
        db.session.remove()
    return "\n".join(" ".join(value.split()) for value in found)


def english_words(page: Any, corpus: str) -> list[str]:
    """The Latin words of the interface's own texts on `page` (none expected in Arabic)."""
    found = []
    for text in page.evaluate(INTERFACE_TEXT):
        for run in LATIN_RUN.findall(" ".join(text.split())):
            run = run.strip(" ,.;:(–-")
            if not run or run in corpus:
                continue
            words = [w for w in re.findall(r"[A-Za-z]{3,}", run) if w not in ALLOWED]
            if words:
                found.append(f"{' '.join(words)} (in {text[:60]!r})")
    return found


def mirrored(page: Any) -> str | None:
    """Say what is not mirrored on a wide page, else None: the platform's name is at the
    right-hand end of the header, and the language switch at the left-hand end."""
    width = page.viewport_size["width"]
    brand = page.locator("header.site .brand").bounding_box()
    switch = page.locator("form.languages ul").bounding_box()
    if brand is None or switch is None:
        return f"{page.url}: no header"
    if brand["x"] + brand["width"] < width * 0.75:
        return f"{page.url}: the platform's name is not at the right ({brand})"
    if switch["x"] > width * 0.5:
        return f"{page.url}: the language switch is not at the left ({switch})"
    return None


@pytest.mark.parametrize("email", sorted(PAGES))
def test_every_main_page_in_arabic_reads_right_to_left(
    browser: Any, live_app: Flask, base_url: str, tmp_path: Path, email: str
) -> None:
    folder = artifact_folder(tmp_path) / "arabic"
    folder.mkdir(parents=True, exist_ok=True)
    add_draft(live_app)
    corpus = data_corpus(live_app)
    problems: list[str] = []
    visited = 0
    for size in WIDTHS:
        for page in visit_every_page(browser, base_url, email, size, language="ar"):
            html = page.locator("html")
            assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
            page.screenshot(
                path=str(folder / screenshot_name(email, size[0], page.url)), full_page=True
            )
            path_only = re.sub(r"^https?://[^/]+", "", page.url)
            problems += [f"{path_only} at {size[0]}: {w}" for w in english_words(page, corpus)]
            if size[0] >= 1280:
                problems += [m for m in [mirrored(page)] if m]
            problems += [s for s in [sideways(page)] if s]
            assert_accessible(page)
            assert_nothing_covered(page)
            visited += 1
    assert visited == 2 * len(PAGES[email])
    (folder / f"{email.split('@')[0]}-problems.txt").write_text("\n".join(problems))
    assert problems == []


def test_the_version_page_puts_its_contents_on_the_right_in_arabic(
    browser: Any, base_url: str
) -> None:
    """The contents sit beside the text on the reading-order start side: left in English,
    right in Arabic."""
    sides = {}
    for language in ("en", "ar"):
        context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768})
        try:
            page = context.new_page()
            sign_in(page, "germany@consult.example")
            context.set_extra_http_headers({"Accept-Language": language})
            page.goto("/documents/human-rights-borders/v3")
            contents = page.locator("nav.toc").bounding_box()
            text = page.locator("#clauses").bounding_box()
            assert contents is not None and text is not None
            sides[language] = "left" if contents["x"] < text["x"] else "right"
        finally:
            context.close()
    assert sides == {"en": "left", "ar": "right"}
