"""Making a PDF from HTML: the one place Consult calls WeasyPrint.

`write_pdf` renders an HTML page (the consolidated document, a comment
receipt) to a PDF, with:

- the static folder as base URL, so that the HTML links its stylesheets
  relatively (`<link rel="stylesheet" href="pdf/base.css">`), and
  `pdf_fetcher.StaticFetcher` as the only way anything is loaded: our static
  files and inline raster images, never the network nor another file;
- a tagged PDF of the PDF/UA-1 variant (`pdf_variant="pdf/ua-1"`): the
  structure tree follows the HTML order, the catalog carries the language of
  `<html lang>`, and the XMP metadata declare PDF/UA-1. Measured on
  documents of about 50 pages mixing English, French, Russian, Chinese and
  Arabic (best of 5 to 7 runs, layout and writing, 2 shared cores): 55
  pages with inline styles on a quiet machine, untagged 1.99 s,
  `pdf_tags=True` 2.09 s, `pdf/ua-1` 2.12 s; 51 pages with base.css on a
  busy one, 3.39 s, 4.22 s and 3.86 s. The tags cost 5 to 25%; the variant
  is those same tags plus a metadata packet and was never measurably
  slower than them, so we take it;
- the metadata that WeasyPrint reads from the page's head: `<title>`,
  `<meta name="author">`, `<meta name="description">` (the subject),
  `<meta name="keywords">`, `<meta name="dcterms.created">`;
- two adjustments to pydyf, the PDF writer under WeasyPrint, made once by
  `tune_pdf_writer` (each skipped if pydyf no longer has what it adjusts).
  `PDF.page_references` builds a tuple of every page's reference each time
  it is read, and the tagging reads it for every element of the structure
  tree: time in elements times pages (8 million tuple items for the 262
  pages of the bench's comments variant, about 1.5 s; more than 5 s for an
  annex of 300 pages). We keep what it returns until a page is added.
  And its streams are compressed at zlib's level 9, which on these pages
  costs about twice level 6 for about 6% less: we ask for level 6
  (`COMPRESSION_LEVEL`);
- fewer garbage collections while a PDF is made (`fewer_collections`).
  WeasyPrint makes millions of short-lived objects, and each of Python's
  collections walks every object alive, the app's included: a fifth of the
  CPU time of the bench's comments variant in a job's child went to them.
  The objects alive before the rendering are collected once and the
  survivors set aside (gc.freeze), and the youngest generation is collected
  every `RENDER_GC_THRESHOLD` allocations instead of 700, for the rendering
  only. Garbage in reference cycles then lives longer, and the layout leaves
  much of it (tentative lines and their Pango layouts), so it is collected
  once more between the layout and the writing, whose page streams make the
  peak. Measured in a job's child on the bench's comments variant, without
  and with: 17.3 s and 14.7 s, a peak of 390 MB and 353 MB; with the annex,
  51.5 s and 44.3 s, 804 MB and 774 MB.

Pages say "Page x of y" in the reader's language: static/pdf/base.css
styles the footer and numbers the pages; the words come from the template,
which writes `<style>{{ footer_css }}</style>` after its link to base.css,
with footer_css = `page_footer_css()`, a rule built from one translatable
sentence. `text_attributes(text)` gives the `dir` and `lang` attributes
that an element holding a text of unknown language needs
(consult.domain.scripts); templates get both as context values.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pydyf  # type: ignore[import-untyped]  # no type hints; WeasyPrint depends on it
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import path2url

from consult.domain.scripts import script_language, strong_direction
from consult.exports.pdf_fetcher import RefusedURL, StaticFetcher

#: The PDF variant written: tagged, with the document's language (see the module's notes).
PDF_VARIANT = "pdf/ua-1"
#: How hard pydyf compresses the PDF's streams (zlib's own default; pydyf asks for 9).
COMPRESSION_LEVEL = 6
#: Allocations between two collections of the youngest generation while a PDF is made.
RENDER_GC_THRESHOLD = 4_000

Progress = Callable[[str], None]


def static_folder() -> Path:
    """Return the app's static folder, the only place a PDF loads files from."""
    folder = current_app.static_folder
    if folder is None:  # Consult always has one; this keeps the type honest
        raise RuntimeError("the app has no static folder")
    return Path(folder)


class _QuietRefusals(logging.Filter):
    """Drop WeasyPrint's own error line for a URL our fetcher refused.

    The fetcher logs each refusal at INFO; WeasyPrint then logs the same one
    as an ERROR ("Failed to load image at ..."), which would page someone
    for a stakeholder's pasted image address. Other WeasyPrint errors stay.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return f"{RefusedURL.__name__}: " not in record.getMessage()


def _quiet_refusals() -> None:
    logger = logging.getLogger("weasyprint")
    if not any(isinstance(f, _QuietRefusals) for f in logger.filters):
        logger.addFilter(_QuietRefusals())


class _PageReferences:
    """A replacement for pydyf's `PDF.page_references` that keeps what it returns.

    The original builds its tuple anew on every read; this one builds it again
    only when the number of pages has changed (pydyf only ever adds pages).
    """

    def __init__(self, original: property) -> None:
        self.original = original

    def __get__(self, pdf: object, owner: type | None = None) -> object:
        if pdf is None:
            return self
        kids = pdf.pages["Kids"]  # type: ignore[attr-defined]
        kept = pdf.__dict__.get("_consult_page_references")
        if kept is None or kept[0] != len(kids):
            kept = (len(kids), self.original.__get__(pdf, owner))
            pdf.__dict__["_consult_page_references"] = kept
        return kept[1]


class _Zlib:
    """pydyf's view of zlib: zlib itself, but compressing streams at COMPRESSION_LEVEL."""

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1) -> object:
        """Return a compressor at COMPRESSION_LEVEL, whatever `level` pydyf asks for."""
        return zlib.compressobj(COMPRESSION_LEVEL)


