"""How the consolidated PDF sets its text: hanging numbers, the marks of a diff, the annex.

Read back from the PDF as a reader's tools see it (pdftotext, its word boxes
and its layout mode), and from the HTML where the PDF cannot tell (a tab).
"""

from __future__ import annotations

import io
import re
import tempfile
from datetime import timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from flask import Flask

from consult.models import Clause
from consult.services.consolidated import PdfRequest, consolidated_html, render_consolidated
from tests import factories
from tests.exports import consolidated_sample as sample
from tests.exports.poppler import one_line, pdf_pages, pdf_text, run
from tests.exports.test_consolidated import layout_text

ANNEX = PdfRequest("sample", 2, "comments", matrix_annex=True)

WRAPPED_DRAFT = """---
document: wrapped
title: Wrapped Principles
label: First draft
---

# Wrapped Principles

## Principle 1: Access

1. Everyone arriving at an international border, whatever the manner of arrival,
   shall have access to information about their rights in a language they understand,
   to an interpreter where needed, and to a lawyer of their choosing, at every stage
   of any procedure that concerns them.
2. States should keep records.
"""


def render(request: PdfRequest) -> bytes:
    out = io.BytesIO()
    render_consolidated(None, request, sample.MADE, out)
    return out.getvalue()


def test_a_clause_number_hangs_in_the_margin_before_its_text(app: Flask) -> None:
    factories.version(WRAPPED_DRAFT, slug="wrapped")
    request = PdfRequest("wrapped", 1)
    soup = BeautifulSoup(consolidated_html(None, request, sample.MADE), "html.parser")
    first = soup.select("p.numbered")[0].get_text()
    # The number, a tab, then the paragraph's words on one line however the draft wrapped them.
    assert first.startswith("1.\tEveryone arriving at an international border, whatever")
    assert "\n" not in first and "  " not in first
    words = [word for page in pdf_pages(render(request))[2:3] for word in page.words]
    number = next(word for word in words if word.text == "1.")
    everyone = next(word for word in words if word.text == "Everyone")
    following = next(word for word in words if word.text == "2.")
    # The lines of the paragraph, by the top of their words: each starts at its words' edge.
    lines: dict[int, float] = {}
    for word in words:
        if number.y_min - 1 < word.y_min < following.y_min - 1:
            top = round(word.y_min)
            lines[top] = min(lines.get(top, word.x_min), word.x_min)
    starts = [x for top, x in sorted(lines.items())][1:]
    assert len(starts) >= 2, "the paragraph should wrap"
    assert all(abs(x - everyone.x_min) < 1 for x in starts), (everyone.x_min, starts)
    # The number stands in the margin, on the first line, left of the text's edge.
    assert number.x_max < everyone.x_min - 5
    assert number.y_min < everyone.y_max and everyone.y_min < number.y_max
    assert abs(following.x_min - number.x_min) < 1


def test_the_marks_are_explained_and_kept_apart(app: Flask) -> None:
    sample.build(app)
    changes = render(PdfRequest("sample", 2, "changes"))
    key = "Key: deleted words are struck through; inserted words are underlined."
    assert key in one_line(pdf_text(changes, 3, 3))  # the summary of changes
    comments = one_line(pdf_text(render(PdfRequest("sample", 2, "comments"))))
    assert key in comments
    # A replaced word and its replacement read as two words, not one.
    assert "Training should be evaluated every year two years." in comments
    assert "treated with dignity and respect respect and dignity." in comments


def _annex_pages(data: bytes) -> list[str]:
    """Return the layout text of each landscape page (the annex), in order."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(data)
        sizes = run("pdfinfo", "-f", "1", "-l", "9999", str(path))
    return [
        layout_text(data, int(number))
        for number, width, height in re.findall(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", sizes)
        if float(width) > float(height)
    ]


def test_the_annex_says_each_clauses_fate_once_in_its_caption(app: Flask) -> None:
    world = sample.build(app)
    sample.clock(app, sample.T0 + timedelta(days=2))
    evaluation = next(c for c in world.v2.clauses if c.key == "guideline-1.3")
    factories.comment(world.round.id, world.ngo, evaluation, body="Yearly is right.")
    sample.clock(app, sample.MADE)
    factories.version(sample.SAMPLE_V2.replace("every year", "every second year"))
    pages = _annex_pages(render(ANNEX))
    assert pages
    annex = "\n".join(pages)
    header = annex.split("Annex: comment matrix")[0]
    assert "Proposed change" in header and "Observations of the secretariat" in header
    # What the matrix repeats on each row of a clause is said once, above its rows.
    assert "In the next version" not in header and "Clause/Subclause" not in header
    flat = one_line(annex)
    fate = "Changed in version 3 (now Guideline 2, paragraph 1)"
    assert flat.count(fate) == 1
    at = flat.index("Guideline 2, paragraph 1 · " + fate + ": Training should be evaluated")
    assert flat.index("second year", at) < flat.index("4 DE-002 DE", at) < flat.index("5 BA-", at)
    assert "Principle 1, paragraph 1 · Unchanged in version 3" in flat
    # A row's cells are on its number's line: number, tracking, organisation, type, comment.
    assert re.search(r"^4 +DE-002 +DE +te +Every two years would be enough\.", annex, re.M)


def test_no_clause_caption_is_left_alone_at_the_foot_of_an_annex_page(app: Flask) -> None:
    world = sample.build(app)
    sample.clock(app, sample.T0 + timedelta(days=2))
    clauses = [c for c in world.v2.clauses if c.text]
    words = ["the", "border", "authorities", "should", "consider", "this", "point", "again"]
    for n in range(48):
        clause: Clause = clauses[(n * 5 // 3) % len(clauses)]
        body = f"Comment {n}: " + " ".join(words[i % len(words)] for i in range(12 + n * 7 % 60))
        factories.comment(world.round.id, (world.state, world.ngo)[n % 2], clause, body=body)
    sample.clock(app, sample.MADE)
    data = render(ANNEX)
    pages = _annex_pages(data)
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        lines = [
            line
            for line in page.splitlines()
            if line.strip() and not re.match(r"\s*Page \d+ of \d+", line)
        ]
        # Every annex page ends inside a row: on a row's first line (its number) or on a
        # line of its cells (indented); a line at the margin without a number is a caption.
        last = lines[-1]
        assert re.match(r"\d+ |\s", last), f"annex page {number} ends with {last.strip()!r}"
