"""The consolidated PDF of the sample document, variant by variant.

Each variant's HTML is compared with its golden file (tests/exports/golden,
see golden_html), and its PDF is read back as a person's tools read it:
pdftotext for the words and their order, pdfinfo for the pages, their size,
the metadata and the destinations, pdftohtml for the bookmarks.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from consult.extensions import db
from consult.services.consolidated import PdfRequest, consolidated_html, render_consolidated
from tests import factories
from tests.exports import consolidated_sample as sample
from tests.exports import golden_html
from tests.exports.poppler import (
    artifact_folder,
    one_line,
    page_png,
    pdf_fonts,
    pdf_info,
    pdf_pages,
    pdf_text,
    run,
)

CLEAN = PdfRequest("sample", 2)
CHANGES = PdfRequest("sample", 2, "changes")
COMMENTS = PdfRequest("sample", 2, "comments", matrix_annex=True)


@pytest.fixture
def world(app: Flask) -> sample.Sample:
    return sample.build(app)


def render(request: PdfRequest, viewer: object = None) -> bytes:
    out = io.BytesIO()
    render_consolidated(viewer, request, sample.MADE, out)  # type: ignore[arg-type]
    return out.getvalue()


def in_order(text: str, *pieces: str) -> None:
    """Assert that each piece is in `text` (white space joined), after the one before."""
    flat = one_line(text)
    at = 0
    for piece in pieces:
        found = flat.find(piece, at)
        assert found >= 0, f"{piece!r} not found after position {at} in {flat[at : at + 300]!r}"
        at = found + len(piece)


def outline(data: bytes) -> list[tuple[int, str]]:
    """Return the bookmarks as (depth, title), as pdftohtml reads them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(data)
        xml = run("pdftohtml", "-xml", "-i", "-stdout", "-q", str(path))
    found: list[tuple[int, str]] = []
    depth = -1
    for tag in re.finditer(r"<outline>|</outline>|<item[^>]*>([^<]*)</item>", xml):
        if tag.group(0) == "<outline>":
            depth += 1
        elif tag.group(0) == "</outline>":
            depth -= 1
        else:
            found.append((depth, tag.group(1)))
    return found


