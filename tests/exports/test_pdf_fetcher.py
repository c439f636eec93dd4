"""What a PDF may load: the static folder's files and inline raster images, nothing else.

A clause or a comment can carry references to other hosts and to local
files. Rendered, they load nothing (a local listening socket sees no
connection, a stylesheet outside the static folder changes nothing) and the
PDF is still made, with its text.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from flask import Flask
from PIL import Image

from consult.exports.pdf import write_pdf
from consult.exports.pdf_fetcher import RefusedURL, StaticFetcher
from tests.exports.poppler import one_line, pdf_image_count, pdf_text

LEAK = "SECRETLEAK"  # one word: pdftotext joins a word hyphenated across lines
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    '<rect width="10" height="10"/></svg>'
)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


@pytest.fixture
def static(tmp_path: Path) -> Path:
    """A static folder with a stylesheet and an image, beside a folder it must not reach."""
    root = tmp_path / "static"
    (root / "pdf").mkdir(parents=True)
    (root / "pdf" / "test.css").write_text('p.styled::before { content: "STYLED FROM STATIC " }')
    (root / "pdf" / "dot.png").write_bytes(png_bytes())
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "outside.css").write_text(f'p.secret::after {{ content: " {LEAK}" }}')
    (outside / "secret.png").write_bytes(png_bytes())
    # A link inside the static folder to a file outside it.
    (root / "pdf" / "linked.css").symlink_to(outside / "outside.css")
    return root


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local TCP socket that would queue any connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def test_served_static_files(static: Path) -> None:
    fetcher = StaticFetcher(static)
    css = fetcher.fetch((static / "pdf" / "test.css").as_uri())
    assert css.content_type == "text/css"
    assert css.charset == "utf-8"
    assert b"STYLED FROM STATIC" in css.read()
    # ".." that stays inside the folder, percent escapes and localhost are fine.
    inside = f"file://localhost{static}/pdf/../pdf/%64ot.png"
    image = fetcher.fetch(inside)
    assert image.content_type == "image/png"
    assert image.read() == png_bytes()


@pytest.mark.parametrize("media_type", ["image/png", "image/jpeg", "image/gif"])
def test_served_inline_raster_images(static: Path, media_type: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, media_type.split("/")[1].upper())
    response = StaticFetcher(static).fetch(data_url(media_type, out.getvalue()))
    assert response.content_type == media_type
    assert response.read() == out.getvalue()


def refused_urls(static: Path, port: int) -> list[str]:
    outside = static.parent / "private"
    return [
        f"http://127.0.0.1:{port}/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x.png",
        "gopher://example.org/",
        "//example.org/x.png",
        "file:///etc/passwd",
        "file://example.org/etc/passwd",
        (outside / "outside.css").as_uri(),
        f"{static.as_uri()}/../private/outside.css",
        f"{static.as_uri()}/pdf/%2e%2e/%2e%2e/private/outside.css",
        (static / "pdf" / "linked.css").as_uri(),
        (static / "pdf" / "missing.css").as_uri(),
        static.as_uri(),
        f"{static.as_uri()}/pdf/%00.css",
        data_url("image/svg+xml", SVG.encode()),
        "data:image/svg+xml," + SVG,
        "data:text/html,<p>hello</p>",
        "data:text/css,p{color:red}",
        "data:,plain",
        # An SVG (or anything) claiming to be a PNG.
        data_url("image/png", SVG.encode()),
        "data:image/png;base64,%%%not-base64",
        "data:image/png",
        "javascript:alert(1)",
    ]


def test_refused_urls(static: Path, listener: socket.socket) -> None:
    fetcher = StaticFetcher(static)
    for url in refused_urls(static, listener.getsockname()[1]):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    with pytest.raises(BlockingIOError):
        listener.accept()


def test_a_pdf_with_hostile_references_loads_nothing_and_is_still_made(
    app: Flask,
    static: Path,
    listener: socket.socket,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(app, "static_folder", str(static))
    port = listener.getsockname()[1]
    outside = static.parent / "private" / "outside.css"
    relative_outside = os.path.relpath(outside, static)
    hostile = {
        "image over http": f"http://127.0.0.1:{port}/x.png",
        "stylesheet over https": "https://example.org/x.css",
        "local file": "file:///etc/passwd",
        "@import outside": outside.as_uri(),
        "@import outside, relative": relative_outside,
        "stylesheet through a link": "pdf/linked.css",
        "url() in CSS": f"http://127.0.0.1:{port}/background.png",
        "font": f"http://127.0.0.1:{port}/font.woff2",
        "list image": "file:///etc/hostname",
        "attachment": "file:///etc/passwd#attached",
        "data: SVG": data_url("image/svg+xml", SVG.encode()),
        "data: HTML": "data:text/html,<p>hello</p>",
        "data: CSS": f"data:text/css,p.secret::after{{content:'{LEAK}'}}",
        "SVG as PNG": data_url("image/png", SVG.encode()),
        "image outside": (static.parent / "private" / "secret.png").as_uri(),
    }
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Hostile</title>
<link rel="stylesheet" href="{hostile["stylesheet over https"]}">
<link rel="stylesheet" href="{hostile["stylesheet through a link"]}">
<link rel="stylesheet" href="{hostile["data: CSS"]}">
<link rel="attachment" href="{hostile["attachment"]}">
<style>
@import url("{hostile["@import outside"]}");
@import "{hostile["@import outside, relative"]}";
@font-face {{ font-family: Remote; src: url("{hostile["font"]}"); }}
body {{ background-image: url("{hostile["url() in CSS"]}"); font-family: Remote, serif; }}
ul {{ list-style-image: url("{hostile["list image"]}"); }}
</style></head><body>
<p class="secret">Principle 1: Everyone at a border shall be treated with dignity.</p>
<img src="{hostile["image over http"]}" alt="remote">
<img src="{hostile["local file"]}" alt="local">
<img src="{hostile["data: SVG"]}" alt="svg">
<img src="{hostile["data: HTML"]}" alt="html">
<img src="{hostile["SVG as PNG"]}" alt="fake png">
<img src="{hostile["image outside"]}" alt="outside">
<ul><li>A comment with an image: none loaded.</li></ul>
</body></html>"""
    caplog.set_level(logging.INFO)
    out = io.BytesIO()
    pages = write_pdf(html, out)
    data = out.getvalue()

    assert pages == 1
    text = one_line(pdf_text(data))
    assert "Principle 1: Everyone at a border shall be treated with dignity." in text
    assert "A comment with an image: none loaded." in text
    assert LEAK not in text
    assert pdf_image_count(data) == 0
    with pytest.raises(BlockingIOError):
        listener.accept()

    refusals = [r.getMessage() for r in caplog.records if r.name == "consult.exports.pdf_fetcher"]
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name.startswith("consult"))
    base = static.as_uri() + "/"
    for what, url in hostile.items():
        absolute = urljoin(base, url)[:60]
        assert any(absolute in message for message in refusals), (what, absolute, refusals)
    # WeasyPrint's own error line for each refusal is left out; the refusal said it already.
    assert not [r for r in caplog.records if "RefusedURL" in r.getMessage()]


def test_static_files_and_inline_images_reach_the_pdf(
    app: Flask, static: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app, "static_folder", str(static))
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Served</title>
<link rel="stylesheet" href="pdf/test.css"></head><body>
<p class="styled">Principle 2.</p>
<p><img src="pdf/dot.png" alt="a static image"></p>
<p><img src="{data_url("image/png", png_bytes())}" alt="an inline image"></p>
</body></html>"""
    out = io.BytesIO()
    write_pdf(html, out)
    data = out.getvalue()
    assert "STYLED FROM STATIC Principle 2." in one_line(pdf_text(data))
    assert pdf_image_count(data) == 2
