"""A stakeholder's comment, typed as plain text, turned into safe HTML.

Comments are plain text with paragraphs and links, nothing more: every
character typed is escaped, blank lines separate paragraphs, single line
breaks are kept, and bare http(s) addresses become links that search
engines do not follow. The result then goes through nh3 with a tiny
allow-list, so that even a mistake here could not let markup through.
"""

from __future__ import annotations

import html
import re

import nh3

_ALLOWED_TAGS = {"p", "br", "a"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address it follows.
_TRAILING = ".,;:!?)]}'\""


def _split_url(candidate: str) -> tuple[str, str]:
    """Return (address, trailing punctuation) for a matched address."""
    url = candidate
    while url and url[-1] in _TRAILING:
        # Keep a closing parenthesis that closes one opened inside the address.
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url, candidate[len(url) :]


def _linkify_escaped(text: str) -> str:
    """Escape `text`, turning each bare http(s) address into a link."""
    out: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url, trailing = _split_url(match.group(0))
        out.append(html.escape(text[position : match.start()]))
        if len(url) > len("https://"):
            out.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
        else:
            out.append(html.escape(url))
        out.append(html.escape(trailing))
        position = match.end()
    out.append(html.escape(text[position:]))
    return "".join(out)


def comment_html(text: str) -> str:
    """Return the comment `text` as sanitised HTML paragraphs; safe to mark safe."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    paragraphs = [p.strip("\n") for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    rendered = "".join(
        "<p>" + "<br>".join(_linkify_escaped(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return nh3.clean(
        rendered,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener",
    )
