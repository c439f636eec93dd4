"""A clause and a comment that reference outside images and stylesheets: nothing is fetched.

The draft and the comment are what a careless or hostile writer could type:
Markdown images, raw <img>, <link> and <style> elements pointing at another
host and at local files. Through the whole consolidated PDF (the comments
variant with the matrix annexed), no connection reaches the listening socket,
no file is read, no image is drawn, and the PDF still holds the words.
"""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator

import pytest
from flask import Flask

from consult.models import User
from consult.services.consolidated import PdfRequest, check_request, render_consolidated
from consult.services.transactions import now
from tests import factories
from tests.exports.poppler import one_line, pdf_image_count, pdf_text


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A local TCP socket that would queue any connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def hostile(port: int, who: str) -> str:
    here = f"http://127.0.0.1:{port}"
    return (
        f"{who} keeps its words. ![map]({here}/{who}-map.png) ![passwd](file:///etc/passwd) "
        f'<img src="{here}/{who}-raw.png"> <img src="file:///etc/hostname"> '
        f'<link rel="stylesheet" href="{here}/{who}.css"> '
        f"<style>@import url({here}/{who}-import.css); p {{ background: url({here}/bg.png) }}"
        "</style>"
    )


def test_outside_references_in_a_clause_and_a_comment_fetch_nothing(
    app: Flask, users: dict[str, User], listener: socket.socket
) -> None:
    port = listener.getsockname()[1]
    draft = factories.SAMPLE_DRAFT.replace(
        "Everyone at a border shall be treated with dignity.",
        hostile(port, "The clause"),
    )
    version = factories.version(draft)
    round_ = factories.round_(version, title="First expert meeting")
    clause = next(c for c in version.clauses if c.key == "principle-dignity")
    factories.comment(
        round_.id,
        users["stakeholder"],
        clause,
        body=hostile(port, "The comment"),
        proposed_text=hostile(port, "The proposal"),
    )
    request = check_request(
        None,
        PdfRequest("sample", version.number, "comments", round_id=round_.id, matrix_annex=True),
        now(),
    )
    out = io.BytesIO()
    pages = render_consolidated(None, request, now(), out)
    data = out.getvalue()

    assert pages >= 3
    text = one_line(pdf_text(data))
    for who in ("The clause", "The comment", "The proposal"):
        assert f"{who} keeps its words." in text
    assert pdf_image_count(data) == 0
    with pytest.raises(BlockingIOError):
        listener.accept()  # nothing ever connected
