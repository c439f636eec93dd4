"""Reading PDFs in tests as a person's tools do: poppler-utils (pdftotext, pdfinfo, pdffonts ...).

A missing tool fails the test with a message saying what to install: these
tests never skip (CI installs poppler-utils from Debian's packages).

Test artifacts (pages rendered to PNG) go to the folder named by
CONSULT_TEST_ARTIFACTS, or else to the test's temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

# Bidirectional controls pdftotext wraps right-to-left runs in (and marks), not text.
_BIDI_CONTROLS = dict.fromkeys(
    [0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None
)


_STOPS = ".\u060c"

#: The width of an A4 page, and the edges of the text column that static/pdf/base.css's
#: 20 mm side margins leave, in points from the left (as pdftotext -bbox measures).
A4_WIDTH = 595.276
LEFT_EDGE = 20 / 25.4 * 72
RIGHT_EDGE = A4_WIDTH - LEFT_EDGE


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: install poppler-utils (apt-get install poppler-utils)"
        )
    return path


@contextmanager
def _pdf_file(data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="consult-pdf-") as folder:
        path = Path(folder) / "file.pdf"
        path.write_bytes(data)
        yield path


def run(name: str, *args: str) -> str:
    """Run the poppler tool `name` with `args` and return what it prints."""
    done = subprocess.run(
        [_tool(name), *args], capture_output=True, text=True, check=False, timeout=60
    )
    if done.returncode != 0:
        pytest.fail(f"{name} {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def pdf_text(data: bytes, first: int | None = None, last: int | None = None) -> str:
    """Return the text of the PDF (pages `first` to `last`), bidirectional controls removed."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    with _pdf_file(data) as path:
        text = run("pdftotext", "-enc", "UTF-8", *pages, str(path), "-")
    return unicodedata.normalize("NFC", text.translate(_BIDI_CONTROLS))


def one_line(text: str) -> str:
    """Return `text` with every run of white space made one space (lines joined)."""
    return " ".join(text.split())


def pdf_info(data: bytes) -> dict[str, str]:
    """Return what pdfinfo says of the PDF, by field ("Title", "Pages", "Tagged" ...)."""
    with _pdf_file(data) as path:
        out = run("pdfinfo", "-isodates", str(path))
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def pdf_xmp(data: bytes) -> str:
    """Return the PDF's XMP metadata packet, as pdfinfo -meta prints it."""
    with _pdf_file(data) as path:
        return run("pdfinfo", "-meta", str(path))


@dataclass(frozen=True)
class Font:
    """One line of pdffonts."""

    name: str
    type: str
    embedded: bool


def pdf_fonts(data: bytes) -> list[Font]:
    """Return the fonts of the PDF as pdffonts lists them."""
    with _pdf_file(data) as path:
        out = run("pdffonts", str(path))
    fonts = []
    for line in out.splitlines()[2:]:
        # name, type (may hold spaces), encoding, emb, sub, uni, object number, generation
        match = re.match(
            r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line
        )
        assert match, f"unexpected pdffonts line: {line!r}"
        fonts.append(Font(match[1], match[2], match[4] == "yes"))
    return fonts


def pdf_image_count(data: bytes) -> int:
    """Return how many images the PDF draws (pdfimages -list)."""
    with _pdf_file(data) as path:
        out = run("pdfimages", "-list", str(path))
    return len(out.splitlines()[2:])


@dataclass(frozen=True)
class Word:
    """A word as pdftotext -bbox places it, in points from the page's top left corner."""

    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float

    def spells(self, word: str) -> bool:
        """Whether this is `word`, whose letters pdftotext may give in visual order (Arabic).

        A full stop or Arabic comma at either end is not compared: where it lands
        depends on the paragraph's direction.
        """
        bare = word.strip(_STOPS)
        return self.text.strip(_STOPS) in (bare, bare[::-1])


@dataclass(frozen=True)
class Page:
    """A page's size and words."""

    width: float
    height: float
    words: list[Word]


def pdf_pages(data: bytes) -> list[Page]:
    """Return every page with its words and their boxes."""
    with _pdf_file(data) as path:
        out = run("pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-")
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.fromstring(out)
    return [
        Page(
            float(page.get("width", 0)),
            float(page.get("height", 0)),
            [
                Word(
                    unicodedata.normalize("NFC", word.text or ""),
                    float(word.get("xMin", 0)),
                    float(word.get("yMin", 0)),
                    float(word.get("xMax", 0)),
                    float(word.get("yMax", 0)),
                )
                for word in page.iterfind("x:word", namespace)
            ],
        )
        for page in root.iterfind(".//x:page", namespace)
    ]


def artifact_folder(tmp_path: Path) -> Path:
    """Return the folder for test artifacts: CONSULT_TEST_ARTIFACTS, else `tmp_path`."""
    folder = Path(os.environ.get("CONSULT_TEST_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def page_png(data: bytes, folder: Path, name: str, page: int = 1, dpi: int = 100) -> Path:
    """Render `page` of the PDF to `folder`/`name`.png (pdftoppm) and return its path."""
    stem = folder / name
    with _pdf_file(data) as path:
        run(
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(stem),
        )
    png = stem.with_suffix(".png")
    assert png.stat().st_size > 0
    return png


def pdf_languages(data: bytes) -> list[str]:
    """Return every /Lang entry of the PDF, looking into compressed streams too.

    WeasyPrint writes one, in the catalog: the document's language.
    """
    chunks = [data]
    view = memoryview(data)
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            chunks.append(zlib.decompressobj().decompress(view[match.end() :]))
        except zlib.error:
            continue
    return [
        found.group(1).decode()
        for chunk in chunks
        for found in re.finditer(rb"/Lang\s*\(([^)]*)\)", chunk)
    ]
