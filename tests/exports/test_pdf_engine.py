"""The PDF engine (consult.exports.pdf), read back with poppler: metadata, fonts, footer, Arabic.

Each test renders a small HTML page of its own through `write_pdf`, linking
static/pdf/base.css as every PDF of the platform does, and checks the PDF as
a reader's tools see it.
"""

from __future__ import annotations

import gc
import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pydyf  # type: ignore[import-untyped]
import pytest
from flask import Flask
from markupsafe import Markup

from consult.exports import pdf
from consult.exports.pdf import css_string, page_footer_css, text_attributes, write_pdf
from tests.exports.poppler import (
    A4_WIDTH,
    LEFT_EDGE,
    RIGHT_EDGE,
    Word,
    artifact_folder,
    one_line,
    page_png,
    pdf_fonts,
    pdf_info,
    pdf_languages,
    pdf_pages,
    pdf_text,
    pdf_xmp,
    run,
)

SAMPLES = {
    "en": "Everyone at a border shall be treated with dignity.",
    "fr": "Toute personne à la frontière est traitée avec dignité.",
    "ru": "Каждый человек на границе имеет право на достойное обращение.",
    "zh": "边境上的每个人都应受到有尊严的对待。",
    "ar": "لكل شخص على الحدود الحق في معاملة كريمة.",
}


def page(body: str, head: str = "", lang: str = "en", footer: bool = True) -> str:
    """Return an HTML page as the platform's PDF templates write it."""
    footer_css = f"<style>{page_footer_css()}</style>" if footer else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<title>Test</title>{head}<link rel="stylesheet" href="pdf/base.css">{footer_css}'
        f"</head><body>{body}</body></html>"
    )


def render(html: str, progress: Callable[[str], None] | None = None) -> tuple[bytes, int]:
    out = io.BytesIO()
    pages = write_pdf(html, out, progress)
    return out.getvalue(), pages


def test_metadata_of_the_head_arrive_in_the_pdf(app: Flask) -> None:
    head = (
        '<meta name="author" content="Haut-Commissariat aux droits de l’homme">'
        '<meta name="description" content="Version 2, avec les modifications">'
        '<meta name="keywords" content="frontières, droits">'
        '<meta name="dcterms.created" content="2026-03-12T09:30:00Z">'
    )
    html = page(
        '<p>Un.</p><p style="break-before: page">Deux.</p><p style="break-before: page">Trois.</p>',
        head,
        lang="fr",
    ).replace("<title>Test</title>", "<title>Principes recommandés</title>")
    steps: list[str] = []
    data, pages = render(html, steps.append)

    assert pages == 3
    assert steps == ["layout", "writing"]
    info = pdf_info(data)
    assert info["Pages"] == "3"
    assert info["Title"] == "Principes recommandés"
    assert info["Author"] == "Haut-Commissariat aux droits de l’homme"
    assert info["Subject"] == "Version 2, avec les modifications"
    assert info["Keywords"] == "frontières, droits"
    assert info["CreationDate"].startswith("2026-03-12T09:30:00")
    assert info["Page size"].endswith("(A4)")
    # A tagged PDF/UA-1 file, in the document's language.
    assert info["Tagged"] == "yes"
    assert pdf_languages(data) == ["fr"]
    assert 'pdfuaid:part="1"' in pdf_xmp(data)


def test_links_and_tags_of_a_long_pdf_reach_every_page(app: Flask, tmp_path: Path) -> None:
    # write_pdf makes pydyf keep its list of page references between reads (the tagging
    # reads it for every element): links and the structure tree must still find each page.
    sections = "".join(
        f'<h2 id="part-{n}" style="break-before: page">Part {n}</h2><p>Words of part {n}.</p>'
        for n in range(1, 13)
    )
    links = "".join(f'<a href="#part-{n}">to part {n}</a> ' for n in (1, 7, 12))
    data, pages = render(page(f"<p>{links}</p>{sections}"))
    assert pages == 13
    path = tmp_path / "long.pdf"
    path.write_bytes(data)
    destinations = run("pdfinfo", "-dests", str(path))
    for n in (1, 7, 12):
        assert re.search(rf'^\s*{n + 1} \[[^\]]*\] "part-{n}"', destinations, re.M), destinations
    structure = run("pdfinfo", "-struct-text", str(path))
    for n in (1, 7, 12):
        assert f'"Words of part {n}."' in structure
    assert pdf_info(data)["Tagged"] == "yes"
    text = pdf_text(data, 13, 13)
    assert "Part 12" in text and "Page 13 of 13" in text


