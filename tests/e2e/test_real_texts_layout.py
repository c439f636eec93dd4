"""The largest real text of the corpus, read on a phone: nothing wider than the window.

Two versions of the German Residence Act (2012 and 2022, 1,465 and 2,186
clauses) are imported and published beside the demo. Their clause texts hold
indented lists that Markdown sets as blocks of code, long compound words and
footnote marks: at 390 px the version page, the comparison (inline, the
side-by-side table scrolling in its own region) and the document page must
not scroll sideways, and a link or control must not be covered.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from consult.extensions import db
from consult.services import drafts
from tests.corpus import CORPUS, require_corpus
from tests.e2e.conftest import assert_nothing_covered, sign_in

LAW = CORPUS / "de-aufenthg-residence-act"
VERSIONS = ("AufenthG_2012-08-06_after-bluecard-directive-act.md", "AufenthG_2022-01-28_stand.md")
PAGES = (
    "/documents/aufenthg",
    "/documents/aufenthg/v2",
    "/documents/aufenthg/compare/1/2",
    "/documents/aufenthg/compare/1/2?view=side",
)


@pytest.fixture(scope="module")
def law(live_app: Flask) -> None:
    require_corpus()
    with live_app.app_context():
        for name in VERSIONS:
            data = (LAW / name).read_bytes()
            drafts.import_draft(data, document_slug="aufenthg", filename=name, publish=True)
        db.session.remove()


def test_the_residence_act_fits_a_phone(page: Any, law: None) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "germany@consult.example")
    wide = []
    for url in PAGES:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append((url, width))
    assert wide == []
    page.goto("/documents/aufenthg/v2")
    # The contents of 2,186 clauses: each part's headings folded behind the toggle.
    page.locator("p.toc-toggle a").click()
    assert page.locator("nav.toc details.toc-fold").count() >= 10
    assert page.locator("nav.toc > ol > li > a").first.is_visible()
    assert_nothing_covered(page)
