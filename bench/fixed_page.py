"""The floor of the reading benchmark: a WSGI app that answers every request with fixed bytes.

Served by the same gunicorn settings as Consult (`bench_reading`), it returns
the HTML of the version page read from the file named by
CONSULT_BENCH_FIXED_PAGE: what the server, the network stack and the load
generator cost for a page of that size, with no application work at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

BODY = Path(os.environ["CONSULT_BENCH_FIXED_PAGE"]).read_bytes()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Answer any request with the page's bytes."""
    start_response("200 OK", HEADERS)
    return [BODY]
