"""What WeasyPrint may load while it makes a PDF: our own static files and inline images.

The HTML of a PDF carries text that stakeholders and drafters wrote, and
WeasyPrint loads whatever an <img>, <link>, @import, url() or @font-face
names. `StaticFetcher` serves only:

- files inside the static folder, named by file:// URLs (as the HTML's
  relative links become against its base URL), after resolving "..",
  percent escapes and symbolic links: a link that leads outside is refused;
- data: URLs of raster images (PNG, JPEG, GIF) whose bytes are what they
  claim to be. SVG is refused: it is XML that can pull in other documents,
  and WeasyPrint would read any bytes it fails to open as a raster image as
  SVG, hence the check of the bytes.

Everything else is refused: http, https, ftp and every other scheme, file://
on another host, data: of any other type. Nothing here ever opens a network
connection, so there is no redirect to follow. A refusal raises `RefusedURL`,
which WeasyPrint catches: the image or stylesheet is left out, the PDF is
still made, and the refusal is logged at INFO on this module's logger.
"""

from __future__ import annotations

import base64
import binascii
import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

#: Media types a data: URL may carry, with the bytes their content starts with.
DATA_IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}

# Longest URL quoted in a log line: a refused data: URL can be megabytes long.
_LOGGED_URL_LENGTH = 120


class RefusedURL(ValueError):
    """The URL names something a PDF may not load."""


def _shown(url: str) -> str:
    return url if len(url) <= _LOGGED_URL_LENGTH else url[:_LOGGED_URL_LENGTH] + "..."


class StaticFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """A WeasyPrint URL fetcher serving the files under `root` and inline raster images."""

    def __init__(self, root: str | Path) -> None:
        # The parent's own opener is never used (fetch below replaces it); it is
        # built with no protocol and no redirects all the same, so that even
        # code reaching past fetch could open nothing.
        super().__init__(allowed_protocols=(), allow_redirects=False)
        self.root = Path(root).resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """Return the static file or inline image `url` names, or raise RefusedURL."""
        try:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "file":
                return self._static_file(url)
            if scheme == "data":
                return self._data_image(url)
            raise RefusedURL(f"the {scheme or 'relative'} scheme is not served")
        except RefusedURL as refusal:
            log.info("PDF: not loading %s: %s", _shown(url), refusal)
            raise

    def _static_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"file on another host ({parts.netloc})")
        path = Path(url2pathname(parts.path))
        if not path.is_absolute():
            raise RefusedURL("not an absolute path")
        try:
            resolved = path.resolve()
            if not resolved.is_relative_to(self.root):
                raise RefusedURL("outside the static folder")
            if not resolved.is_file():
                raise RefusedURL("no such file in the static folder")
            data = resolved.read_bytes()
        except RefusedURL:
            raise
        except (OSError, ValueError) as error:  # a loop of links, a NUL byte, no permission
            raise RefusedURL(f"unreadable ({type(error).__name__})") from error
        media_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        content_type = f"{media_type}; charset=utf-8" if media_type == "text/css" else media_type
        return URLFetcherResponse(resolved.as_uri(), data, {"Content-Type": content_type})

    def _data_image(self, url: str) -> URLFetcherResponse:
        header, comma, payload = url[len("data:") :].partition(",")
        if not comma:
            raise RefusedURL("malformed data: URL")
        params = [p.strip().lower() for p in header.split(";")]
        media_type = params[0]
        signatures = DATA_IMAGE_SIGNATURES.get(media_type)
        if signatures is None:
            raise RefusedURL(f"data: of type {media_type or 'text/plain'}")
        raw = unquote_to_bytes(payload)
        if "base64" in params[1:]:
            try:
                raw = base64.b64decode(raw, validate=False)
            except (binascii.Error, ValueError) as error:
                raise RefusedURL("malformed base64") from error
        if not raw.startswith(signatures):
            raise RefusedURL(f"the bytes are not {media_type}")
        return URLFetcherResponse(url, raw, {"Content-Type": media_type})