def test_the_tuned_writer_reads_the_pages_it_has_now() -> None:
    pdf.tune_pdf_writer()
    pdf.tune_pdf_writer()  # once is enough; twice changes nothing
    writer = pydyf.PDF()
    writer.add_page(pydyf.Dictionary())
    first = writer.page_references
    assert len(first) == 1 and writer.page_references is first  # kept between reads
    writer.add_page(pydyf.Dictionary())
    numbers = [kid for kid in writer.pages["Kids"][::3]]
    assert writer.page_references == tuple(f"{n} 0 R".encode() for n in numbers)


def test_rendering_leaves_the_garbage_collector_as_it_found_it(app: Flask) -> None:
    # write_pdf collects less often while it renders; a web worker that made a receipt
    # must get its own settings back, also when renderings overlap.
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    with pdf.fewer_collections():
        assert gc.get_threshold()[0] == pdf.RENDER_GC_THRESHOLD
        with pdf.fewer_collections():
            pass
        assert gc.get_threshold()[0] == pdf.RENDER_GC_THRESHOLD
        render(page("<p>One.</p>"))
        assert gc.get_threshold()[0] == pdf.RENDER_GC_THRESHOLD
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
    render(page("<p>Two.</p>"))
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_every_script_is_set_in_an_embedded_font_and_comes_back_as_text(app: Flask) -> None:
    body = (
        "".join(f"<p{text_attributes(text)}>{text}</p>" for text in SAMPLES.values())
        + f"<h2>{SAMPLES['ru']}</h2><p>{SAMPLES['en']} {SAMPLES['ar']} {SAMPLES['zh']}</p>"
    )
    data, _pages = render(page(body))

    fonts = pdf_fonts(data)
    assert fonts and all(font.embedded for font in fonts), fonts
    assert not [font for font in fonts if font.type == "Type 3"]
    # The stacks of base.css picked real fonts for each script, not a last resort.
    families = " ".join(font.name for font in fonts)
    for family in ("Noto-Serif", "Noto-Naskh-Arabic", "Noto-Serif-CJK-SC", "Noto-Sans"):
        assert family in families, families
    text = one_line(pdf_text(data))
    for sample in SAMPLES.values():
        assert sample in text


def test_the_footer_counts_pages_in_words(app: Flask) -> None:
    body = "<p>One.</p><p style='break-before: page'>Two.</p>"
    data, _pages = render(page(body))
    assert "Page 1 of 2" in pdf_text(data, 1, 1)
    assert "Page 2 of 2" in pdf_text(data, 2, 2)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Seite %(page)s von %(pages)s", "Seite 2 von 2"),
        # A translation may put the total first.
        ("共%(pages)s页，第%(page)s页", "共2页，第2页"),
        # Quotes, backslashes and markup in a translation stay text.
        ('"%(page)s" \\ </style> <b>%(pages)s</b>', '"2" \\ </style> <b>2</b>'),
    ],
)
def test_the_footer_follows_the_translation(
    app: Flask, monkeypatch: pytest.MonkeyPatch, sentence: str, expected: str
) -> None:
    def translated(message: str, **values: Any) -> str:
        assert message == "Page %(page)s of %(pages)s"
        return sentence % values

    monkeypatch.setattr(pdf, "_", translated)
    body = "<p>One.</p><p style='break-before: page'>Two.</p>"
    data, _pages = render(page(body))
    assert expected in pdf_text(data, 2, 2)


def test_a_css_string_cannot_end_its_string_or_its_style_element(app: Flask) -> None:
    tricky = 'He said "stop" \\ </style><p>not a paragraph</p>\nnext line'
    html = page(
        "<p class=x>.</p>", head=f"<style>.x::before {{ content: {css_string(tricky)} }}</style>"
    )
    data, _pages = render(html)
    assert one_line(tricky) in one_line(pdf_text(data))