def destinations(data: bytes) -> dict[str, int]:
    """Return the PDF's named destinations and their pages."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(data)
        out = run("pdfinfo", "-dests", str(path))
    return {m[2]: int(m[1]) for m in re.finditer(r'^\s*(\d+) \[[^\]]*\] "([^"]*)"', out, re.M)}


@pytest.mark.parametrize(
    ("name", "request_"),
    [("clean", CLEAN), ("changes", CHANGES), ("comments-with-matrix", COMMENTS)],
)
def test_the_html_matches_its_golden_file(
    world: sample.Sample, name: str, request_: PdfRequest
) -> None:
    golden_html.check(name, consolidated_html(None, request_, sample.MADE))


def test_the_clean_text(world: sample.Sample, tmp_path: Path) -> None:
    data = render(CLEAN)
    info = pdf_info(data)
    assert info["Title"] == "Sample Principles, version 2"
    assert info["Author"] == "Consult"  # no publisher set
    assert info["Subject"] == "Version 2 (Second draft): Clean text"
    assert "Second expert meeting" in info["Keywords"]
    assert info["CreationDate"].startswith("2026-03-18T09:00:00")
    assert info["Tagged"] == "yes"
    cover = pdf_text(data, 1, 1)
    in_order(
        cover,
        "Draft: for consultation".upper(),
        "Sample Principles",
        "Version 2",
        "Second draft",
        "Published 20 February 2026",
        "Clean text",
        "Second expert meeting",
        "12 March 2026 to 13 March 2026, Geneva",
        "Comments from 2 March 2026 to 16 March 2026",
    )
    contents = one_line(pdf_text(data, 2, 2))
    for entry in ("Part I Principles", "Principle 1 Dignity", "Guideline 2 Evaluation"):
        assert re.search(re.escape(entry) + r"[ .]*3\b", contents), (entry, contents)
    text = pdf_text(data, 3)
    in_order(
        text,
        "Part I",
        "Principles",
        "Principle 1",
        "Everyone at an international border shall be treated with dignity and respect.",
        "Principle 3",
        "Remedies",
        "Guideline 1",
        "1.",
        "States should train border officials in human rights.",
        "(a)",
        "the identification of persons in vulnerable situations.",
        "Guideline 2",
        "Training should be evaluated every year.",
    )
    assert "Germany" not in text  # the clean text has no comments
    # Every clause is a destination a link can name, and the headings are bookmarks.
    assert {"principle-dignity", "principle-dignity-p1", "guideline-1.2.a"} <= set(
        destinations(data)
    )
    assert outline(data) == [
        (0, "Contents"),
        (0, "Part I Principles"),
        (1, "Principle 1 Dignity"),
        (1, "Principle 2 Non-discrimination"),
        (1, "Principle 3 Remedies"),
        (0, "Part II Guidelines"),
        (1, "Guideline 1 Training"),
        (1, "Guideline 2 Evaluation"),
    ]
    folder = artifact_folder(tmp_path)
    for page, name in ((1, "cover"), (2, "contents"), (3, "text")):
        page_png(data, folder, f"consolidated-clean-{name}", page, dpi=60)


def test_the_changes(world: sample.Sample, tmp_path: Path) -> None:
    data = render(CHANGES)
    assert pdf_info(data)["Subject"] == (
        "Version 2 (Second draft): Text with the changes since version 1"
    )
    summary = pdf_text(data, 3, 3)
    in_order(
        summary,
        "Summary of changes",
        "Unchanged 7",
        "Changed 2",
        "Moved 1",
        "Renumbered 1",
        "Added 3",
        "Removed 1",
        "Renumbered Principle 2 Principle 3",
        "Removed Guideline 1, paragraph 2, item (b) —",
        "Moved Guideline 1, paragraph 3 Guideline 2, paragraph 1",
    )
    text = pdf_text(data, 4)
    in_order(
        text,
        "Principle 1",
        "international",  # inserted
        "and respect",  # inserted
        "Added",
        "Non-discrimination",
        "Was Principle 2",
        "Principle 3",
        "the use of force.",  # removed, where it stood
        "Moved from Guideline 1, paragraph 3",
        "Training should be evaluated every year.",
    )
    page_png(data, artifact_folder(tmp_path), "consolidated-changes-text", 4, dpi=60)


def test_the_comments_with_the_matrix_annexed(world: sample.Sample, tmp_path: Path) -> None:
    data = render(COMMENTS)
    info = pdf_info(data)
    pages = int(info["Pages"])
    sizes = run_sizes(data)
    assert sizes[0] == (595, 842)  # A4 portrait
    assert sizes[-1] == (842, 595)  # the annex: A4 landscape
    text = pdf_text(data, 3, pages - 1)
    in_order(
        text,
        "Comments on the document as a whole",
        "Border Aid",
        "Border Aid welcomes the draft as a whole.",
        "Principle 1",
        "Everyone at an international border shall be treated with dignity and respect.",
        "Germany",
        "Substantive",
        "Germany asks for respect to be named first.",
        "Proposed change:",
        "Secretariat: Accepted in part.",
        "Respect is added.",
        "Principle 2",
        "(a)",
        "Border Aid",
        "Editorial",
        "Guideline 2",
        "Training should be evaluated every year.",
        "Every two years would be enough.",
        "Secretariat: Not accepted.",
        "Yearly is the norm.",
    )
    assert sample.ARABIC_COMMENT.rstrip(".") in text or "ينبغي" in text
    annex = layout_text(data, pages)
    in_order(annex, "Tracking no.", "MB/NC", "Comments", "Proposed change", "Disposition")
    in_order(
        annex,
        "Annex: comment matrix",
        "Whole document",
        "1 BA-001 BA (NGO) ge (General) Border Aid welcomes the draft as a whole.",
        "Principle 1, paragraph 1",
        "2 DE-001 DE te Germany asks for respect to be named first.",
        "Accepted in",
        "Guideline 2, paragraph 1",
        "4 DE-002 DE te Every two years would be enough.",
        "Not",
        "Yearly is the norm.",
    )
    folder = artifact_folder(tmp_path)
    page_png(data, folder, "consolidated-comments-text", 3, dpi=60)
    page_png(data, folder, "consolidated-annex", pages, dpi=60)


def layout_text(data: bytes, page: int) -> str:
    """Return one page's text laid out as on the page (a table's cells on their row's line)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(data)
        return run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-")


