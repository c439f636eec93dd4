"""Comment text rendering: plain text with paragraphs and links, nothing else."""

from __future__ import annotations

from bs4 import BeautifulSoup

from consult.domain.comment_text import comment_html


def parsed(text: str) -> BeautifulSoup:
    return BeautifulSoup(comment_html(text), "html.parser")


def test_blank_lines_make_paragraphs_and_single_breaks_stay() -> None:
    page = parsed("First line\nsecond line\r\n\r\n\n  Second paragraph.  ")
    paragraphs = page.find_all("p")
    assert [p.get_text() for p in paragraphs] == ["First linesecond line", "Second paragraph."]
    assert len(paragraphs[0].find_all("br")) == 1


def test_markup_is_escaped_never_interpreted() -> None:
    text = '<script>alert(1)</script> <a href="javascript:x">y</a> <b onclick=z>b</b> &amp;'
    page = parsed(text)
    assert page.find_all(["script", "b"]) == []
    assert page.find_all("a") == []
    assert page.get_text() == text


def test_bare_addresses_become_links_without_trailing_punctuation() -> None:
    page = parsed("See https://example.org/a?b=1&c=2. Also (http://example.net/x_(y)).")
    links = page.find_all("a")
    assert [a["href"] for a in links] == [
        "https://example.org/a?b=1&c=2",
        "http://example.net/x_(y)",
    ]
    assert all(a["rel"] == ["nofollow", "noopener"] for a in links)
    assert page.get_text() == "See https://example.org/a?b=1&c=2. Also (http://example.net/x_(y))."


def test_only_http_addresses_are_linked() -> None:
    page = parsed('javascript:alert(1) ftp://example.org http://"onmouseover=alert(1)')
    assert page.find_all("a") == []


def test_empty_text_gives_nothing() -> None:
    assert comment_html("  \n\n ") == ""