def test_text_attributes_mark_direction_and_script() -> None:
    assert text_attributes(SAMPLES["ar"]) == Markup(' dir="rtl" lang="ar"')
    assert text_attributes(SAMPLES["zh"]) == Markup(' lang="zh"')
    assert text_attributes(SAMPLES["ru"]) == Markup(' lang="ru"')
    assert text_attributes(SAMPLES["fr"]) == Markup("")
    # On a right-to-left page, a left-to-right text says so.
    assert text_attributes(SAMPLES["fr"], "rtl") == Markup(' dir="ltr"')
    assert text_attributes(SAMPLES["ar"], "rtl") == Markup(' lang="ar"')
    assert text_attributes("2026", "rtl") == Markup("")


TITLE_AR = "مبادئ حقوق الإنسان على الحدود"
SHORT_AR = "تحترم الدول كرامة كل شخص."
LONG_AR = " ".join(
    ["ينبغي للدول أن تكفل تدريب موظفي الحدود على حقوق الإنسان،"]
    + ["وأن يشمل التدريب تحديد الأشخاص الذين يعيشون أوضاعا هشة واستخدام القوة،"] * 3
    + ["وأن يقيم التدريب كل عام."]
)


def _find(words: Iterable[Word], wanted: str) -> Word:
    found = [w for w in words if w.spells(wanted)]
    assert found, f"{wanted!r} is not on the page"
    return found[0]


def _lines(words: list[Word]) -> list[list[Word]]:
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(round(word.y_max), []).append(word)
    return [lines[y] for y in sorted(lines)]


def test_arabic_title_and_paragraphs_run_right_to_left(app: Flask, tmp_path: Path) -> None:
    body = (
        f"<h1{text_attributes(TITLE_AR)}>{TITLE_AR}</h1>"
        f"<p{text_attributes(SHORT_AR)}>{SHORT_AR}</p>"
        f"<p{text_attributes(LONG_AR)}>{LONG_AR}</p>"
        # The same sentence without dir="rtl": WeasyPrint sets it from the left margin.
        f'<p lang="ar">{SHORT_AR}</p>'
    )
    data, _pages = render(page(body))
    png = page_png(data, artifact_folder(tmp_path), "pdf-engine-arabic-rtl")
    assert png.exists()

    words = pdf_pages(data)[0].words
    title_first, title_last = _find(words, "مبادئ"), _find(words, "الحدود")
    assert title_first.y_max == pytest.approx(title_last.y_max, abs=1)
    assert title_first.x_min > title_last.x_max
    assert title_first.x_max == pytest.approx(RIGHT_EDGE, abs=2)

    short = [w for w in words if w.spells("تحترم")]
    assert len(short) == 2
    rtl_first, ltr_first = sorted(short, key=lambda w: w.y_min)
    rtl_line = [w for w in words if abs(w.y_max - rtl_first.y_max) < 1]
    rtl_last = _find(rtl_line, "شخص.")
    assert rtl_first.x_min > rtl_last.x_max
    assert rtl_first.x_max == pytest.approx(RIGHT_EDGE, abs=2)
    # The short line leaves the left of the column empty.
    assert min(w.x_min for w in rtl_line) > A4_WIDTH / 2

    ltr_line = [w for w in words if abs(w.y_max - ltr_first.y_max) < 1]
    assert min(w.x_min for w in ltr_line) == pytest.approx(LEFT_EDGE, abs=2)

    # Every line of the long paragraph starts at the right margin; the last ends short of the left.
    long_words = [w for w in words if rtl_first.y_max + 1 < w.y_min and w.y_max < ltr_first.y_min]
    lines = _lines(long_words)
    assert len(lines) >= 3
    for line in lines:
        assert max(w.x_max for w in line) == pytest.approx(RIGHT_EDGE, abs=2)
    assert _find(lines[0], "ينبغي").x_max == pytest.approx(RIGHT_EDGE, abs=2)
    assert _find(lines[-1], "عام.").x_min > LEFT_EDGE + 20