def tune_pdf_writer() -> None:
    """Make pydyf's page references and stream compression cheaper (see the module's notes).

    Idempotent; changes nothing in the PDF but the compression of its streams.
    """
    references = pydyf.PDF.__dict__.get("page_references")
    if isinstance(references, property):
        pydyf.PDF.page_references = _PageReferences(references)
    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Zlib()


_collections = threading.Lock()
_renders = 0  # renderings under way in this process
_threshold: tuple[int, int, int] = (0, 0, 0)  # the collector's, before the first of them


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while the block runs (see the module's notes).

    Renderings in several threads at once share one setting: the first to
    start changes it, the last to end puts back what it found.
    """
    global _renders, _threshold
    with _collections:
        if _renders == 0:
            _threshold = gc.get_threshold()
            # Garbage left by what came before (building the HTML: thousands of rows
            # and their cycles) is collected now, or frozen it would outlive the render.
            gc.collect()
            gc.freeze()
            gc.set_threshold(RENDER_GC_THRESHOLD, *_threshold[1:])
        _renders += 1
    try:
        yield
    finally:
        with _collections:
            _renders -= 1
            if _renders == 0:
                gc.set_threshold(*_threshold)
                gc.unfreeze()


def write_pdf(html: str, out: BinaryIO, progress: Progress | None = None) -> int:
    """Render `html` to a PDF in `out`; return the number of pages.

    `progress` is told "layout" before the pages are laid out and "writing"
    before the file is written. Needs an app context (for the static folder).
    """
    _quiet_refusals()
    tune_pdf_writer()
    root = static_folder()
    with fewer_collections():
        if progress is not None:
            progress("layout")
        document = HTML(
            string=html, base_url=path2url(str(root) + "/"), url_fetcher=StaticFetcher(root)
        ).render(font_config=FontConfiguration(), pdf_variant=PDF_VARIANT)
        if progress is not None:
            progress("writing")
        # The layout's garbage (tentative lines and their Pango layouts, held in
        # reference cycles) goes before the writing builds every page's stream.
        gc.collect()
        document.write_pdf(out, pdf_variant=PDF_VARIANT)
    return len(document.pages)


# Characters kept as they are in a CSS string; everything else is written as a
# hexadecimal escape, so that no quote, backslash, line break or "</style>"
# can end the string or the <style> element it is in.
_CSS_PLAIN = re.compile(r"[\w .,:;()\-]", re.UNICODE)


def css_string(text: str) -> str:
    """Return `text` as a double-quoted CSS string, safe inside a <style> element."""
    return '"' + "".join(c if _CSS_PLAIN.fullmatch(c) else f"\\{ord(c):x} " for c in text) + '"'


# Private-use characters standing for the counters while the sentence is translated.
_PAGE, _PAGES = "\ue000", "\ue001"
_COUNTERS = {_PAGE: "counter(page)", _PAGES: "counter(pages)"}


def page_footer_css() -> Markup:
    """Return the CSS rule that words the page footer "Page 3 of 12" in the reader's language.

    For a <style> element after the link to pdf/base.css, which styles the
    footer. The translation may put the two numbers in any order.
    """
    sentence = _("Page %(page)s of %(pages)s", page=_PAGE, pages=_PAGES)
    parts = [
        _COUNTERS[piece] if piece in _COUNTERS else css_string(piece)
        for piece in re.split(f"([{_PAGE}{_PAGES}])", sentence)
        if piece
    ]
    return Markup("@page { @bottom-center { content: %s } }") % Markup(" ".join(parts))


def text_attributes(text: str, surrounding: str = "ltr") -> Markup:
    """Return ` dir="rtl" lang="ar"` (either, both or neither) for an element holding `text`.

    For titles, clauses and comments, whose language nothing records: `dir`
    where the text's first strong character runs against the `surrounding`
    direction ("ltr" or "rtl", the page's), `lang` where the script makes
    the language plain. Empty when the surrounding element's apply.
    """
    attributes = Markup("")
    direction = strong_direction(text)
    if direction is not None and direction != surrounding:
        attributes += Markup(' dir="%s"') % direction
    language = script_language(text)
    if language is not None:
        attributes += Markup(' lang="%s"') % language
    return attributes


__all__ = [
    "COMPRESSION_LEVEL",
    "PDF_VARIANT",
    "RENDER_GC_THRESHOLD",
    "css_string",
    "fewer_collections",
    "page_footer_css",
    "static_folder",
    "text_attributes",
    "tune_pdf_writer",
    "write_pdf",
]