def run_sizes(data: bytes) -> list[tuple[int, int]]:
    """Return each page's size in whole points."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(data)
        out = run("pdfinfo", "-f", "1", "-l", "9999", str(path))
    return [
        (round(float(m[1])), round(float(m[2])))
        for m in re.finditer(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    ]


def test_the_cover_names_publisher_symbol_and_language(app: Flask, world: sample.Sample) -> None:
    document = world.v2.document
    document.symbol = "A/HRC/WG.9/1/L.2"
    document.publisher = "Office of the High Commissioner"
    document.language = "fr"
    db.session.commit()
    data = render(CLEAN)
    info = pdf_info(data)
    assert info["Author"] == "Office of the High Commissioner"
    in_order(pdf_text(data, 1, 1), "Office of the High Commissioner", "A/HRC/WG.9/1/L.2")
    # The PDF takes the language of the version's own text (English, as its words show when
    # it was imported), not the document's, which a later version's front matter may change.
    assert '<html lang="en">' in consolidated_html(None, CLEAN, sample.MADE)


ARABIC_DRAFT = """---
document: arabic
title: مبادئ حقوق الإنسان على الحدود
label: المسودة الأولى
---

# مبادئ حقوق الإنسان على الحدود

## الجزء الأول: المبادئ

### المبدأ 1: الكرامة

يعامل كل شخص على الحدود بكرامة واحترام.

### 原则 2

每个人都应有效地获得补救。

### Принцип 3

Каждый имеет право на эффективное средство правовой защиты.
"""


def test_arabic_runs_right_to_left_and_every_script_has_its_glyphs(
    app: Flask, tmp_path: Path
) -> None:
    version = factories.version(ARABIC_DRAFT, slug="arabic")
    version.document.language = "ar"
    db.session.commit()
    request = PdfRequest("arabic", 1)
    html = consolidated_html(None, request, sample.MADE)
    page = golden_html.normalise(html)
    assert '<html dir="rtl" lang="ar">' in page
    # Marked where the script shows it, and left to right within the right-to-left text.
    assert re.search(
        r'<div class="clause heading-clause rank-2" dir="ltr" id="[^"]+" lang="zh">', page
    )
    assert re.search(
        r'<div class="clause heading-clause rank-2" dir="ltr" id="[^"]+" lang="ru">', page
    )
    out = io.BytesIO()
    render_consolidated(None, request, sample.MADE, out)
    data = out.getvalue()
    assert pdf_info(data)["Title"].startswith("مبادئ حقوق الإنسان على الحدود")
    fonts = pdf_fonts(data)
    assert fonts and all(font.embedded for font in fonts)
    words = [word for page in pdf_pages(data)[2:] for word in page.words]
    for expected in ("الكرامة", "بكرامة", "эффективное"):
        assert any(word.spells(expected) for word in words), expected
    assert "每个人都应有效地获得补救" in "".join(pdf_text(data).split())
    # Right to left: the heading's words end at the right margin, the text's too.
    dignity = next(word for word in words if word.spells("الكرامة"))
    assert dignity.x_max > 595 * 0.75
    page_png(data, artifact_folder(tmp_path), "consolidated-arabic-text", 3, dpi=80)


def test_a_round_title_with_a_direction_override_cannot_reorder_the_annex(
    world: sample.Sample,
) -> None:
    """Attack: a round titled with U+202E RIGHT-TO-LEFT OVERRIDE would turn the rest of
    the annex's sentence ("…: 4 comments, in the columns…") backwards in the PDF. The
    title stands between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE there (the
    PDF engine's text layout honours them), as typed."""
    title = "Second \u202eexpert meeting"
    world.round.title = title
    db.session.commit()
    html = consolidated_html(None, COMMENTS, sample.MADE)
    intro = BeautifulSoup(html, "html.parser").select_one("p.annex-intro")
    assert intro is not None
    assert intro.get_text(strip=True).startswith(f"\u2068{title}\u2069: 4 comments")
